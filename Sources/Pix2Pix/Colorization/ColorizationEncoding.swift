import ImageCodecs

/// How pictures, line art and hints become network planes, and network output becomes a
/// picture — one definition shared by training and inference.
///
/// - lineart: input (9, S, S) = [2·lines − 1, hint RGB mapped to [−1, 1] where hinted
///   (0 elsewhere) ×3, hint mask {0, 1}, the dense hint fill ×3 and where it is known];
///   output (3, S, S) = RGB in [−1, 1] relative to the fill (see `LineArtEncoding.swift`).
///   Models from before the fill have the first 5 planes and predict RGB directly.
/// - photo: input (6, S, S) = [L/50 − 1, hint a/110, hint b/110 (0 where no hint), mask,
///   fill a/110, fill b/110], where the fill gives every pixel the chroma of the nearest
///   hinted pixel (0 with no hints); output (2, S, S) = the chroma's difference from the
///   fill, (a − fill a)/110 and (b − fill b)/110. So with many hints the network starts from
///   the nearest-hint baseline and only learns corrections (edges, shading), and with none
///   it predicts the chroma itself. The picture's own L is kept at composition.
///   Models from before the fill have 4 input channels and predict the chroma directly; they
///   still load and colorize (`photoHasFill` is false for them).
public enum ColorizationEncoding {
    /// Scale of Lab chroma in network units.
    public static let chromaScale: Float = 110

    public static func inputChannels(_ mode: ModelMode) -> Int {
        switch mode {
        case .lineart: 9
        case .photo: 6
        case .pix2pix: 3
        }
    }

    /// Whether a generator with `channels` inputs can serve `mode` (models from before the
    /// dense hint fill: photo 4, line art 5).
    public static func accepts(inputChannels channels: Int, for mode: ModelMode) -> Bool {
        channels == inputChannels(mode) || (mode == .photo && channels == 4)
            || (mode == .lineart && channels == legacyLineartInputChannels)
    }

    /// Whether a photo input of `channels` planes carries the dense hint fill (and the
    /// network's output is relative to it).
    public static func photoHasFill(channels: Int) -> Bool { channels == 6 }

    /// The plane holding the hint mask.
    public static func maskChannel(_ mode: ModelMode) -> Int { mode == .lineart ? 4 : 3 }

    public static func outputChannels(_ mode: ModelMode) -> Int {
        switch mode {
        case .lineart, .pix2pix: 3
        case .photo: 2
        }
    }

    /// Writes the first 5 planes of a line-art input (lines and hints) to `out`.
    public static func lineartInput(lines: FloatPlane, hints: HintPlanes, into out: UnsafeMutablePointer<Float>) {
        let plane = lines.width * lines.height
        precondition(hints.width == lines.width && hints.height == lines.height, "hint planes do not match the line art")
        for i in 0..<plane {
            out[i] = 2 * lines.values[i] - 1
            let m = hints.hintMask[i]
            for c in 0..<3 { out[(1 + c) * plane + i] = m > 0 ? 2 * hints.hintColor[c * plane + i] - 1 : 0 }
            out[4 * plane + i] = m
        }
    }

