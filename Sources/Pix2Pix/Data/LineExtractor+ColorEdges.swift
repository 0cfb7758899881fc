import ImageCodecs

extension LineExtractor {
    /// Line art of a picture a person opened, keeping the edges between colours of about the
    /// same lightness: the extractor runs on the luminance and on each of R, G and B, and each
    /// pixel keeps its darkest result. On luminance alone a yellow shutter on a light green
    /// disk, or a pink label on a grey body, has no edge and its outline is lost; in one of the
    /// channels the step is large. A grey picture (all channels equal) is extracted once.
    public func extractKeepingColorEdges(from image: RGBImage) -> FloatPlane {
        var lines = extract(from: image)
        guard !Self.isGray(image) else { return lines }
        for channel in 0..<RGBImage.channels {
            let plane = Self.channelPlane(image, channel)
            let channelLines = extract(fromLuminance: plane)
            for index in lines.values.indices where channelLines.values[index] < lines.values[index] {
                lines.values[index] = channelLines.values[index]
            }
        }
        return lines
    }

    /// Whether every pixel has R = G = B.
    static func isGray(_ image: RGBImage) -> Bool {
        image.pixels.withUnsafeBufferPointer { rgb in
            stride(from: 0, to: rgb.count, by: RGBImage.channels).allSatisfy { rgb[$0] == rgb[$0 + 1] && rgb[$0] == rgb[$0 + 2] }
        }
    }

    /// One channel of `image` in [0, 1].
    static func channelPlane(_ image: RGBImage, _ channel: Int) -> FloatPlane {
        var values = [Float](repeating: 0, count: image.pixelCount)
        image.pixels.withUnsafeBufferPointer { rgb in
            for index in values.indices { values[index] = Float(rgb[RGBImage.channels * index + channel]) / 255 }
        }
        return FloatPlane(width: image.width, height: image.height, values: values)
    }
}
