import ImageCodecs

/// A colorized picture together with what it was made of, so that it can be handed over as
/// layers (`LayeredExport`) or with its paper transparent (`TransparentPaper`) — both built
/// from the same numbers as the picture, so they flatten back to it.
public struct LayeredColorization: Sendable {
    /// What the picture was composed from.
    public enum Source: Sendable {
        /// Line art: the colours under the lines and the drawing's lines and regions.
        case lineArt(paint: LineArtPaint, guide: LineArtGuide)
        /// A photo: the picture that was colorized (its own lightness is in the result).
        case photo(input: RGBImage)
        /// Nothing but the picture (a pix2pix translation; a line-art model from before the
        /// hint fill, which composes without regions).
        case pictureOnly
    }

    /// Exactly what `Colorizer.colorize` returns.
    public let picture: RGBImage
    public let source: Source
    /// The hints, in the picture's pixels.
    public let hints: [ColorHint]

    public init(picture: RGBImage, source: Source, hints: [ColorHint]) {
        (self.picture, self.source, self.hints) = (picture, source, hints)
    }
}
