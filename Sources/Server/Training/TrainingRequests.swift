import Foundation
import NN
import Pix2Pix

/// `POST /api/train/start`: `{"dataset": "lineart", "mode": "lineart", "size": 256, ...}`.
/// Every field but `dataset` is optional and defaults to `tinct train`'s default
/// (`TrainingOptions()`); unknown fields are refused so a typo is not silently ignored.
struct StartTrainingRequest: Decodable, Sendable {
    let dataset: String
    let options: TrainingOptions

    /// The fields the body may carry (also the dashboard form's field names).
    static let fields: Set<String> = [
        "dataset", "mode", "size", "steps", "batch", "ngf", "ndf", "downs", "numD", "nLayers", "attention",
        "spectralNorm", "norm", "ganLoss", "lambdaL1", "lambdaFM", "lr", "seed", "checkpointEvery", "sampleEvery",
        "keep", "valPictures", "zeroHints", "coloredBackgrounds",
    ]

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// A field that decodes but is not acceptable; becomes a 400 naming the field.
    struct FieldError: Error {
        let field: String
        let problem: String
    }

    /// Throws for the first key (sorted) that is not in `allowed`, so a typo is not silently
    /// ignored. A key that is not a plain name ("", "a:b", a long string) is quoted after
    /// `body`, so the message still starts with a field the client can recognise.
    static func refuseUnknownKeys(_ keys: [Key], allowed: Set<String>, what: String) throws {
        guard let unknown = keys.map(\.stringValue).sorted().first(where: { !allowed.contains($0) }) else { return }
        let plain = (1...40).contains(unknown.count) && unknown.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        throw plain
            ? FieldError(field: unknown, problem: "is not \(what)")
            : FieldError(field: "body", problem: "\"\(unknown.prefix(40))\" is not \(what)")
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        try Self.refuseUnknownKeys(c.allKeys, allowed: Self.fields, what: "a training option")
        dataset = try c.decode(String.self, forKey: Key("dataset"))
        var o = TrainingOptions()
        func value<T: Decodable>(_ name: String, _ type: T.Type) throws -> T? {
            do {
                return try c.decodeIfPresent(type, forKey: Key(name))
            } catch {
                // Name the field even where the decoder's error has no coding path (1.5 for an Int).
                throw FieldError(field: name, problem: "expected \(Self.describe(type))")
            }
        }
        func choice<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws -> T? where T.RawValue == String {
            guard let raw = try value(name, String.self) else { return nil }
            guard let parsed = T(rawValue: raw) else {
                throw FieldError(field: name, problem: "must be one of \(T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))")
            }
            return parsed
        }
        if let mode = try choice("mode", ModelMode.self) { o.mode = mode }
        if o.mode == .pix2pix {
            // The form has no direction or layout fields; paired runs start from the CLI.
            throw FieldError(field: "mode", problem: "the dashboard trains lineart and photo models; use `tinct train --mode pix2pix`")
        }
        if let v = try value("size", Int.self) { o.size = v }
        if let v = try value("steps", Int.self) { o.steps = v }
        if let v = try value("batch", Int.self) { o.batch = v }
        if let v = try value("ngf", Int.self) { o.ngf = v }
        if let v = try value("ndf", Int.self) { o.ndf = v }
        o.downs = try value("downs", Int.self) ?? TrainingOptions.defaultDowns(forSize: o.size)
        if let v = try value("numD", Int.self) { o.numD = v }
        if let v = try value("nLayers", Int.self) { o.nLayers = v }
        if let v = try value("attention", Bool.self) { o.attention = v }
        if let v = try value("spectralNorm", Bool.self) { o.spectralNorm = v }
        if let v = try choice("norm", NormKind.self) { o.norm = v }
        if let v = try choice("ganLoss", GANLoss.self) { o.ganLoss = v }
        if let v = try value("lambdaL1", Float.self) { o.lambdaL1 = v }
        if let v = try value("lambdaFM", Float.self) { o.lambdaFM = v }
        if let v = try value("lr", Float.self) { o.lr = v }
        if let v = try value("seed", UInt64.self) { o.seed = v }
        if let v = try value("checkpointEvery", Int.self) { o.checkpointEvery = v }
        if let v = try value("sampleEvery", Int.self) { o.sampleEvery = v }
        if let v = try value("keep", Int.self) { o.keep = v }
        if let v = try value("valPictures", Int.self) { o.valPictures = v }
        if let v = try value("zeroHints", Float.self) { o.zeroHints = v }
        if let v = try value("coloredBackgrounds", Float.self) { o.coloredBackgrounds = v }
        options = o
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "true or false"
        case is String.Type: "a string"
        case is Float.Type: "a number"
        case is UInt64.Type: "a non-negative integer"
        default: "an integer"
        }
    }
}

/// `POST /api/train/resume`: `{"run": "name", "steps": 40000?}` (`steps` extends the run).
struct ResumeTrainingRequest: Decodable, Sendable {
    let run: String
    let steps: Int?

    /// Unknown fields are refused, as for a start.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: StartTrainingRequest.Key.self)
        try StartTrainingRequest.refuseUnknownKeys(c.allKeys, allowed: ["run", "steps"], what: "a resume field")
        run = try c.decode(String.self, forKey: StartTrainingRequest.Key("run"))
        steps = try c.decodeIfPresent(Int.self, forKey: StartTrainingRequest.Key("steps"))
    }
}

/// `POST /api/train/publish`: `{"run": "name", "name": "model-name", "checkpoint": "best" | "latest"?,
/// "replace": false?}`. Without `checkpoint` the best checkpoint is used when the run has one.
struct PublishRequest: Decodable, Sendable {
    let run: String
    let name: String
    let checkpoint: String?
    let replace: Bool?
}

extension JSONDecoder {
    /// Decodes a request body, turning every failure into a 400 that names the field.
    static func decodeBody<T: Decodable>(_ type: T.Type, from data: Data) throws(APIError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as StartTrainingRequest.FieldError {
            throw APIError.badField(error.field, error.problem)
        } catch let error as DecodingError {
            let (field, problem) = error.fieldProblem
            throw APIError.badField(field, problem)
        } catch {
            throw APIError.badField("body", "is not valid JSON")
        }
    }
}
