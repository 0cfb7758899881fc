import ImageCodecs

/// What a line-art model is given besides the lines: the drawing's regions (`InkRegions`)
/// and the hints spread over them (`HintSpreading`), computed at the drawing's own
/// resolution so thin lines still separate regions. Gap size, reach and blend width scale
/// with the drawing's longer side.
public struct LineArtGuide: Sendable {
    public let lines: FloatPlane
    public let regions: InkRegions
    public let fill: HintFill
    /// The hints the fill was spread from.
    public let hints: [ColorHint]

    /// How much wider the gaps are that the enclosures close.
    public static let enclosureScale = 5

    /// The guide for `lines` with `hints` in the same pixel coordinates.
    public init(lines: FloatPlane, hints: [ColorHint]) {
        let side = max(lines.width, lines.height)
        self.lines = lines
        self.hints = hints
        let gapRadius = InkRegions.gapRadius(forLongerSide: side)
        regions = InkRegions(lines: lines, gapRadius: gapRadius)
        let enclosures = hints.isEmpty ? nil : InkRegions(lines: lines, gapRadius: Self.enclosureScale * gapRadius)
        fill = HintSpreading.fill(
            hints: hints, regions: regions, enclosures: enclosures,
            openReach: HintSpreading.openReach(forLongerSide: side),
            blendSigma: HintSpreading.blendSigma(forLongerSide: side))
    }
}
