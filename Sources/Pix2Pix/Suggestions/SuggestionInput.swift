import ImageCodecs
import Tensors

/// The network's input for one picture and its hints, which suggestions at every point of
/// that picture share. For line art it is the costly part of a question after the network
/// runs: the drawing's regions and hint fill are computed at its full resolution (about 20 ms
/// for 512², against 1–2 ms for the ranking). The colorizer keeps the last one
/// (`Colorizer.suggestionInput(for:hints:)`; a line-art colorization leaves its input there
/// too), so resting the hint tool at another point of the same drawing, or on the drawing
/// just colorized, starts at the network.
struct SuggestionInput {
    /// The picture and hints it was computed for (the key: equal pictures and hints give an
    /// equal input).
    let image: RGBImage
    let hints: [ColorHint]
    /// The network's input (1, in, S, S): a copy, as the colorizer's own input tensor is
    /// rewritten by every colorization.
    let x: Tensor
    /// Where the picture lies in the network's square.
    let box: Letterbox
    /// What the mode's colour at a point needs besides the network's output.
    let extra: Extra

    /// Line art: the lines as the network sees them and the hint fill in its square (nil for
    /// a model from before the fill). Photo: nothing more.
    enum Extra {
        case lineArt(squareLines: FloatPlane, squareFill: HintFill?)
        case photo
    }

    /// Whether this input is the one for `image` with `hints`.
    func isFor(_ image: RGBImage, hints: [ColorHint]) -> Bool {
        self.hints == hints && self.image == image
    }
}

extension Colorizer {
    /// The suggestion input for `image` with `hints`: the kept one when it is for the same
    /// picture and hints, else a new one, which is kept instead (one per colorizer, so the
    /// memory stays that of one picture and one network input).
    func suggestionInput(for image: RGBImage, hints: [ColorHint]) -> SuggestionInput {
        if let kept = keptSuggestionInput, kept.isFor(image, hints: hints) { return kept }
        guard mode == .photo else { return keepForSuggestions(lineArtInput(image, hints: hints), image: image, hints: hints) }
        let (x, box) = photoInput(image, hints: hints)
        let prepared = SuggestionInput(image: image, hints: hints, x: x.copy(), box: box, extra: .photo)
        keptSuggestionInput = prepared
        return prepared
    }

    /// Keeps a line-art input just computed (for a colorization too: the editor asks for
    /// suggestions on the drawing it has just had colorized, with the same hints).
    @discardableResult
    func keepForSuggestions(_ input: LineArtInput, image: RGBImage, hints: [ColorHint]) -> SuggestionInput {
        if let kept = keptSuggestionInput, kept.isFor(image, hints: hints) { return kept }
        let prepared = SuggestionInput(
            image: image, hints: hints, x: input.x.copy(), box: input.box,
            extra: .lineArt(squareLines: input.squareLines, squareFill: input.squareFill))
        keptSuggestionInput = prepared
        return prepared
    }
}
