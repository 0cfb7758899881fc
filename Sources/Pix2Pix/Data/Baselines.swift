import ImageCodecs

/// The non-learned colorizations every model must beat, scored with `Metrics`.
public enum Baselines {
    /// What a colorization model receives, which decides what "unchanged" means.
    public enum Input: Sendable, Equatable {
        /// Line art, 1 = paper, 0 = ink.
        case lineArt(FloatPlane)
        /// A colour (or grey) photo; only its lightness L\* is treated as input.
        case photo(RGBImage)

        /// Width in pixels.
        public var width: Int {
            switch self {
            case .lineArt(let plane): plane.width
            case .photo(let image): image.width
            }
        }

        /// Height in pixels.
        public var height: Int {
            switch self {
            case .lineArt(let plane): plane.height
            case .photo(let image): image.height
            }
        }
    }

    /// The input itself as RGB: line art as grey, a photo as its own L\* with zero chroma.
    public static func inputUnchanged(_ input: Input) -> RGBImage {
        switch input {
        case .lineArt(let plane):
            return RGBImage(GrayImage(plane))
        case .photo(let image):
            var planes = image.labPlanes()
            let count = image.pixelCount
            for index in count..<(3 * count) { planes[index] = 0 }
            return RGBImage(labPlanes: planes, width: image.width, height: image.height)
        }
    }

    /// Every pixel takes the colour of the hint whose centre is nearest (Euclidean; on a
    /// tie the hint earlier in `hints` wins), a Voronoi fill of the hints.
    ///
    /// Hints are in the input's pixel coordinates. For a photo only the hint's chroma
    /// (a\*, b\*) is used and each pixel keeps its own L\*, as a photo colorizer predicts
    /// chroma only; the result is clamped to the sRGB gamut. With no hints this is
    /// `inputUnchanged(input)`. Brute force, O(pixels × hints), fine for ≤ 40 hints.
    public static func nearestHintFill(hints: [ColorHint], input: Input) -> RGBImage {
        guard !hints.isEmpty else { return inputUnchanged(input) }
        let width = input.width
        let height = input.height
        var nearest = [Int](repeating: 0, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var best = 0
                var bestDistance = Int.max
                for (index, hint) in hints.enumerated() {
                    let dx = x - hint.x
                    let dy = y - hint.y
                    let distance = dx * dx + dy * dy
                    if distance < bestDistance {
                        best = index
                        bestDistance = distance
                    }
                }
                nearest[y * width + x] = best
            }
        }

        switch input {
        case .lineArt:
            var pixels = [UInt8](repeating: 0, count: 3 * width * height)
            for (index, hintIndex) in nearest.enumerated() {
                let hint = hints[hintIndex]
                pixels[3 * index] = hint.red
                pixels[3 * index + 1] = hint.green
                pixels[3 * index + 2] = hint.blue
            }
            return RGBImage(width: width, height: height, pixels: pixels)
        case .photo(let image):
            let chroma = hints.map { hint in
                LabColor.rgbToLab(Float(hint.red) / 255, Float(hint.green) / 255, Float(hint.blue) / 255)
            }
            var planes = image.labPlanes()
            let count = width * height
            for (index, hintIndex) in nearest.enumerated() {
                planes[count + index] = chroma[hintIndex].a
                planes[2 * count + index] = chroma[hintIndex].b
            }
            return RGBImage(labPlanes: planes, width: width, height: height)
        }
    }

    /// A photo's edge-aware fill: every pixel keeps its own L\* and takes the chroma of the
    /// hint `EdgeAwareHintPixel` assigns it (colour spreads over flat lightness, hardly across
    /// edges). Each hint covers its disc; a later hint's disc wins where discs overlap. With
    /// no hints this is `inputUnchanged(.photo(image))`.
    public static func edgeAwareFill(hints: [ColorHint], photo image: RGBImage) -> RGBImage {
        let (width, height) = (image.width, image.height)
        let count = width * height
        var hintOf = [Int](repeating: -1, count: count)
        for (index, hint) in hints.enumerated() {
            let r = max(0, hint.radius)
            for y in max(0, hint.y - r)..<min(height, hint.y + r + 1) {
                for x in max(0, hint.x - r)..<min(width, hint.x + r + 1) where (x - hint.x) * (x - hint.x) + (y - hint.y) * (y - hint.y) <= r * r {
                    hintOf[y * width + x] = index
                }
            }
        }
        var planes = image.labPlanes()
        guard
            let sources = EdgeAwareHintPixel.map(
                mask: hintOf.map { $0 >= 0 ? 1 : 0 }, lightness: Array(planes[0..<count]),
                width: width, height: height)
        else {
            return inputUnchanged(.photo(image))
        }
        let chroma = hints.map { LabColor.rgbToLab(Float($0.red) / 255, Float($0.green) / 255, Float($0.blue) / 255) }
        for i in 0..<count {
            let hint = chroma[hintOf[Int(sources[i])]]
            planes[count + i] = hint.a
            planes[2 * count + i] = hint.b
        }
        return RGBImage(labPlanes: planes, width: width, height: height)
    }
}
