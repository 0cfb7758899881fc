import ImageCodecs
import Tensors
import Testing

@Suite("sRGB ↔ CIE Lab")
struct LabColorTests {
    private func close(_ lab: LabColor, _ l: Float, _ a: Float, _ b: Float, tolerance: Float = 0.01) -> Bool {
        abs(lab.l - l) <= tolerance && abs(lab.a - a) <= tolerance && abs(lab.b - b) <= tolerance
    }

    @Test("reference colours")
    func references() {
        #expect(close(LabColor.rgbToLab(1, 1, 1), 100, 0, 0, tolerance: 0.001))
        #expect(close(LabColor.rgbToLab(0, 0, 0), 0, 0, 0, tolerance: 0.001))
        // Published sRGB primaries under D65 (e.g. Lindbloom's calculator).
        #expect(close(LabColor.rgbToLab(1, 0, 0), 53.2408, 80.0925, 67.2032))
        #expect(close(LabColor.rgbToLab(0, 1, 0), 87.7347, -86.1827, 83.1793))
        #expect(close(LabColor.rgbToLab(0, 0, 1), 32.2970, 79.1875, -107.8602))
        #expect(close(LabColor.rgbToLab(0.5, 0.5, 0.5), 53.3890, 0, 0))
    }

    @Test("rgb → Lab → rgb returns the input")
    func roundTrip() {
        var generator = SeededGenerator(seed: 3)
        var rgb: [Float] = [0, 0, 0, 1, 1, 1, 0.001, 0.002, 0.003]
        for _ in 0..<3000 { rgb.append(Float.random(in: 0...1, using: &generator)) }
        let back = LabColor.labToRGB(LabColor.rgbToLab(rgb))
        #expect(zip(rgb, back).allSatisfy { abs($0 - $1) < 1e-4 })
    }

    @Test("image planes round trip to the same bytes")
    func imagePlanes() {
        let image = RGBImage.gradient(width: 17, height: 9)
        let planes = image.labPlanes()
        #expect(planes.count == 3 * 17 * 9)
        #expect(planes[0] == 0)  // top-left is black: L = 0
        #expect(RGBImage(labPlanes: planes, width: 17, height: 9) == image)
    }

    @Test("out-of-gamut Lab clamps when building an image")
    func clamping() {
        // L* 50, a* 150 is redder than sRGB can show: linear R ≈ 1.64, G ≈ −0.25.
        let image = RGBImage(labPlanes: [50, 150, 0], width: 1, height: 1)
        #expect(image[0, 0].red == 255 && image[0, 0].green == 0)
    }
}
