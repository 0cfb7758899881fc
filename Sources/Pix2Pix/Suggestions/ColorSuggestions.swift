import ImageCodecs
import Tensors

/// A colour suggested at a point, and how many of the variants asked agree on it.
public struct ColorSuggestion: Sendable, Equatable {
    public let red: UInt8, green: UInt8, blue: UInt8
    /// How many variants gave this colour (within `ColorSuggestions.agreement`).
    public let votes: Int

    public init(red: UInt8, green: UInt8, blue: UInt8, votes: Int) {
        (self.red, self.green, self.blue, self.votes) = (red, green, blue, votes)
    }

    /// `#rrggbb`.
    public var hex: String { ColorHint(x: 0, y: 0, red: red, green: green, blue: blue, radius: 0).hex }
}

/// Suggested colours at a point (after ideepcolor's recommended colours): the network's own
/// colour at that point in several dropout variants (`ColorVariant`, seeds 1…n), clustered
/// in CIE Lab and ranked by how many variants fall in each cluster.
///
/// The cost is n network runs at the model's resolution over one input (the drawing's
/// regions and hint fill are computed once), plus a smoothing of the output per run — no
/// composition at the picture's size.
public enum ColorSuggestions {
    /// Variants asked by default.
    public static let defaultVariantCount = 8
    /// Most variants one request may ask (each is a network run).
    public static let maximumVariantCount = 32
    /// Two colours closer than this (CIEDE2000) count as the same suggestion: about the
    /// difference between two swatches an artist would still tell apart at a glance.
    public static let agreement: Float = 6
    /// Most suggestions returned.
    public static let maximumCount = 5

    /// Clusters `colors` (agglomerative, average linkage: the two clusters whose mean colours
    /// are closest merge while they are within `agreement`) and ranks them by size, then by
    /// the earliest colour in them; each suggestion is its cluster's mean.
    public static func rank(_ colors: [LabColor], limit: Int = maximumCount) -> [ColorSuggestion] {
        var clusters = colors.enumerated().map { (first: $0.offset, members: [$0.element]) }
        func mean(_ members: [LabColor]) -> LabColor {
            let n = Float(members.count)
            return LabColor(
                l: members.map(\.l).reduce(0, +) / n, a: members.map(\.a).reduce(0, +) / n,
                b: members.map(\.b).reduce(0, +) / n)
        }
        while clusters.count > 1 {
            var best: (i: Int, j: Int, distance: Float)?
            for i in 0..<clusters.count {
                for j in (i + 1)..<clusters.count {
                    let d = mean(clusters[i].members).deltaE2000(to: mean(clusters[j].members))
                    if d < agreement, d < best?.distance ?? .infinity { best = (i, j, d) }
                }
            }
            guard let merge = best else { break }
            let (i, j) = (merge.i, merge.j)
            clusters[i].members += clusters[j].members
            clusters[i].first = min(clusters[i].first, clusters[j].first)
            clusters.remove(at: j)
        }
        clusters.sort { ($0.members.count, -$0.first) > ($1.members.count, -$1.first) }
        return clusters.prefix(limit).map { cluster in
            let rgb = LabColor.labToRGB(mean(cluster.members))
            return ColorSuggestion(red: byte(rgb.red), green: byte(rgb.green), blue: byte(rgb.blue), votes: cluster.members.count)
        }
    }

    static func byte(_ unit: Float) -> UInt8 { ColorizationEncoding.byte(255 * unit) }
}

/// Why no suggestion can be made.
public enum SuggestionError: Error, CustomStringConvertible, Equatable {
    /// A pix2pix model translates whole pictures; it takes no hints.
    case noHints
    case pointOutside(x: Int, y: Int, width: Int, height: Int)

    public var description: String {
        switch self {
        case .noHints: "suggestions need a line-art or photo model: a pix2pix model takes no hints"
        case .pointOutside(let x, let y, let w, let h): "(\(x), \(y)) lies outside the \(w)×\(h) picture"
        }
    }
}

extension Colorizer {
    /// The network's colours at (`x`, `y`) of `image` with `hints`, in `variants` dropout
    /// variants, ranked (`ColorSuggestions.rank`). A model without dropout has one colouring:
    /// its one colour there is the only suggestion (1 vote).
    /// - Throws: `ColorizeError.hintOutside` or `SuggestionError`.
    public func suggestColors(
        for image: RGBImage, hints: [ColorHint], x: Int, y: Int,
        variants: Int = ColorSuggestions.defaultVariantCount
    ) throws -> [ColorSuggestion] {
        precondition(variants >= 1, "at least one variant")
        try checkHints(hints, in: image)
        guard (0..<image.width).contains(x), (0..<image.height).contains(y) else {
            throw SuggestionError.pointOutside(x: x, y: y, width: image.width, height: image.height)
        }
        let seeds: [ColorVariant?] = model.hasVariants ? (1...variants).map { ColorVariant(seed: UInt64($0)) } : [nil]
        guard model.mode != .pix2pix else { throw SuggestionError.noHints }
        let input = suggestionInput(for: image, hints: hints)
        switch input.extra {
        case .lineArt(let lines, let fill):
            return ColorSuggestions.rank(try lineArtColors(input, lines: lines, fill: fill, x: x, y: y, seeds: seeds))
        case .photo: return ColorSuggestions.rank(try photoColors(input, x: x, y: y, seeds: seeds))
        }
    }

