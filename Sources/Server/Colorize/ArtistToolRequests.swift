import Pix2Pix

/// The body of `POST /api/suggestions`: the drawing and its hints as for `/api/colorize`,
/// the point (`x`, `y`, in the picture's pixels) and how many dropout variants to ask
/// (`variants`, 1…32, default 8).
struct SuggestionsRequestBody: Decodable {
    var image: String
    var mode: String
    var hints: [WireHint]?
    var model: String?
    var x: Int
    var y: Int
    var variants: Int?
}

/// A validated suggestions request.
struct SuggestionsJob: Sendable {
    /// The drawing and hints, as a colorization job (format and variant unused).
    let picture: ColorizeJob
    let x: Int, y: Int
    let variants: Int

    init(body: SuggestionsRequestBody, limits: ColorizeLimits) throws(APIError) {
        let mode = try ColorizeJob.parseMode(body.mode)
        let model = try ColorizeJob.parseModelName(body.model)
        let (bytes, info) = try ColorizeJob.inspectImage(base64: body.image, limits: limits)
        guard (0..<info.width).contains(body.x) else { throw .badField("x", "must be from 0 to \(info.width - 1) (the picture's width)") }
        guard (0..<info.height).contains(body.y) else { throw .badField("y", "must be from 0 to \(info.height - 1) (the picture's height)") }
        let variants = body.variants ?? ColorSuggestions.defaultVariantCount
        guard (1...ColorSuggestions.maximumVariantCount).contains(variants) else {
            throw .badField("variants", "must be from 1 to \(ColorSuggestions.maximumVariantCount)")
        }
        let hints = try ColorizeJob.validateHints(body.hints ?? [], width: info.width, height: info.height, limits: limits)
        picture = ColorizeJob(source: .encoded(bytes), width: info.width, height: info.height, mode: mode, hints: hints, model: model)
        (x, y, self.variants) = (body.x, body.y, variants)
    }
}

/// The answer of `POST /api/suggestions`.
struct SuggestionsAnswer: Encodable, Sendable {
    struct Suggestion: Encodable, Sendable {
        /// `#rrggbb`.
        let color: String
        /// How many of the variants gave this colour.
        let votes: Int
    }

    /// Most agreed first.
    let suggestions: [Suggestion]
    /// How many variants were asked.
    let variants: Int
    /// Time on the inference thread, milliseconds.
    let ms: Double
}

/// The body of `POST /api/palette`: a reference picture and how many colours (`colors`,
/// 1…16, default 6).
struct PaletteRequestBody: Decodable {
    var image: String
    var colors: Int?
}

/// The answer of `POST /api/palette`: the colours, largest share first.
struct PaletteAnswer: Encodable, Sendable {
    struct Swatch: Encodable, Sendable {
        let color: String
        /// The part of the picture (0…1) nearest this colour, to 3 decimals.
        let share: Double
    }

    let colors: [Swatch]
}

/// The body of `POST /api/regions`: the drawing.
struct RegionsRequestBody: Decodable {
    var image: String
}

/// The answer of `POST /api/regions` (`HintAreaMap`): `runs` codes the label of every pixel
/// in reading order as label, count, label, count, …; a label is an area number (0…), −2 for
/// the open page (a hint colours a disc of `pageReach` pixels) or −1 for deep ink.
struct RegionsAnswer: Encodable, Sendable {
    let width: Int
    let height: Int
    let runs: [Int32]
    let pageReach: Int
    let areas: Int
}
