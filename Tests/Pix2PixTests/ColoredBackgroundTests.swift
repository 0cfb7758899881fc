import ImageCodecs
import Pix2Pix
import Tensors
import Testing

@Suite("Colored background augmentation")
struct ColoredBackgroundTests {
    /// 24×24 white picture with a red ring from (6, 6) to (17, 17) around a white hole.
    private static func ring() -> RGBImage {
        var picture = RGBImage(width: 24, height: 24, red: 255, green: 255, blue: 255)
        for y in 6...17 {
            for x in 6...17 where x < 9 || x > 14 || y < 9 || y > 14 { picture[x, y] = (200, 20, 20) }
        }
        return picture
    }

    @Test("only the white reached from the border is background; white enclosed by the drawing is not")
    func maskIsBorderConnectedWhite() {
        let mask = ColoredBackground.mask(of: Self.ring())
        #expect(mask[0] && mask[23 * 24 + 23] && mask[5 * 24 + 12])
        #expect(!mask[12 * 24 + 12], "the hole inside the ring")
        #expect(!mask[7 * 24 + 7], "the red ring")
    }

    @Test("repainting changes the background only, the same way for the same seed")
    func repaintsBackgroundOnly() {
        let picture = Self.ring()
        let mask = ColoredBackground.mask(of: picture)
        var first = SeededGenerator(seed: 7)
        var second = SeededGenerator(seed: 7)
        let painted = ColoredBackground.repainted(picture, rng: &first)
        #expect(painted == ColoredBackground.repainted(picture, rng: &second))
        var changed = 0
        for i in 0..<picture.pixelCount {
            let before = picture.pixels[(3 * i)..<(3 * i + 3)]
            let after = painted.pixels[(3 * i)..<(3 * i + 3)]
            if !mask[i] { #expect(before == after, "pixel \(i) is not background") }
            if before != after { changed += 1 }
        }
        #expect(changed > picture.pixelCount / 2, "most of the background got a new colour")
    }

    @Test("training samples: with share 1 the background is painted and hints can land on it; with 0 nothing changes")
    func sampleMakerShare() {
        var picture = Self.ring()
        picture = picture.resized(width: 64, height: 64)
        let painted = SampleMaker(mode: .lineart, size: 64, coloredBackgrounds: 1)
        let plain = SampleMaker(mode: .lineart, size: 64, coloredBackgrounds: 0)
        var rngA = SeededGenerator(seed: 3)
        var rngB = SeededGenerator(seed: 3)
        let a = painted.training(picture, rng: &rngA)
        let b = plain.training(picture, rng: &rngB)
        // The plain sample's corner is paper white; the painted one's is (almost surely) not.
        #expect(b.truth[0, 0] == (255, 255, 255))
        #expect(a.truth[0, 0] != (255, 255, 255))
    }
}
