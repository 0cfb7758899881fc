import ImageCodecs

/// How pictures, line art and hints become network planes, and network output becomes a
/// picture — one definition shared by training and inference.
///
/// - lineart: input (5, S, S) = [2·lines − 1, hint RGB mapped to [−1, 1] where hinted
///   (0 elsewhere) ×3, hint mask {0, 1}]; output (3, S, S) = RGB in [−1, 1].
/// - photo: input (4, S, S) = [L/50 − 1, hint a/110, hint b/110 (0 where no hint), mask];
///   output (2, S, S) = (a/110, b/110). The picture's own L is kept at composition.
public enum ColorizationEncoding {
    /// Scale of Lab chroma in network units.
    public static let chromaScale: Float = 110

    public static func inputChannels(_ mode: ModelMode) -> Int {
        switch mode {
        case .lineart: 5
        case .photo: 4
        case .pix2pix: 3
        }
    }

    public static func outputChannels(_ mode: ModelMode) -> Int {
        switch mode {
        case .lineart, .pix2pix: 3
        case .photo: 2
        }
    }

    /// Writes a line-art input (5 planes) to `out`.
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

    /// Writes a photo input (4 planes) to `out`; `lab` is (3, H, W) L, a, b planes.
    public static func photoInput(lab: [Float], hints: HintPlanes, into out: UnsafeMutablePointer<Float>) {
        let plane = hints.width * hints.height
        precondition(lab.count == 3 * plane, "Lab planes do not match the hint planes")
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
        var lab = [Float](repeating: 0, count: 3 * plane)
        for i in 0..<plane {
            lab[i] = lightness[lightness.startIndex + i]
            lab[plane + i] = p[i] * chromaScale
            lab[2 * plane + i] = p[plane + i] * chromaScale
        }
        return RGBImage(labPlanes: lab, width: width, height: height)
    }

    /// Line-art composition: colors multiplied by the line art (1 = paper, 0 = ink), so the
    /// lines stay crisp on top. Shared by inference and validation, so validation scores what
    /// users see.
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
