import ImageCodecs

/// How the output of a line-art model given the dense fill (`LineArtEncoding`) becomes the
/// picture a user sees — shared by inference and validation, so the scores are what users
/// get:
///
/// 1. The network's corrections are smoothed inside the regions its own lines enclose
///    (`LineBoundedSmoothing`, σ `lineartSmoothingSigma`), which removes the speckle of the
///    transposed convolutions, then scaled up to the drawing's size.
/// 2. They are added to the fill at full resolution: flat hint colours exactly where the
///    hints reach (`known`), the network's own colours where nothing is known. Where the
///    fill is known the corrections are weighted by `knownCorrectionWeight`.
/// 3. The page stays paper: in an open region (`InkRegions.isOpen`) a pixel is blended to
///    white by how little the hints reach it, so paper no hint reaches is white whatever the
///    network guessed.
/// 4. A closed region no hint reaches is one flat colour, as a hinted region is its hints'
///    flat colour (the network's guesses vary in blotches inside a shape, which no artist
///    would paint): the mean of the network's colours over it, mixed half and half with the
///    colour of the hint nearest to the region's centre when there are hints — a panel
///    beside dark-grey hints is more likely dark grey than the network alone guesses.
/// 5. The colours are multiplied by the lines, which stay crisp on top.
public enum LineArtComposition {
    /// Weight of the network's corrections where the hints' colours are known. Measured on
    /// the validation split (30 pictures, as a user meets the model): with weight 1 the
    /// colour around each hint was 4.7–6.3 ΔE off the hint and ΔE to the original higher at
    /// every hint count than with 0 (16 hints: 9.79 against 9.50); 0.5 lay between. So where
    /// a hint reaches, its colour is what the user gets; the network colours the rest.
    public static let knownCorrectionWeight: Float = 0

    /// The picture a user gets: `paint(…)` multiplied by the drawing's lines (step 5).
    ///
    /// - Parameters:
    ///   - output: the network's 3 planes, `box.side` square.
    ///   - networkLines: the line art the network saw, `box.side` square.
    ///   - box: where the drawing lies in the network's square.
    ///   - guide: the drawing's lines, regions and fill at its own resolution.
    public static func compose(
        output: UnsafePointer<Float>, networkLines: FloatPlane, box: Letterbox,
        guide: LineArtGuide
    ) -> RGBImage {
        paint(output: output, networkLines: networkLines, box: box, guide: guide).multiplied(by: guide.lines)
    }

    /// Steps 1–4: the colours under the lines, at the drawing's resolution (same parameters
    /// as `compose`). A layered export starts from these, so its layers flatten to the same
    /// picture.
    public static func paint(
        output: UnsafePointer<Float>, networkLines: FloatPlane, box: Letterbox,
        guide: LineArtGuide
    ) -> LineArtPaint {
        let side = box.side
        var corrections = Array(UnsafeBufferPointer(start: output, count: 3 * side * side))
        LineBoundedSmoothing.smooth(
            &corrections, channels: 3, lines: networkLines,
            sigma: ColorizationEncoding.lineartSmoothingSigma)
        let (width, height) = (guide.lines.width, guide.lines.height)
        let plane = width * height
        // The corrections at full resolution; overwritten below by the colours, plane by plane.
        var colors = [Float](repeating: 0, count: 3 * plane)
        for c in 0..<3 {
            let square = FloatPlane(width: side, height: side, values: Array(corrections[(c * side * side)..<((c + 1) * side * side)]))
            let scaled = PlaneResize.bilinear(
                square.cropped(x: box.x, y: box.y, width: box.width, height: box.height),
                width: width, height: height
            ).values
            colors.replaceSubrange((c * plane)..<((c + 1) * plane), with: scaled)
        }
        var paper = [Float](repeating: 0, count: plane)
        let fill = guide.fill
        for i in 0..<plane {
            let known = fill.known[i]
            let onPage = guide.regions.effectiveRegion(i).map { guide.regions.isOpen[$0] } ?? false
            if onPage { paper[i] = 1 - known }
            for c in 0..<3 {
                let correction = (1 - known + knownCorrectionWeight * known) * colors[c * plane + i]
                var value = (known * (2 * fill.colors[c * plane + i] - 1) + correction + 1) / 2
                if onPage { value = known * value + (1 - known) }
                colors[c * plane + i] = min(1, max(0, value))
            }
        }
        flattenUnhintedRegions(&colors, guide: guide)
        return LineArtPaint(width: width, height: height, colors: colors, paper: paper)
    }

