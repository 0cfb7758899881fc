import ImageCodecs

/// The paper around a drawing stays paper: the part of the line art that reaches the
/// picture's border without crossing ink is left white, unless a hint was placed in it.
///
/// Clip art and sketches are mostly drawn on white, and a generator's small tints over
/// that large area (a cream or grey cast, GAN texture) cost more than its guesses inside
/// the shapes gain: on the line-art validation pictures the background was 65% of the
/// pixels. A person who wants a colored background puts a hint there, and then the model's
/// colors are kept. Shared by inference and validation, so the scores are what users get.
public enum PaperBackground {
    /// Line-art values above this are paper; darker pixels (ink, and the soft edges of
    /// anti-aliased lines) stop the fill so it does not leak through thin lines.
    public static let paperThreshold: Float = 0.8

    /// true for every pixel connected (4-neighbourhood) to the border through paper.
    ///
    /// A scanline fill: each seed grows into the whole run of paper on its row, and the rows
    /// above and below get one seed per run of unreached paper along it, so the work list stays
    /// small even on large pictures.
    public static func mask(of lines: FloatPlane) -> [Bool] {
        let (width, height) = (lines.width, lines.height)
        var reached = [Bool](repeating: false, count: width * height)
        func isOpen(_ x: Int, _ y: Int) -> Bool {
            !reached[y * width + x] && lines.values[y * width + x] > paperThreshold
        }
        var seeds: [(x: Int, y: Int)] = []
        for x in 0..<width { seeds += [(x, 0), (x, height - 1)] }
        for y in 0..<height { seeds += [(0, y), (width - 1, y)] }
        while let (x, y) = seeds.popLast() {
            guard isOpen(x, y) else { continue }
            var left = x
            var right = x
            while left > 0 && isOpen(left - 1, y) { left -= 1 }
            while right < width - 1 && isOpen(right + 1, y) { right += 1 }
            for i in left...right { reached[y * width + i] = true }
            for row in [y - 1, y + 1] where (0..<height).contains(row) {
                var i = left
                while i <= right {
                    if isOpen(i, row) {
                        seeds.append((i, row))
                        while i <= right && isOpen(i, row) { i += 1 }
                    } else {
                        i += 1
                    }
                }
            }
        }
        return reached
    }

    /// `colors` with the border-connected paper set to white — unless one of `hints` (in
    /// the same pixel coordinates) lies in it, in which case `colors` are returned unchanged.
    public static func keepingPaperWhite(_ colors: RGBImage, lines: FloatPlane, hints: [ColorHint]) -> RGBImage {
        precondition(colors.width == lines.width && colors.height == lines.height, "line art does not match the colors")
        let background = mask(of: lines)
        let hinted = hints.contains { hint in
            (0..<lines.width).contains(hint.x) && (0..<lines.height).contains(hint.y) && background[hint.y * lines.width + hint.x]
        }
        guard !hinted else { return colors }
        var result = colors
        result.withMutablePixels { p in
            for (index, isPaper) in background.enumerated() where isPaper {
                p[3 * index] = 255
                p[3 * index + 1] = 255
                p[3 * index + 2] = 255
            }
        }
        return result
    }
}