    /// Writes a photo input to `out`: 6 planes (with the dense hint fill: each pixel the chroma
    /// of the hinted pixel `EdgeAwareHintPixel` assigns it) or, for older models, 4; `lab` is
    /// (3, H, W) L, a, b planes.
    public static func photoInput(lab: [Float], hints: HintPlanes, channels: Int = 6, into out: UnsafeMutablePointer<Float>) {
        let plane = hints.width * hints.height
        precondition(lab.count == 3 * plane, "Lab planes do not match the hint planes")
        precondition(channels == 4 || channels == 6, "a photo input has 4 or 6 planes")
        for i in 0..<plane {
            out[i] = lab[i] / 50 - 1
            let m = hints.hintMask[i]
            if m > 0 {
                let hint = LabColor.rgbToLab(hints.hintColor[i], hints.hintColor[plane + i], hints.hintColor[2 * plane + i])
                out[plane + i] = hint.a / chromaScale
                out[2 * plane + i] = hint.b / chromaScale
            } else {
                out[plane + i] = 0
                out[2 * plane + i] = 0
            }
            out[3 * plane + i] = m
        }
        guard photoHasFill(channels: channels) else { return }
        let sources = EdgeAwareHintPixel.map(
            mask: hints.hintMask, lightness: Array(lab[0..<plane]), width: hints.width,
            height: hints.height)
        for i in 0..<plane {
            let seed = sources.map { Int($0[i]) }
            out[4 * plane + i] = seed.map { out[plane + $0] } ?? 0
            out[5 * plane + i] = seed.map { out[2 * plane + $0] } ?? 0
        }
    }

    /// Writes the photo training target: the truth's chroma, relative to the input's fill
    /// when it has one. `input` holds the `channels` planes written by `photoInput`.
    public static func photoTarget(lab: [Float], input: UnsafePointer<Float>, channels: Int, into out: UnsafeMutablePointer<Float>) {
        let plane = lab.count / 3
        chromaPlanes(lab: lab, plane: plane, into: out)
        guard photoHasFill(channels: channels) else { return }
        for i in 0..<(2 * plane) { out[i] -= input[4 * plane + i] }
    }

    /// The chroma planes (network units) from a photo network output: the output itself, or
    /// output + fill for inputs with the dense hint fill.
    public static func photoChroma(output: UnsafePointer<Float>, input: UnsafePointer<Float>, channels: Int, plane: Int) -> [Float] {
        var chroma = Array(UnsafeBufferPointer(start: output, count: 2 * plane))
        if photoHasFill(channels: channels) {
            for i in 0..<(2 * plane) { chroma[i] += input[4 * plane + i] }
        }
        return chroma
    }

    /// How much of the network's own chroma a photo keeps when it has no hint at all. Measured
    /// with the shipped photo model (0 hints, ΔE to the original; grey input 19.89 on the
    /// validation split, 13.86 on held-out lomiri-wallpapers photos): scale 1 → 20.64 / 14.72,
    /// 0.75 → 20.47 / 14.47, 0.5 → 20.32 / 14.25, 0.25 → 20.13 / 14.03. Any colour it guesses
    /// unprompted is further from the truth than grey, so without hints a photo stays grey.
    public static let photoUnhintedChromaScale: Float = 0

    /// Window radius (network pixels) of the smoothing in `photoPrediction`.
    public static let photoSmoothingRadius = 8
    /// Edge threshold of that smoothing, in (L/100)²: steps of lightness above ~3 L\* count
    /// as edges.
    public static let photoSmoothingEpsilon: Float = 1e-3

    /// The chroma planes (network units) a user gets from a photo network output: the
    /// network's chroma (`photoChroma`: output + fill; scaled by `photoUnhintedChromaScale`
    /// when the input has no hint) passed through a guided filter led by
    /// the input's lightness. Where the lightness is flat the chroma is averaged, which removes
    /// the faint checkerboard texture transposed convolutions leave and softens the straight
    /// seams between the fill's nearest-hint regions; where the lightness has edges the
    /// chroma follows them. `input` is square, `side` × `side`.
    public static func photoPrediction(output: UnsafePointer<Float>, input: UnsafePointer<Float>, channels: Int, side: Int) -> [Float] {
        let plane = side * side
        var chroma = photoChroma(output: output, input: input, channels: channels, plane: plane)
        if !(0..<plane).contains(where: { input[3 * plane + $0] > 0 }) {
            for i in 0..<(2 * plane) { chroma[i] *= photoUnhintedChromaScale }
        }
        let lightness = FloatPlane(width: side, height: side, values: (0..<plane).map { (input[$0] + 1) / 2 })
        return GuidedFilter(guide: lightness, radius: photoSmoothingRadius, epsilon: photoSmoothingEpsilon)
            .smooth(planes: chroma)
    }