    /// Step 4: every pixel that no hint reaches (`known` 0) in a closed region takes one
    /// colour per region: the mean of those pixels' colours, mixed by `nearestHintShare` with
    /// the hint nearest to their centre. Measured on 100 validation and 100 hedgewars
    /// pictures (session 10): share 0.5 took ΔE at 16 hints 9.16 → 9.09 and 8.18 → 8.04,
    /// at 4 hints 10.63 → 10.61 and 10.41 → 10.13, at 64 and 128 within ±0.07; shares 0.35
    /// and 0.65 lay within 0.05 of it, 1 (the hint's colour alone) was worse at 4 and 64 hints.
    static func flattenUnhintedRegions(_ colors: inout [Float], guide: LineArtGuide) {
        let regions = guide.regions
        let plane = regions.width * regions.height
        var unhinted = [Int](repeating: -1, count: plane)
        // Per region: red, green, blue, x, y sums and the pixel count.
        var sums = [Float](repeating: 0, count: 6 * regions.count)
        for i in 0..<plane where guide.fill.known[i] == 0 {
            guard let region = regions.effectiveRegion(i), !regions.isOpen[region] else { continue }
            unhinted[i] = region
            for c in 0..<3 { sums[6 * region + c] += colors[c * plane + i] }
            sums[6 * region + 3] += Float(i % regions.width)
            sums[6 * region + 4] += Float(i / regions.width)
            sums[6 * region + 5] += 1
        }
        var flats = [Float](repeating: 0, count: 3 * regions.count)
        for region in 0..<regions.count where sums[6 * region + 5] > 0 {
            let count = sums[6 * region + 5]
            let mean = (0..<3).map { sums[6 * region + $0] / count }
            let centre = (x: sums[6 * region + 3] / count, y: sums[6 * region + 4] / count)
            guard let nearest = guide.hints.min(by: { squaredDistance($0, to: centre) < squaredDistance($1, to: centre) }) else {
                flats.replaceSubrange((3 * region)..<(3 * region + 3), with: mean)
                continue
            }
            let hint = [nearest.red, nearest.green, nearest.blue].map { Float($0) / 255 }
            for c in 0..<3 { flats[3 * region + c] = (1 - nearestHintShare) * mean[c] + nearestHintShare * hint[c] }
        }
        for i in 0..<plane where unhinted[i] >= 0 {
            for c in 0..<3 { colors[c * plane + i] = flats[3 * unhinted[i] + c] }
        }
    }

    /// How much of an unhinted closed region's colour comes from the hint nearest to it.
    public static let nearestHintShare: Float = 0.5

    private static func squaredDistance(_ hint: ColorHint, to point: (x: Float, y: Float)) -> Float {
        (Float(hint.x) - point.x) * (Float(hint.x) - point.x) + (Float(hint.y) - point.y) * (Float(hint.y) - point.y)
    }
}

/// The colours of a composed line-art picture before its lines are multiplied in
/// (`LineArtComposition.paint`).
public struct LineArtPaint: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// (3, H, W) sRGB in [0, 1]: the colour under the lines at each pixel.
    public let colors: [Float]
    /// (H, W) in [0, 1]: how much of each pixel's colour is the page's white paper — 1 − the
    /// hints' reach on open regions (the page), 0 in closed regions. Paper with weight 1 is
    /// what a transparent export leaves clear.
    public let paper: [Float]

    public init(width: Int, height: Int, colors: [Float], paper: [Float]) {
        precondition(colors.count == 3 * width * height && paper.count == width * height, "planes do not match the size")
        (self.width, self.height, self.colors, self.paper) = (width, height, colors, paper)
    }

    /// Step 4: the colours times `lines` (1 paper, 0 ink), as 8-bit RGB.
    public func multiplied(by lines: FloatPlane) -> RGBImage {
        precondition(lines.width == width && lines.height == height, "line art does not match the colors")
        let plane = width * height
        var pixels = [UInt8](repeating: 0, count: 3 * plane)
        for i in 0..<plane {
            let ink = lines.values[i]
            for c in 0..<3 { pixels[3 * i + c] = ColorizationEncoding.byte(255 * colors[c * plane + i] * ink) }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}

extension FloatPlane {
    /// The `width × height` part of the plane whose top left corner is (`x`, `y`).
    public func cropped(x: Int, y: Int, width: Int, height: Int) -> FloatPlane {
        precondition(x >= 0 && y >= 0 && x + width <= self.width && y + height <= self.height, "crop outside the plane")
        var out = [Float](repeating: 0, count: width * height)
        for row in 0..<height {
            for column in 0..<width { out[row * width + column] = values[(y + row) * self.width + x + column] }
        }
        return FloatPlane(width: width, height: height, values: out)
    }
}
