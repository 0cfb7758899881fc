import ImageCodecs

/// The exact (non-resampling) geometry augmentation needs, plus the in-memory size bound.
extension RGBImage {
    /// The `width`×`height` region whose top-left pixel is (`x`, `y`); it must lie inside.
    func cropped(x: Int, y: Int, width w: Int, height h: Int) -> RGBImage {
        precondition(
            x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= width && y + h <= height,
            "crop \(w)×\(h) at (\(x), \(y)) leaves the \(width)×\(height) picture")
        var out = [UInt8](repeating: 0, count: 3 * w * h)
        pixels.withUnsafeBufferPointer { src in
            for row in 0..<h {
                let from = 3 * ((y + row) * width + x)
                for i in 0..<(3 * w) { out[3 * row * w + i] = src[from + i] }
            }
        }
        return RGBImage(width: w, height: h, pixels: out)
    }

    /// Mirrored left to right.
    func mirrored() -> RGBImage {
        var out = pixels
        for row in 0..<height {
            for col in 0..<width {
                let (a, b) = (3 * (row * width + col), 3 * (row * width + width - 1 - col))
                for c in 0..<3 { out[a + c] = pixels[b + c] }
            }
        }
        return RGBImage(width: width, height: height, pixels: out)
    }

    /// Shrunk (area averaging, aspect kept) so the longer side is at most `maxSide`;
    /// unchanged when it already fits.
    func fitted(maxSide: Int) -> RGBImage {
        let scale = Double(maxSide) / Double(max(width, height))
        guard scale < 1 else { return self }
        return resized(width: max(1, Int(Double(width) * scale)), height: max(1, Int(Double(height) * scale)))
    }
}
