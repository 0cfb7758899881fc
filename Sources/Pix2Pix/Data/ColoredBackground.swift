import Foundation
import ImageCodecs
import Tensors

/// Training augmentation for line art: the white background of a clip-art picture — the
/// near-white pixels connected to the border — is repainted with a random flat colour or
/// linear gradient.
///
/// The clip art Tinct trains on is drawn on white, so without this a model learns that open
/// space is paper and ignores hints placed there; pictures of other styles (illustrations
/// with a coloured backdrop, full-bleed drawings) then come out white around the subject.
/// With a painted background the simulated hints land on it too, so the model is asked to
/// carry their colour over the open space. (At inference the paper rule still whitens an
/// unhinted background; see `PaperBackground`.) Experimental: a 1 000-step fine-tune of the
/// default line-art model at a share of 0.3 neither got there nor kept its validation scores
/// (see models/default-lineart/MODEL_CARD.md); it is probably a from-the-start option.
public enum ColoredBackground {
    /// Pixels whose every channel is at least this are background candidates.
    public static let whiteLevel: UInt8 = 240

    /// The border-connected near-white region of `picture`, one Bool per pixel.
    public static func mask(of picture: RGBImage) -> [Bool] {
        let whiteness = FloatPlane(
            width: picture.width, height: picture.height,
            values: (0..<picture.pixelCount).map { i in
                let p = picture.pixels[(3 * i)..<(3 * i + 3)]
                return p.allSatisfy { $0 >= whiteLevel } ? 1 : 0
            })
        return PaperBackground.mask(of: whiteness)
    }

    /// `picture` with its background repainted: half the time one random colour, otherwise
    /// a gradient between two random colours along a random direction.
    public static func repainted(_ picture: RGBImage, rng: inout SeededGenerator) -> RGBImage {
        let background = mask(of: picture)
        let first = (rng.uniform(0...255), rng.uniform(0...255), rng.uniform(0...255))
        let second = rng.chance(0.5) ? first : (rng.uniform(0...255), rng.uniform(0...255), rng.uniform(0...255))
        let angle = rng.uniform(0...(2 * Float.pi))
        let (dx, dy) = (cos(angle), sin(angle))
        let (width, height) = (picture.width, picture.height)
        // Projection of each pixel on the direction, mapped to 0…1 over the picture.
        let corners = [(0, 0), (width - 1, 0), (0, height - 1), (width - 1, height - 1)].map { Float($0.0) * dx + Float($0.1) * dy }
        let low = corners.min()!
        let span = max(corners.max()! - low, 1)
        var result = picture
        result.withMutablePixels { p in
            for (index, isBackground) in background.enumerated() where isBackground {
                let t = (Float(index % width) * dx + Float(index / width) * dy - low) / span
                p[3 * index] = UInt8((first.0 + (second.0 - first.0) * t).rounded())
                p[3 * index + 1] = UInt8((first.1 + (second.1 - first.1) * t).rounded())
                p[3 * index + 2] = UInt8((first.2 + (second.2 - first.2) * t).rounded())
            }
        }
        return result
    }
}
