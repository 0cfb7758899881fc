import ImageCodecs
import Testing

@Suite("Resizing")
struct ResizeTests {
    private func gray(_ width: Int, _ height: Int, _ values: [UInt8]) -> GrayImage {
        GrayImage(width: width, height: height, pixels: values)
    }

    @Test("halving averages each 2×2 block")
    func halve() {
        let image = gray(4, 2, [0, 100, 10, 20, 50, 50, 30, 40])
        #expect(image.resized(width: 2, height: 1).pixels == [50, 25])
    }

    @Test("a 3→2 shrink weights the shared middle pixel by half")
    func fractionalArea() {
        // Output 0 covers source [0, 1.5): (30·1 + 90·0.5) / 1.5 = 50; output 1: (90·0.5 + 150) / 1.5 = 130.
        #expect(gray(3, 1, [30, 90, 150]).resized(width: 2, height: 1).pixels == [50, 130])
    }

    @Test("shrinking to one pixel gives the mean")
    func mean() {
        let values: [UInt8] = [10, 20, 30, 40, 50, 60, 70, 80, 90]
        #expect(gray(3, 3, values).resized(width: 1, height: 1).pixels == [50])
    }

    @Test("doubling interpolates between pixel centres and clamps at the edges")
    func bilinearUpscale() {
        // Output centres map to source x = -0.25, 0.25, 0.75, 1.25 → clamp, 25 %, 75 %, clamp.
        #expect(gray(2, 1, [0, 100]).resized(width: 4, height: 1).pixels == [0, 25, 75, 100])
        #expect(gray(1, 2, [0, 100]).resized(width: 1, height: 4).pixels == [0, 25, 75, 100])
    }

    @Test("axes resample independently: shrink one, grow the other")
    func mixed() {
        let image = gray(2, 2, [0, 100, 200, 100])
        // Width 2→1 averages each row (50, 150); height 2→4 interpolates between them.
        #expect(image.resized(width: 1, height: 4).pixels == [50, 75, 125, 150])
    }

    @Test("RGB channels stay separate")
    func rgbChannels() {
        let image = RGBImage(width: 2, height: 1, pixels: [255, 0, 10, 0, 255, 30])
        #expect(image.resized(width: 1, height: 1).pixels == [128, 128, 20])
    }

    @Test("same size is the identity; a flat image stays flat at any size")
    func invariants() {
        let image = RGBImage.gradient(width: 7, height: 5)
        #expect(image.resized(width: 7, height: 5) == image)
        let flat = RGBImage(width: 13, height: 7, red: 12, green: 200, blue: 99)
        for (width, height) in [(1, 1), (5, 3), (13, 7), (40, 11), (256, 256)] {
            #expect(
                flat.resized(width: width, height: height)
                    == RGBImage(width: width, height: height, red: 12, green: 200, blue: 99))
        }
    }

    @Test("down to model size and back keeps a smooth picture close")
    func roundTrip() {
        let image = RGBImage.gradient(width: 300, height: 200)
        let back = image.resized(width: 64, height: 64).resized(width: 300, height: 200)
        #expect(maxDifference(back.pixels, image.pixels) <= 6)
    }
}