    /// The network's colour under the lines at the point, per variant: its output smoothed
    /// inside the regions its lines enclose, as the composition smooths it, added to the hint
    /// fill where the model predicts relative to one (the composition then keeps the hints'
    /// own colours where they reach; a suggestion is what the network itself would paint).
    private func lineArtColors(
        _ input: SuggestionInput, lines: FloatPlane, fill squareFill: HintFill?, x: Int, y: Int, seeds: [ColorVariant?]
    ) throws -> [LabColor] {
        let side = resolution
        let point = Self.paperPixel(near: input.box.squarePoint(x: x, y: y), lines: lines)
        return try seeds.map { seed in
            let output = try model.run(input.x, variant: seed)
            var planes = Array(UnsafeBufferPointer(start: output.data, count: 3 * side * side))
            LineBoundedSmoothing.smooth(&planes, channels: 3, lines: lines, sigma: ColorizationEncoding.lineartSmoothingSigma)
            let rgb = (0..<3).map { c -> Float in
                let fill = squareFill.map { $0.known[point] * (2 * $0.colors[c * side * side + point] - 1) } ?? 0
                return min(1, max(0, (fill + planes[c * side * side + point] + 1) / 2))
            }
            return LabColor.rgbToLab(rgb[0], rgb[1], rgb[2])
        }
    }

    /// The photo's own lightness at the point with the network's chroma there (averaged over
    /// the 3×3 network pixels around it), per variant.
    private func photoColors(_ prepared: SuggestionInput, x: Int, y: Int, seeds: [ColorVariant?]) throws -> [LabColor] {
        let (input, box, image) = (prepared.x, prepared.box, prepared.image)
        let side = box.side
        let plane = side * side
        let channels = model.generator.config.inputChannels
        let p = image[x, y]
        let lightness = LabColor.rgbToLab(Float(p.red) / 255, Float(p.green) / 255, Float(p.blue) / 255).l
        let centre = box.squarePoint(x: x, y: y)
        let window = (-1...1).flatMap { dy in (-1...1).map { dx in (centre % side + dx, centre / side + dy) } }
            .filter { (0..<side).contains($0.0) && (0..<side).contains($0.1) }
        return try seeds.map { seed in
            let output = try model.run(input, variant: seed)
            let chroma = ColorizationEncoding.photoChroma(output: output.data, input: input.data, channels: channels, plane: plane)
            let a = window.map { chroma[$0.1 * side + $0.0] }.reduce(0, +) / Float(window.count)
            let b = window.map { chroma[plane + $0.1 * side + $0.0] }.reduce(0, +) / Float(window.count)
            return LabColor(l: lightness, a: a * ColorizationEncoding.chromaScale, b: b * ColorizationEncoding.chromaScale)
        }
    }

    /// `index` (in a `side`² square), or the nearest pixel within 4 that is not ink: the
    /// smoothing leaves ink pixels as the network drew them.
    static func paperPixel(near index: Int, lines: FloatPlane) -> Int {
        let side = lines.width
        let (x0, y0) = (index % side, index / side)
        var best: (distance: Int, index: Int)?
        for dy in -4...4 {
            for dx in -4...4 {
                let (x, y) = (x0 + dx, y0 + dy)
                guard (0..<side).contains(x), (0..<lines.height).contains(y),
                    lines.values[y * side + x] > PaperBackground.paperThreshold
                else { continue }
                let d = dx * dx + dy * dy
                if d < best?.distance ?? .max { best = (d, y * side + x) }
            }
        }
        return best?.index ?? index
    }
}

extension Letterbox {
    /// The square's pixel (row-major index) that source pixel (`x`, `y`) falls in.
    func squarePoint(x: Int, y: Int) -> Int {
        let sx = self.x + min(width - 1, max(0, Int((Double(x) + 0.5) * Double(width) / Double(sourceWidth))))
        let sy = self.y + min(height - 1, max(0, Int((Double(y) + 0.5) * Double(height) / Double(sourceHeight))))
        return sy * side + sx
    }
}
