import ImageCodecs

/// What a picture someone opens looks like, which decides how it is colorized: line art
/// (line-art mode as it is), a black-and-white photo (photo mode), or a picture in colour
/// (line-art mode on its extracted lines).
///
/// The editor tells the same three apart in the browser (`Drawing.pictureKind()` in
/// `Public/js/drawing.js`) with the same probe and thresholds, so `tinct colorize` chooses the
/// mode a person would get in the editor.
public enum PictureKind: String, Sendable, CaseIterable {
    case lineArt = "lineart"
    case grayscalePhoto = "grayscale-photo"
    case color

    /// Side of the square the picture is averaged down to before counting.
    static let probeSide = 64
    /// A probe pixel is colourful when its channels spread by more than this (of 255).
    static let colorfulSpread = 24
    /// Luma strictly between these counts as a mid-tone (ink and paper are outside).
    static let midToneRange: ClosedRange<Double> = 40...215

    /// Classifies `image`: colour when at least 5 % of the probe is colourful; a black-and-white
    /// photo when under 2 % is and more than 30 % is mid-tone; line art otherwise.
    public static func of(_ image: RGBImage) -> PictureKind {
        let probe = averagedProbe(image)
        var colorful = 0
        var midTones = 0
        for pixel in probe {
            if Int(pixel.max()!) - Int(pixel.min()!) > colorfulSpread { colorful += 1 }
            let luma = 0.299 * Double(pixel[0]) + 0.587 * Double(pixel[1]) + 0.114 * Double(pixel[2])
            if luma > midToneRange.lowerBound && luma < midToneRange.upperBound { midTones += 1 }
        }
        let n = Double(max(1, probe.count))
        if Double(colorful) / n >= 0.05 { return .color }
        if Double(colorful) / n < 0.02 && Double(midTones) / n > 0.3 { return .grayscalePhoto }
        return .lineArt
    }

    /// The mode a picture of this kind is colorized in.
    public var mode: ModelMode { self == .grayscalePhoto ? .photo : .lineart }

    /// Whether its lines must be extracted first (a colour picture in line-art mode).
    public var needsLineExtraction: Bool { self == .color }

    /// The picture box-averaged onto a `probeSide`² grid (fewer cells for a smaller picture),
    /// one RGB triple per cell.
    private static func averagedProbe(_ image: RGBImage) -> [[UInt8]] {
        let (columns, rows) = (min(probeSide, image.width), min(probeSide, image.height))
        guard columns > 0, rows > 0 else { return [] }
        var cells: [[UInt8]] = []
        cells.reserveCapacity(columns * rows)
        for row in 0..<rows {
            let (y0, y1) = (row * image.height / rows, max(row * image.height / rows + 1, (row + 1) * image.height / rows))
            for column in 0..<columns {
                let (x0, x1) = (column * image.width / columns, max(column * image.width / columns + 1, (column + 1) * image.width / columns))
                var sums = [0, 0, 0]
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        let index = (y * image.width + x) * RGBImage.channels
                        for c in 0..<3 { sums[c] += Int(image.pixels[index + c]) }
                    }
                }
                let count = (y1 - y0) * (x1 - x0)
                cells.append(sums.map { UInt8(($0 + count / 2) / count) })
            }
        }
        return cells
    }
}
