import ImageCodecs
import NN
import Tensors

/// Errors a colorization request can hit, worded for the person who sent it.
public enum ColorizeError: Error, CustomStringConvertible, Equatable {
    case modeMismatch(model: ModelMode, requested: ModelMode)
    case hintOutside(index: Int, x: Int, y: Int, width: Int, height: Int)

    public var description: String {
        switch self {
        case .modeMismatch(let model, let requested): "the model colorizes \(model.rawValue), not \(requested.rawValue)"
        case .hintOutside(let i, let x, let y, let w, let h): "hints[\(i)] at (\(x), \(y)) lies outside the \(w)×\(h) picture"
        }
    }
}

/// Colorizes a picture of any size with a trained generator: the model runs at its own
/// resolution on a letterboxed copy, and the result is composed at the input's full
/// resolution — line art keeps its original crisp lines on top of the colors; a photo keeps
/// its own lightness and takes only the predicted chroma. A pix2pix model translates the
/// whole picture (no hints) and its output is returned at the input's size.
///
/// Not thread-safe (the generator reuses its buffers): one colorizer per worker.
public final class Colorizer {
    public let model: GeneratorModel
    /// Side of the square the network sees: the model's training resolution unless another
    /// is given. A photo at least 1.5 times that large is seen at `PhotoNetworkSide` instead,
    /// unless a side was given.
    public let resolution: Int
    private let resolutionGiven: Bool
    private var input: Tensor?
    /// The last picture's suggestion input, kept for the next question about it.
    var keptSuggestionInput: SuggestionInput?

    public init(model: GeneratorModel, resolution: Int? = nil) {
        self.model = model
        self.resolution = resolution ?? model.resolution
        resolutionGiven = resolution != nil
    }

    /// The side of the square a `width × height` photo is seen at.
    public func photoSide(width: Int, height: Int) -> Int {
        guard !resolutionGiven else { return resolution }
        return PhotoNetworkSide.side(
            width: width, height: height, trainedAt: resolution,
            multiple: 1 << model.generator.config.downsamplings)
    }

    public var mode: ModelMode { model.mode }

    /// The radius of a hint given without one: about 2 pixels of the network's square, the
    /// size the models saw in training, whatever the picture's resolution.
    public static func defaultHintRadius(width: Int, height: Int, resolution: Int) -> Int {
        max(1, Int((2 * Double(max(width, height)) / Double(resolution)).rounded()))
    }

    /// The colorized picture, same size as `image`. Hints are in `image`'s pixel coordinates.
    /// With a `variant`, the colouring the generator gives with that variant's dropout
    /// (`ColorVariant`); without, the deterministic one.
    public func colorize(_ image: RGBImage, hints: [ColorHint], variant: ColorVariant? = nil) throws -> RGBImage {
        try colorizeLayered(image, hints: hints, variant: variant).picture
    }

    /// The colorized picture (the same as `colorize`'s) with what its layers are made of
    /// (`LayeredColorization`), for a layered or transparent export.
    /// - Throws: `ColorizeError.hintOutside`, or `NoVariantsError` for a variant of a model
    ///   without dropout.
    public func colorizeLayered(_ image: RGBImage, hints: [ColorHint], variant: ColorVariant? = nil) throws -> LayeredColorization {
        try checkHints(hints, in: image)
        if variant != nil && !model.hasVariants { throw NoVariantsError() }
        switch model.mode {
        case .lineart: return try colorizeLineArt(image, hints: hints, variant: variant)
        case .photo:
            return LayeredColorization(
                picture: try colorizePhoto(image, hints: hints, variant: variant), source: .photo(input: image),
                hints: hints)
        case .pix2pix: return LayeredColorization(picture: try translate(image, variant: variant), source: .pictureOnly, hints: [])
        }
    }

    /// - Throws: `ColorizeError.hintOutside` for the first hint outside `image`.
    func checkHints(_ hints: [ColorHint], in image: RGBImage) throws(ColorizeError) {
        for (i, h) in hints.enumerated() where h.x < 0 || h.y < 0 || h.x >= image.width || h.y >= image.height {
            throw ColorizeError.hintOutside(index: i, x: h.x, y: h.y, width: image.width, height: image.height)
        }
    }

    func networkInput(channels: Int, side: Int? = nil) -> Tensor {
        let side = side ?? resolution
        let t = Tensor.reuse(input, shape: [1, channels, side, side])
        input = t
        return t
    }

    /// A line-art network input written into the colorizer's input tensor, with what the
    /// composition needs besides the output.
    struct LineArtInput {
        let x: Tensor
        let box: Letterbox
        /// The drawing's lines at its own resolution, and as the network sees them.
        let fullLines: FloatPlane
        let squareLines: FloatPlane
        /// The regions and hint fill; nil for a model from before the fill (5 planes).
        let guide: LineArtGuide?
        /// The fill as the network sees it, in its square; nil without a guide.
        let squareFill: HintFill?
    }

    /// Writes the network's input for `image` and `hints` (line-art mode).
    func lineArtInput(_ image: RGBImage, hints: [ColorHint]) -> LineArtInput {
        let box = Letterbox(sourceWidth: image.width, sourceHeight: image.height, side: resolution)
        let fullLines = lineArt(fromDrawing: image)
        let squareLines = lineArt(fromDrawing: box.place(image))
        let planes = HintRasterizer(width: resolution, height: resolution).rasterize(box.place(hints))
        let channels = model.generator.config.inputChannels
        let x = networkInput(channels: channels)
        guard ColorizationEncoding.lineartHasFill(channels: channels) else {
            ColorizationEncoding.lineartInput(lines: squareLines, hints: planes, into: x.data)
            return LineArtInput(x: x, box: box, fullLines: fullLines, squareLines: squareLines, guide: nil, squareFill: nil)
        }
        let guide = LineArtGuide(lines: fullLines, hints: hints)
        let squareFill = guide.fill.placed(in: box)
        ColorizationEncoding.lineartInput(lines: squareLines, hints: planes, fill: squareFill, channels: channels, into: x.data)
        return LineArtInput(x: x, box: box, fullLines: fullLines, squareLines: squareLines, guide: guide, squareFill: squareFill)
    }

