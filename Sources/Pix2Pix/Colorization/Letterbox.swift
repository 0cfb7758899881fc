import ImageCodecs

/// Fits a picture of any aspect ratio into the model's S×S square without distortion: scaled
/// so its longer side is S and centered; the margin is padding that is cropped away again.
public struct Letterbox: Sendable, Equatable {
    public let sourceWidth: Int, sourceHeight: Int
    public let side: Int
    /// The picture's size and offset inside the square.
    public let width: Int, height: Int, x: Int, y: Int

    public init(sourceWidth: Int, sourceHeight: Int, side: Int) {
        precondition(sourceWidth > 0 && sourceHeight > 0 && side > 0, "Letterbox: empty size")
        (self.sourceWidth, self.sourceHeight, self.side) = (sourceWidth, sourceHeight, side)
        let scale = Double(side) / Double(max(sourceWidth, sourceHeight))
        width = max(1, min(side, Int((Double(sourceWidth) * scale).rounded())))
        height = max(1, min(side, Int((Double(sourceHeight) * scale).rounded())))
        x = (side - width) / 2
        y = (side - height) / 2
    }

    /// The picture resized into the square, margins filled with `fill`.
    public func place(_ image: RGBImage, fill: UInt8 = 255) -> RGBImage {
        let small = image.resized(width: width, height: height)
        var out = RGBImage(width: side, height: side, red: fill, green: fill, blue: fill)
        out.withMutablePixels { dst in
            small.pixels.withUnsafeBufferPointer { src in
                for row in 0..<height {
                    for i in 0..<(3 * width) { dst[3 * ((y + row) * side + x) + i] = src[3 * row * width + i] }
                }
            }
        }
        return out
    }

    /// The picture's region of a square result, at the square's resolution.
    public func crop(_ square: RGBImage) -> RGBImage {
        precondition(square.width == side && square.height == side, "Letterbox.crop: expected a \(side)×\(side) image")
        var pixels = [UInt8](repeating: 0, count: 3 * width * height)
        square.pixels.withUnsafeBufferPointer { src in
            for row in 0..<height {
                for i in 0..<(3 * width) { pixels[3 * row * width + i] = src[3 * ((y + row) * side + x) + i] }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Hints given in source-picture pixels, moved into the square (radius scaled, at least 1).
    public func place(_ hints: [ColorHint]) -> [ColorHint] {
        let scale = Double(width) / Double(sourceWidth)
        return hints.map { h in
            var moved = h
            moved.x = x + min(width - 1, max(0, Int((Double(h.x) + 0.5) * scale)))
            moved.y = y + min(height - 1, max(0, Int((Double(h.y) + 0.5) * Double(height) / Double(sourceHeight))))
            moved.radius = max(1, Int((Double(h.radius) * scale).rounded()))
            return moved
        }
    }
}
