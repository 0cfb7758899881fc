import ImageCodecs

/// The line-art planes of a model that is given the dense hint fill (`LineArtGuide`):
///
/// - input (9, S, S) = [2·lines − 1, hint RGB in [−1, 1] where hinted (0 elsewhere) ×3,
///   hint mask {0, 1}, known·(2·fill − 1) ×3, known], where fill and known are
///   `HintFill`'s (known is 1 inside a hinted closed region, fading out around a hint in an
///   open one, 0 where no hint reaches);
/// - output (3, S, S) = the colours relative to the fill, in [−1, 1] units:
///   RGB − known·fill. Where the fill is known the network learns corrections (shading,
///   detail) on top of flat colours that already sit exactly where the hints put them;
///   where nothing is known it predicts the colours itself.
///
/// Models from before the fill have 5 input channels (`legacyInputChannels`) and predict
/// RGB directly; they still load and colorize.
extension ColorizationEncoding {
    /// Input planes of line-art models from before the dense fill.
    public static let legacyLineartInputChannels = 5

    /// Whether a line-art input of `channels` planes carries the dense fill.
    public static func lineartHasFill(channels: Int) -> Bool { channels == inputChannels(.lineart) }

    /// Writes a line-art input of `channels` planes (9 with the fill, 5 without) to `out`.
    public static func lineartInput(
        lines: FloatPlane, hints: HintPlanes, fill: HintFill, channels: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        lineartInput(lines: lines, hints: hints, into: out)
        guard lineartHasFill(channels: channels) else { return }
        let plane = lines.width * lines.height
        precondition(fill.width == lines.width && fill.height == lines.height, "the fill does not match the line art")
        for i in 0..<plane {
            let known = fill.known[i]
            for c in 0..<3 { out[(5 + c) * plane + i] = known * (2 * fill.colors[c * plane + i] - 1) }
            out[8 * plane + i] = known
        }
    }

    /// Writes the line-art training target: the truth's RGB in [−1, 1], relative to the
    /// input's fill when it has one. `input` holds the `channels` planes of `lineartInput`.
    public static func lineartTarget(
        truth: RGBImage, input: UnsafePointer<Float>, channels: Int,
        into out: UnsafeMutablePointer<Float>
    ) {
        rgbPlanes(truth, into: out)
        guard lineartHasFill(channels: channels) else { return }
        let plane = truth.width * truth.height
        for i in 0..<(3 * plane) { out[i] -= input[5 * plane + i] }
    }

    /// The RGB planes in [−1, 1] that a line-art output (or target) of `plane` pixels per
    /// channel stands for: itself, plus the input's known fill when the input has one.
    public static func lineartRGB(output: UnsafePointer<Float>, input: UnsafePointer<Float>, channels: Int, plane: Int) -> [Float] {
        var rgb = Array(UnsafeBufferPointer(start: output, count: 3 * plane))
        if lineartHasFill(channels: channels) {
            for i in 0..<(3 * plane) { rgb[i] += input[5 * plane + i] }
        }
        return rgb
    }
}
