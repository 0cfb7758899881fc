import Foundation
import NN
import Pix2Pix

/// `POST /api/train/start`: `{"dataset": "lineart", "mode": "lineart", "size": 256, ...}`.
/// Besides `dataset`, the fields are the training options (`TrainingOptions.schema`, served by
/// `GET /api/train/options-schema`), each defaulting as in `tinct train`. Unknown fields,
/// values of the wrong type and options the run's mode does not use are refused, naming the
/// field, so a typo is not silently ignored; ranges are checked when the run starts.
struct StartTrainingRequest: Decodable, Sendable {
    let dataset: String
    let options: TrainingOptions

    /// The modes the dashboard trains; paired (pix2pix) runs need `tinct train`'s folders and flags.
    static let modes: [ModelMode] = [.lineart, .photo]

    /// The fields the body may carry.
    static let fields: Set<String> = Set(TrainingOptions.schema.map(\.name)).union(["dataset"])

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        try c.refuseUnknownKeys(allowed: Self.fields, what: "a training option")
        dataset = try c.decode(String.self, forKey: JSONKey("dataset"))
        let given = try TrainingOptions.schema.compactMap { option in
            try Self.value(of: option, in: c).map { (name: option.name, value: $0) }
        }
        if case .choice(let raw?) = given.first(where: { $0.name == "mode" })?.value, let mode = ModelMode(rawValue: raw),
            !Self.modes.contains(mode)
        {
            let dashboard = Self.modes.map(\.rawValue).joined(separator: " and ")
            throw RequestFieldError(field: "mode", problem: "the dashboard trains \(dashboard) models; use `tinct train --mode \(raw)`")
        }
        do {
            options = try TrainingOptions(given: given)
        } catch {
            throw RequestFieldError(field: error.field, problem: error.problem)
        }
    }

    /// The value of `option` in the body, decoded as its kind; nil when absent or null.
    private static func value(of option: TrainingOption, in c: KeyedDecodingContainer<JSONKey>) throws -> TrainingOption.Value? {
        let key = JSONKey(option.name)
        let value: TrainingOption.Value?
        do {
            switch option.kind {
            case .integer: value = try c.decodeIfPresent(Int.self, forKey: key).map { .integer($0) }
            case .unsigned: value = try c.decodeIfPresent(UInt64.self, forKey: key).map { .unsigned($0) }
            case .number: value = try c.decodeIfPresent(Float.self, forKey: key).map { .number($0) }
            case .flag: value = try c.decodeIfPresent(Bool.self, forKey: key).map { .flag($0) }
            case .choice: value = try c.decodeIfPresent(String.self, forKey: key).map { .choice($0) }
            }
        } catch {
            // Name the field even where the decoder's error has no coding path (1.5 for an Int).
            throw RequestFieldError(field: option.name, problem: option.kind.expectation)
        }
        if let value, !option.accepts(value) { throw RequestFieldError(field: option.name, problem: option.kind.expectation) }
        return value
    }
}

/// `POST /api/train/resume`: `{"run": "name", "steps": 40000?}` (`steps` extends the run).
struct ResumeTrainingRequest: Decodable, Sendable {
    let run: String
    let steps: Int?

    /// Unknown fields are refused, as for a start.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        try c.refuseUnknownKeys(allowed: ["run", "steps"], what: "a resume field")
        run = try c.decode(String.self, forKey: JSONKey("run"))
        steps = try c.decodeIfPresent(Int.self, forKey: JSONKey("steps"))
    }
}

/// `POST /api/train/publish`: `{"run": "name", "name": "model-name", "checkpoint": "best" | "latest" | "auto"?,
/// "replace": false?}`. Without `checkpoint` the best checkpoint is used when the run has one.
struct PublishRequest: Decodable, Sendable {
    /// Which of the run's checkpoints becomes the model.
    enum Checkpoint: String, Decodable, Sendable {
        /// The best validation ΔE when validation has produced one, else the latest.
        case auto
        /// The checkpoint with the best validation ΔE (`best.safetensors`).
        case best
        /// The newest checkpoint.
        case latest

        /// Any other value is a 400 naming the field.
        init(from decoder: any Decoder) throws {
            let raw = try decoder.singleValueContainer().decode(String.self)
            guard let choice = Self(rawValue: raw) else {
                throw RequestFieldError(field: "checkpoint", problem: "must be \"best\", \"latest\" or \"auto\"")
            }
            self = choice
        }
    }

    let run: String
    let name: String
    let checkpoint: Checkpoint?
    let replace: Bool?
}