    private func colorizeLineArt(_ image: RGBImage, hints: [ColorHint], variant: ColorVariant?) throws -> LayeredColorization {
        let input = lineArtInput(image, hints: hints)
        keepForSuggestions(input, image: image, hints: hints)
        let y = try model.run(input.x, variant: variant)
        guard let guide = input.guide else {
            let colors = input.box.crop(ColorizationEncoding.lineartColors(output: y.data, lines: input.squareLines, side: resolution))
                .resized(width: image.width, height: image.height)
            // A model from before the fill: no regions to take flats from.
            return LayeredColorization(
                picture: ColorizationEncoding.composeLineArt(colors, lines: input.fullLines, hints: hints),
                source: .pictureOnly, hints: hints)
        }
        let paint = LineArtComposition.paint(output: y.data, networkLines: input.squareLines, box: input.box, guide: guide)
        return LayeredColorization(
            picture: paint.multiplied(by: input.fullLines), source: .lineArt(paint: paint, guide: guide),
            hints: hints)
    }

    /// Writes the network's input for `image` and `hints` (photo mode, a square of
    /// `photoSide`); returns where the photo lies in the square.
    func photoInput(_ image: RGBImage, hints: [ColorHint]) -> (x: Tensor, box: Letterbox) {
        let side = photoSide(width: image.width, height: image.height)
        let box = Letterbox(sourceWidth: image.width, sourceHeight: image.height, side: side)
        let square = box.place(image, fill: 128)
        let planes = HintRasterizer(width: side, height: side).rasterize(box.place(hints))
        let channels = model.generator.config.inputChannels
        let x = networkInput(channels: channels, side: side)
        ColorizationEncoding.photoInput(lab: square.labPlanes(), hints: planes, channels: channels, into: x.data)
        return (x, box)
    }

    private func colorizePhoto(_ image: RGBImage, hints: [ColorHint], variant: ColorVariant?) throws -> RGBImage {
        let (x, box) = photoInput(image, hints: hints)
        let channels = model.generator.config.inputChannels
        let y = try model.run(x, variant: variant)
        let squareChroma = ColorizationEncoding.photoPrediction(output: y.data, input: x.data, channels: channels, side: box.side)
        let lightness = image.lightnessPlane()
        let chroma = PhotoChromaUpsampling.upsample(squareChroma, box: box, lightness: lightness[...])
        return chroma.withUnsafeBufferPointer { chromaPointer in
            ColorizationEncoding.image(lightness: lightness[...], chroma: chromaPointer.baseAddress!, width: image.width, height: image.height)
        }
    }

    /// pix2pix: the picture resized to the model's square (as training resized every pair,
    /// aspect ratio not kept), translated, and the output resized back to the input's size.
    private func translate(_ image: RGBImage, variant: ColorVariant?) throws -> RGBImage {
        let x = networkInput(channels: model.config.inputChannels)
        ColorizationEncoding.rgbPlanes(image.resized(width: resolution, height: resolution), into: x.data)
        let y = try model.run(x, variant: variant)
        return ColorizationEncoding.image(fromRGBPlanes: y.data, width: resolution, height: resolution)
            .resized(width: image.width, height: image.height)
    }
}

/// Bilinear resampling of a float plane (half-pixel centers, edges clamped).
public enum PlaneResize {
    public static func bilinear(_ plane: FloatPlane, width: Int, height: Int) -> FloatPlane {
        var out = [Float](repeating: 0, count: width * height)
        out.withUnsafeMutableBufferPointer { bilinear(plane, width: width, height: height, into: $0.baseAddress!) }
        return FloatPlane(width: width, height: height, values: out)
    }

    /// The same, written into `width × height` floats at `target`.
    public static func bilinear(_ plane: FloatPlane, width: Int, height: Int, into target: UnsafeMutablePointer<Float>) {
        let sx = Float(plane.width) / Float(width)
        let sy = Float(plane.height) / Float(height)
        plane.values.withUnsafeBufferPointer { source in
            let (target, values) = (UncheckedSendable(target), UncheckedSendable(source.baseAddress!))
            Parallel.forEachChunk(height, costPerItem: width) { rows in
                for y in rows {
                    let fy = max(0, min(Float(plane.height - 1), (Float(y) + 0.5) * sy - 0.5))
                    let y0 = Int(fy)
                    let y1 = min(y0 + 1, plane.height - 1)
                    let wy = fy - Float(y0)
                    let (top, bottom) = (values.value + y0 * plane.width, values.value + y1 * plane.width)
                    for x in 0..<width {
                        let fx = max(0, min(Float(plane.width - 1), (Float(x) + 0.5) * sx - 0.5))
                        let x0 = Int(fx)
                        let x1 = min(x0 + 1, plane.width - 1)
                        let wx = fx - Float(x0)
                        let upper = top[x0] * (1 - wx) + top[x1] * wx
                        let lower = bottom[x0] * (1 - wx) + bottom[x1] * wx
                        target.value[y * width + x] = upper * (1 - wy) + lower * wy
                    }
                }
            }
        }
    }
}
