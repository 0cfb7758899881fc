import ImageCodecs

/// What an artist checks first in a colorized drawing, beside the mean ΔE (which rewards
/// muddy averages): whether the colour lands where it was put, and whether the page stays
/// white. The same quantities as `shared/eval/hint_fidelity.py`.
public enum HintFidelityMetrics {
    /// Line-art values above this are paper for the adherence window (200/255, as the
    /// reference script's `line > 200`).
    public static let windowPaperLevel: Float = 200 / 255
    /// Half-size of the adherence window (3 → 7×7).
    public static let windowRadius = 3
    /// A truth pixel is white page when its channels sum to at least this (3 × 250).
    public static let whiteSum = 750
    /// Pictures with less border-connected white page than this have no bleed figure.
    public static let minimumPagePixels = 100

    /// Adherence of each hint: the mean CIEDE2000 between the hint's colour and `result` on
    /// the paper pixels of the 7×7 window around its centre that the centre reaches without
    /// crossing ink (4-neighbour steps inside the window). Hints whose centre is on ink give
    /// no figure. Returns one value per hint that has one.
    public static func adherence(_ result: RGBImage, lines: FloatPlane, hints: [ColorHint]) -> [Double] {
        precondition(result.width == lines.width && result.height == lines.height, "the line art does not match the result")
        var figures: [Double] = []
        for hint in hints where lines[hint.x, hint.y] > windowPaperLevel {
            let x0 = max(0, hint.x - windowRadius)
            let x1 = min(lines.width - 1, hint.x + windowRadius)
            let y0 = max(0, hint.y - windowRadius)
            let y1 = min(lines.height - 1, hint.y + windowRadius)
            var reached: Set<Int> = [hint.y * lines.width + hint.x]
            var stack = [(hint.x, hint.y)]
            while let (x, y) = stack.popLast() {
                for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)]
                where nx >= x0 && nx <= x1 && ny >= y0 && ny <= y1 && lines[nx, ny] > windowPaperLevel {
                    if reached.insert(ny * lines.width + nx).inserted { stack.append((nx, ny)) }
                }
            }
            let wanted = lab(hint.red, hint.green, hint.blue)
            let total = reached.reduce(0.0) { sum, i in
                let p = result[i % lines.width, i / lines.width]
                return sum + Double(LabColor.deltaE2000(wanted, lab(p.red, p.green, p.blue)))
            }
            figures.append(total / Double(reached.count))
        }
        return figures
    }

    /// The truth's white page: white pixels (channels summing to `whiteSum` or more)
    /// connected to the border through white pixels (4-neighbourhood).
    public static func whitePage(of truth: RGBImage) -> [Bool] {
        let whiteness = FloatPlane(
            width: truth.width, height: truth.height,
            values: (0..<truth.pixelCount).map { i in
                let p = truth[i % truth.width, i / truth.width]
                return Int(p.red) + Int(p.green) + Int(p.blue) >= whiteSum ? 1 : 0
            })
        return PaperBackground.mask(of: whiteness)
    }

    /// Bleed: the mean CIEDE2000 between `result` and `truth` on the truth's white page
    /// (`whitePage`) — colour leaking onto the paper; nil when the page has fewer than
    /// `minimumPagePixels` pixels.
    public static func bleed(_ result: RGBImage, truth: RGBImage) -> Double? {
        precondition(result.width == truth.width && result.height == truth.height, "the result does not match the truth")
        let page = whitePage(of: truth)
        let count = page.lazy.filter { $0 }.count
        guard count >= minimumPagePixels else { return nil }
        var total = 0.0
        for (i, isPage) in page.enumerated() where isPage {
            let (x, y) = (i % truth.width, i / truth.width)
            let (a, b) = (result[x, y], truth[x, y])
            guard a != b else { continue }
            total += Double(LabColor.deltaE2000(lab(a.red, a.green, a.blue), lab(b.red, b.green, b.blue)))
        }
        return total / Double(count)
    }

    private static func lab(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> LabColor {
        LabColor.rgbToLab(Float(red) / 255, Float(green) / 255, Float(blue) / 255)
    }
}
