import Tensors
import Testing

@testable import ImageCodecs

@Suite("sRGB bytes from linear light")
struct SRGBBytesTests {
    @Test("the look-up gives the definition's byte at every step, a Float either side, and at random values")
    func matchesDefinition() {
        let steps = CodeSteps.shared
        var values: [Float] = [0, -0, 1, 2, -1, 1e30, -1e30, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 0.0031308]
        for code in 1...255 {
            let threshold = steps.thresholds[code]
            values += [threshold, threshold.nextDown, threshold.nextUp]
            #expect(SRGB.directByte(ofLinear: threshold) >= UInt8(code))
            #expect(SRGB.directByte(ofLinear: threshold.nextDown) < UInt8(code))
        }
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200_000 { values.append(Float.random(in: -0.1...1.1, using: &generator)) }
        for _ in 0..<200_000 { values.append(Float(bitPattern: UInt32.random(in: 0...Float(1).bitPattern, using: &generator))) }
        let mismatches = values.filter { steps.byte(ofLinear: $0) != SRGB.directByte(ofLinear: $0) }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test("an image built from Lab planes holds the bytes of each pixel's own conversion, shared across cores")
    func labPlanesOnAllCores() {
        let (width, height) = (320, 240)  // above PixelBands.minimumSharedPixels
        let count = width * height
        var generator = SeededGenerator(seed: 12)
        var planes = [Float](repeating: 0, count: 3 * count)
        for i in 0..<count {
            planes[i] = Float.random(in: -5...105, using: &generator)
            planes[count + i] = Float.random(in: -140...140, using: &generator)
            planes[2 * count + i] = Float.random(in: -140...140, using: &generator)
        }
        let image = RGBImage(labPlanes: planes, width: width, height: height)
        func byte(_ value: Float) -> UInt8 {
            value.isFinite ? UInt8(min(max(value * 255, 0), 255).rounded()) : 0
        }
        var differing = 0
        for i in 0..<count {
            let rgb = LabColor.labToRGB(LabColor(l: planes[i], a: planes[count + i], b: planes[2 * count + i]))
            if image.pixels[3 * i] != byte(rgb.red) || image.pixels[3 * i + 1] != byte(rgb.green)
                || image.pixels[3 * i + 2] != byte(rgb.blue)
            {
                differing += 1
            }
        }
        #expect(differing == 0)
    }

    @Test("the lightness plane is plane 0 of the Lab planes, gray pixels and coloured, shared across cores")
    func lightnessPlane() {
        let (width, height) = (300, 250)
        var generator = SeededGenerator(seed: 13)
        // The first half gray (r = g = b, looked up), the rest any colour.
        var pixels = [UInt8]()
        for index in 0..<(width * height) {
            let gray = UInt8.random(in: 0...255, using: &generator)
            pixels +=
                index < width * height / 2
                ? [gray, gray, gray] : (0..<3).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        let image = RGBImage(width: width, height: height, pixels: pixels)
        #expect(image.lightnessPlane() == Array(image.labPlanes()[0..<(width * height)]))
    }
}