    /// Spatial extent (network pixels) of the smoothing in `lineartColors`.
    public static let lineartSmoothingSigma: Float = 4

    /// The colours a line-art network output (3 planes in [−1, 1], `side` × `side`) stands
    /// for, smoothed inside the regions `lines` (the network's line art) encloses and never
    /// across a line (`LineBoundedSmoothing`): the speckle and checkerboard texture of the
    /// transposed convolutions is averaged away while every region keeps its own colours.
    /// The lines are multiplied on afterwards.
    public static func lineartColors(output: UnsafePointer<Float>, lines: FloatPlane, side: Int) -> RGBImage {
        var planes = Array(UnsafeBufferPointer(start: output, count: 3 * side * side))
        LineBoundedSmoothing.smooth(&planes, channels: 3, lines: lines, sigma: lineartSmoothingSigma)
        return planes.withUnsafeBufferPointer { image(fromRGBPlanes: $0.baseAddress!, width: side, height: side) }
    }

    /// RGB picture → 3 planes in [−1, 1].
    public static func rgbPlanes(_ image: RGBImage, into out: UnsafeMutablePointer<Float>) {
        let plane = image.width * image.height
        image.pixels.withUnsafeBufferPointer { p in
            for i in 0..<plane {
                for c in 0..<3 { out[c * plane + i] = Float(p[3 * i + c]) / 127.5 - 1 }
            }
        }
    }

    /// Lab planes → the photo target (a/110, b/110).
    public static func chromaPlanes(lab: [Float], plane: Int, into out: UnsafeMutablePointer<Float>) {
        for i in 0..<plane {
            out[i] = lab[plane + i] / chromaScale
            out[plane + i] = lab[2 * plane + i] / chromaScale
        }
    }

    /// 3 planes in [−1, 1] → RGB picture.
    public static func image(fromRGBPlanes p: UnsafePointer<Float>, width: Int, height: Int) -> RGBImage {
        let plane = width * height
        var pixels = [UInt8](repeating: 0, count: 3 * plane)
        for i in 0..<plane {
            for c in 0..<3 { pixels[3 * i + c] = byte((p[c * plane + i] + 1) * 127.5) }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// L plane plus chroma planes in network units → RGB picture.
    public static func image(lightness: ArraySlice<Float>, chroma p: UnsafePointer<Float>, width: Int, height: Int) -> RGBImage {
        let plane = width * height
        precondition(lightness.count == plane, "lightness does not match the picture")
        return lightness.withUnsafeBufferPointer {
            RGBImage(
                lightness: $0.baseAddress!, a: p, b: p + plane, chromaScale: chromaScale, width: width, height: height)
        }
    }

    /// Line-art composition, shared by inference and validation so validation scores what
    /// users see: the paper around the drawing stays white unless hinted (`PaperBackground`),
    /// then the colors are multiplied by the line art so the lines stay crisp on top.
    public static func composeLineArt(_ colors: RGBImage, lines: FloatPlane, hints: [ColorHint]) -> RGBImage {
        multiply(PaperBackground.keepingPaperWhite(colors, lines: lines, hints: hints), by: lines)
    }

    /// Colors multiplied by the line art (1 = paper, 0 = ink).
    public static func multiply(_ colors: RGBImage, by lines: FloatPlane) -> RGBImage {
        precondition(colors.width == lines.width && colors.height == lines.height, "line art does not match the colors")
        var result = colors
        result.withMutablePixels { p in
            for i in 0..<(lines.width * lines.height) {
                let ink = lines.values[i]
                for c in 0..<3 { p[3 * i + c] = byte(Float(p[3 * i + c]) * ink) }
            }
        }
        return result
    }

    @inline(__always) static func byte(_ v: Float) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }
}
