/// Flattens RGBA onto an opaque white background.
///
/// Tinct's models see opaque pictures; a transparent line-art background is white paper.
enum AlphaCompositing {
    /// `out = (c·a + 255·(255 − a)) / 255`, rounded to nearest, per channel.
    static func overWhite(rgba: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let pixelCount = rgba.count / 4
        return [UInt8](unsafeUninitializedCapacity: pixelCount * 3) { rgb, initialized in
            for pixel in 0..<pixelCount {
                let alpha = UInt32(rgba[4 * pixel + 3])
                let paper = 255 * (255 - alpha) + 127
                for channel in 0..<3 {
                    rgb[3 * pixel + channel] = UInt8((UInt32(rgba[4 * pixel + channel]) * alpha + paper) / 255)
                }
            }
            initialized = pixelCount * 3
        }
    }
}
