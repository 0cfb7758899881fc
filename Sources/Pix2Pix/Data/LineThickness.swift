/// Line-weight variation by grayscale morphology on line art (1 = paper, 0 = ink).
///
/// Thickening spreads ink: each pixel takes the minimum (darkest) value in a disc of the
/// given radius (a dilation of the ink, an erosion of the paper). Thinning does the
/// opposite with the maximum. Radius 0 is the identity; the disc is the set of offsets
/// with dx² + dy² ≤ radius², so radius 1 is a plus and radius 2 a 13-pixel disc.
/// Thinning by r removes lines narrower than 2r + 1 pixels entirely, so training draws
/// thicken only (see `LineExtractor.random(rng:)`).
public enum LineThickness {
    /// Largest radius the operations accept; wider discs would swamp 256-pixel line art.
    public static let maximumRadius = 2

    /// `lineArt` with ink widened by `radius` pixels on each side.
    public static func thicken(_ lineArt: FloatPlane, radius: Int) -> FloatPlane {
        morph(lineArt, radius: radius, keep: min)
    }

    /// `lineArt` with ink narrowed by `radius` pixels on each side.
    public static func thin(_ lineArt: FloatPlane, radius: Int) -> FloatPlane {
        morph(lineArt, radius: radius, keep: max)
    }

    /// Thickens for positive `amount`, thins for negative, unchanged for 0.
    public static func adjust(_ lineArt: FloatPlane, by amount: Int) -> FloatPlane {
        amount >= 0 ? thicken(lineArt, radius: amount) : thin(lineArt, radius: -amount)
    }

    private static func morph(_ plane: FloatPlane, radius: Int, keep: (Float, Float) -> Float) -> FloatPlane {
        precondition(
            (0...maximumRadius).contains(radius), "line thickness radius must be in 0...\(maximumRadius), got \(radius)")
        guard radius > 0 else { return plane }
        var offsets: [(dx: Int, dy: Int)] = []
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius { offsets.append((dx, dy)) }
        }
        let width = plane.width
        let height = plane.height
        var output = plane
        plane.values.withUnsafeBufferPointer { source in
            output.values.withUnsafeMutableBufferPointer { out in
                for y in 0..<height {
                    for x in 0..<width {
                        var value = source[y * width + x]
                        for (dx, dy) in offsets {
                            let sx = x + dx
                            let sy = y + dy
                            if sx >= 0 && sx < width && sy >= 0 && sy < height {
                                value = keep(value, source[sy * width + sx])
                            }
                        }
                        out[y * width + x] = value
                    }
                }
            }
        }
        return output
    }
}
