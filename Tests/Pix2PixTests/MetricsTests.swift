import ImageCodecs
import Pix2Pix
import Testing

@Suite("Metrics and baselines")
struct MetricsTests {
    @Test("PSNR against hand-computed values")
    func psnr() {
        let black = RGBImage(width: 4, height: 3, red: 0, green: 0, blue: 0)
        let dark = RGBImage(width: 4, height: 3, red: 10, green: 10, blue: 10)
        let white = RGBImage(width: 4, height: 3)
        // MSE 100: 10·log₁₀(65025 / 100) = 28.1308…
        #expect(abs(Metrics.psnr(black, dark) - 28.130_803_6) < 1e-6)
        #expect(abs(Metrics.psnr(black, white)) < 1e-12)
        #expect(Metrics.psnr(dark, dark) == 100)
        // One channel of one pixel off by 255: MSE 65025 / 36 → 10·log₁₀(36) = 15.563 dB.
        var one = black
        one[1, 1] = (255, 0, 0)
        #expect(abs(Metrics.psnr(one, black) - 15.563_025) < 1e-5)
        #expect(abs(Metrics.meanPSNR([(dark, black), (dark, dark)]) - (28.130_803_6 + 100) / 2) < 1e-6)
        #expect(Metrics.meanPSNR([]) == 0)
    }

    @Test("mean CIEDE2000 against hand-computed values")
    func deltaE() {
        let black = RGBImage(width: 5, height: 2, red: 0, green: 0, blue: 0)
        let white = RGBImage(width: 5, height: 2)
        // L* 0 vs 100, no chroma: S_L = 1 at the mean L* 50, so ΔE₀₀ = 100.
        #expect(abs(Metrics.meanDeltaE2000(black, white) - 100) < 1e-3)
        #expect(Metrics.meanDeltaE2000(white, white) == 0)

        // Half the pixels differ: the mean is half the per-pixel difference.
        let red = RGBImage(width: 4, height: 4, red: 200, green: 30, blue: 30)
        var halfOrange = red
        for y in 0..<2 { for x in 0..<4 { halfOrange[x, y] = (210, 90, 20) } }
        let pair = LabColor.deltaE2000(
            LabColor.rgbToLab(200 / 255, 30 / 255, 30 / 255), LabColor.rgbToLab(210 / 255, 90 / 255, 20 / 255))
        #expect(pair > 5)
        #expect(abs(Metrics.meanDeltaE2000(red, halfOrange) - Double(pair) / 2) < 1e-3)
        #expect(abs(Metrics.meanDeltaE2000(halfOrange, red) - Double(pair) / 2) < 1e-3)
    }

    @Test("metrics on 256×256 images finish quickly")
    func speed() {
        var first = RGBImage(width: 256, height: 256)
        var second = RGBImage(width: 256, height: 256)
        first.withMutablePixels { pixels in for index in pixels.indices { pixels[index] = UInt8(index % 251) } }
        second.withMutablePixels { pixels in for index in pixels.indices { pixels[index] = UInt8(index % 241) } }
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = Metrics.meanDeltaE2000(first, second) }
        #expect(elapsed < .seconds(2))  // debug build; about 10 ms optimized
    }

    @Test("input-unchanged baseline: line art as grey, a photo as its own lightness")
    func inputUnchanged() {
        let lines = FloatPlane(width: 2, height: 1, values: [0, 1])
        let gray = Baselines.inputUnchanged(.lineArt(lines))
        #expect(gray.pixels == [0, 0, 0, 255, 255, 255])

        let photo = RGBImage(width: 2, height: 1, pixels: [200, 60, 40, 30, 120, 210])
        let result = Baselines.inputUnchanged(.photo(photo))
        let before = photo.labPlanes()
        let after = result.labPlanes()
        for index in 0..<2 {
            #expect(abs(after[index] - before[index]) < 0.5)
            #expect(abs(after[2 + index]) < 0.5 && abs(after[4 + index]) < 0.5)
        }
    }

    @Test("nearest-hint fill on a hand-checked grid, ties to the earlier hint")
    func nearestHintFill() {
        let a = ColorHint(x: 0, y: 0, red: 255, green: 0, blue: 0, radius: 1)
        let b = ColorHint(x: 2, y: 0, red: 0, green: 0, blue: 255, radius: 1)
        let c = ColorHint(x: 3, y: 2, red: 0, green: 255, blue: 0, radius: 1)
        let input = Baselines.Input.lineArt(FloatPlane(width: 4, height: 3, repeating: 1))
        let filled = Baselines.nearestHintFill(hints: [a, b, c], input: input)
        // Squared distances to a (0,0), b (2,0), c (3,2), worked by hand; (1,0) and (1,1)
        // are equidistant from a and b (1 vs 1, 2 vs 2) and go to a, listed first.
        //   row 0: a 0|b 4 → a   a 1|b 1 → a   b 0 → b         b 1|c 4 → b
        //   row 1: a 1 → a       a 2|b 2 → a   b 1|c 2 → b     b 2|c 1 → c
        //   row 2: a 4|c 9 → a   a 5|b 5|c 4 → c   c 1 → c     c 0 → c
        let handChecked: [[ColorHint]] = [
            [a, a, b, b],
            [a, a, b, c],
            [a, c, c, c]
        ]
        for y in 0..<3 {
            for x in 0..<4 {
                let want = handChecked[y][x]
                #expect(filled[x, y] == (want.red, want.green, want.blue), "(\(x), \(y))")
            }
        }
        // Swapping the tied hints swaps the tie winner at (1, 0).
        let swapped = Baselines.nearestHintFill(hints: [b, a], input: input)
        #expect(swapped[1, 0] == (0, 0, 255))
        #expect(Baselines.nearestHintFill(hints: [], input: input) == Baselines.inputUnchanged(input))
    }

    @Test("photo-mode fill keeps each pixel's L* and takes the hint's chroma")
    func photoFill() {
        var photo = RGBImage(width: 16, height: 8)
        for y in 0..<8 { for x in 0..<16 { photo[x, y] = (UInt8(90 + 6 * x), UInt8(100 + 5 * y), UInt8(110 + 3 * x)) } }
        let left = ColorHint(x: 2, y: 4, red: 190, green: 130, blue: 110, radius: 2)
        let right = ColorHint(x: 13, y: 4, red: 110, green: 150, blue: 170, radius: 2)
        let filled = Baselines.nearestHintFill(hints: [left, right], input: .photo(photo))
        let before = photo.labPlanes()
        let after = filled.labPlanes()
        let count = photo.pixelCount
        let leftLab = LabColor.rgbToLab(190 / 255, 130 / 255, 110 / 255)
        let rightLab = LabColor.rgbToLab(110 / 255, 150 / 255, 170 / 255)
        for y in 0..<8 {
            for x in 0..<16 {
                let index = y * 16 + x
                #expect(abs(after[index] - before[index]) < 0.6, "L* at (\(x), \(y))")
                let hint = x <= 7 ? leftLab : rightLab
                #expect(abs(after[count + index] - hint.a) < 1.5 && abs(after[2 * count + index] - hint.b) < 1.5)
            }
        }
        #expect(Baselines.nearestHintFill(hints: [], input: .photo(photo)) == Baselines.inputUnchanged(.photo(photo)))
    }
}
