import Foundation

/// Validation figures of one method at one hint count.
public struct MethodScore: Codable, Sendable, Equatable {
    public var psnr: Double
    public var deltaE: Double
    /// Line art: mean ΔE between each hint's colour and the result around it
    /// (`HintFidelityMetrics.adherence`); nil without hints or for photos.
    public var adherence: Double?
    /// Line art: mean ΔE from the truth on its white page (`HintFidelityMetrics.bleed`);
    /// nil for photos or pictures without a white page.
    public var bleed: Double?

    public init(psnr: Double, deltaE: Double, adherence: Double? = nil, bleed: Double? = nil) {
        (self.psnr, self.deltaE, self.adherence, self.bleed) = (psnr, deltaE, adherence, bleed)
    }
}

/// Validation at one hint count: the model beside the non-learned baselines.
public struct ValidationRow: Codable, Sendable, Equatable {
    public var hints: Int
    public var model: MethodScore
    public var inputUnchanged: MethodScore
    public var nearestHintFill: MethodScore
    /// Photos only: `Baselines.edgeAwareFill`.
    public var edgeAwareFill: MethodScore?

    public init(
        hints: Int, model: MethodScore, inputUnchanged: MethodScore, nearestHintFill: MethodScore,
        edgeAwareFill: MethodScore? = nil
    ) {
        (self.hints, self.model, self.inputUnchanged, self.nearestHintFill) = (hints, model, inputUnchanged, nearestHintFill)
        self.edgeAwareFill = edgeAwareFill
    }

    /// The model beats every baseline on both metrics.
    public var modelWins: Bool {
        [inputUnchanged, nearestHintFill, edgeAwareFill].compactMap { $0 }.allSatisfy { model.deltaE < $0.deltaE && model.psnr > $0.psnr }
    }
}

/// Current losses, named as `StepLosses`.
public typealias LossReport = StepLosses

/// What a training run reports, for the terminal, the run folder's events.jsonl and the web
/// dashboard. Encoded with a `type` discriminator and a `version`.
public enum TrainingEvent: Sendable, Equatable {
    case started(step: Int, totalSteps: Int, pictures: Int, validationPictures: Int, skipped: Int)
    case progress(step: Int, totalSteps: Int, imagesPerSecond: Double, etaSeconds: Double, learningRate: Float, losses: LossReport)
    case sample(step: Int, path: String)
    case checkpoint(step: Int, path: String)
    case validation(step: Int, rows: [ValidationRow], pictures: Int)
    case warning(message: String)
    case stopped(step: Int, reason: String)
    case finished(step: Int)
    case failed(step: Int, message: String)

    public static let version = 1
}

extension TrainingEvent: Codable {
    private enum Key: String, CodingKey {
        case type, version, step, totalSteps, pictures, validationPictures, skipped, imagesPerSecond, etaSeconds
        case learningRate, losses, path, rows, message, reason
    }

    public var type: String {
        switch self {
        case .started: "started"
        case .progress: "progress"
        case .sample: "sample"
        case .checkpoint: "checkpoint"
        case .validation: "validation"
        case .warning: "warning"
        case .stopped: "stopped"
        case .finished: "finished"
        case .failed: "failed"
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(type, forKey: .type)
        try c.encode(Self.version, forKey: .version)
        switch self {
        case .started(let step, let total, let pictures, let validation, let skipped):
            try c.encode(step, forKey: .step)
            try c.encode(total, forKey: .totalSteps)
            try c.encode(pictures, forKey: .pictures)
            try c.encode(validation, forKey: .validationPictures)
            try c.encode(skipped, forKey: .skipped)
        case .progress(let step, let total, let rate, let eta, let lr, let losses):
            try c.encode(step, forKey: .step)
            try c.encode(total, forKey: .totalSteps)
            try c.encode(rate, forKey: .imagesPerSecond)
            try c.encode(eta, forKey: .etaSeconds)
            try c.encode(lr, forKey: .learningRate)
            try c.encode(losses, forKey: .losses)
        case .sample(let step, let path), .checkpoint(let step, let path):
            try c.encode(step, forKey: .step)
            try c.encode(path, forKey: .path)
        case .validation(let step, let rows, let pictures):
            try c.encode(step, forKey: .step)
            try c.encode(rows, forKey: .rows)
            try c.encode(pictures, forKey: .pictures)
        case .warning(let message):
            try c.encode(message, forKey: .message)
        case .stopped(let step, let reason):
            try c.encode(step, forKey: .step)
            try c.encode(reason, forKey: .reason)
        case .finished(let step):
            try c.encode(step, forKey: .step)
        case .failed(let step, let message):
            try c.encode(step, forKey: .step)
            try c.encode(message, forKey: .message)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "started":
            self = .started(
                step: try c.decode(Int.self, forKey: .step), totalSteps: try c.decode(Int.self, forKey: .totalSteps),
                pictures: try c.decode(Int.self, forKey: .pictures), validationPictures: try c.decode(Int.self, forKey: .validationPictures),
                skipped: try c.decode(Int.self, forKey: .skipped))
        case "progress":
            self = .progress(
                step: try c.decode(Int.self, forKey: .step), totalSteps: try c.decode(Int.self, forKey: .totalSteps),
                imagesPerSecond: try c.decode(Double.self, forKey: .imagesPerSecond), etaSeconds: try c.decode(Double.self, forKey: .etaSeconds),
                learningRate: try c.decode(Float.self, forKey: .learningRate), losses: try c.decode(LossReport.self, forKey: .losses))
        case "sample": self = .sample(step: try c.decode(Int.self, forKey: .step), path: try c.decode(String.self, forKey: .path))
        case "checkpoint": self = .checkpoint(step: try c.decode(Int.self, forKey: .step), path: try c.decode(String.self, forKey: .path))
        case "validation":
            self = .validation(
                step: try c.decode(Int.self, forKey: .step), rows: try c.decode([ValidationRow].self, forKey: .rows),
                pictures: try c.decode(Int.self, forKey: .pictures))
        case "warning": self = .warning(message: try c.decode(String.self, forKey: .message))
        case "stopped": self = .stopped(step: try c.decode(Int.self, forKey: .step), reason: try c.decode(String.self, forKey: .reason))
        case "finished": self = .finished(step: try c.decode(Int.self, forKey: .step))
        case "failed": self = .failed(step: try c.decode(Int.self, forKey: .step), message: try c.decode(String.self, forKey: .message))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown training event type '\(type)'")
        }
    }
}
