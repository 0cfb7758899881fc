/// For every pixel of a drawing, the area a hint placed there would colour in line-art mode,
/// as a label map — so an editor can outline that area under the cursor without asking the
/// server at every mouse move.
///
/// The areas follow `HintSpreading` on the same segmentation `LineArtGuide` makes:
/// - in a closed region, the whole region (one label per region);
/// - in an open region (the page) inside a closed enclosure (the drawing segmented with
///   gaps `LineArtGuide.enclosureScale` times wider), the part of the region in that enclosure;
/// - elsewhere on the page, only the neighbourhood of the hint: `page`, and the editor draws
///   a disc of `pageReach` pixels;
/// - ink counts as the paper beside it (`InkRegions.paperOf`); deeper ink is `ink`.
///
/// Labels are numbered 0, 1, … in reading order of each area's first pixel.
/// (A hint's area is split when several hints share it; the map shows the whole area.)
public struct HintAreaMap: Sendable, Equatable {
    /// Deep ink: a hint there colours nothing.
    public static let ink: Int32 = -1
    /// The open page outside any enclosure: a hint colours a disc of `pageReach` around it.
    public static let page: Int32 = -2

    public let width: Int
    public let height: Int
    /// (H, W) row-major: an area number (0…), `page` or `ink`.
    public let labels: [Int32]
    /// How many areas are numbered (labels 0..<areaCount).
    public let areaCount: Int
    /// How far a hint on the open page colours (`HintSpreading.openReach`), in pixels.
    public let pageReach: Int

    /// The map of the drawing whose lines are `lines` (1 paper, 0 ink).
    public init(lines: FloatPlane) {
        let (width, height) = (lines.width, lines.height)
        let side = max(width, height)
        let gapRadius = InkRegions.gapRadius(forLongerSide: side)
        let regions = InkRegions(lines: lines, gapRadius: gapRadius)
        let enclosures = InkRegions(lines: lines, gapRadius: LineArtGuide.enclosureScale * gapRadius)
        var numbers: [Int64: Int32] = [:]
        var labels = [Int32](repeating: Self.ink, count: width * height)
        for i in labels.indices {
            guard let region = regions.effectiveRegion(i) else { continue }
            let key: Int64
            if !regions.isOpen[region] {
                key = Int64(region)
            } else if let enclosure = enclosures.effectiveRegion(Int(regions.paperOf[i])), !enclosures.isOpen[enclosure] {
                key = (Int64(region) + 1) << 32 | Int64(enclosure)  // above every closed region's key
            } else {
                labels[i] = Self.page
                continue
            }
            if let number = numbers[key] {
                labels[i] = number
            } else {
                let number = Int32(numbers.count)
                numbers[key] = number
                labels[i] = number
            }
        }
        (self.width, self.height, self.labels, areaCount) = (width, height, labels, numbers.count)
        pageReach = HintSpreading.openReach(forLongerSide: side)
    }

    /// The labels run-length coded in reading order: label, run length, label, run length, …
    /// (a drawing's areas are long runs: a few thousand numbers for 512²).
    public var runs: [Int32] {
        var runs: [Int32] = []
        var start = 0
        while start < labels.count {
            var end = start + 1
            while end < labels.count, labels[end] == labels[start] { end += 1 }
            runs += [labels[start], Int32(end - start)]
            start = end
        }
        return runs
    }
}
