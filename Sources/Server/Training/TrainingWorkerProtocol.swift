import Foundation
import Pix2Pix

/// What the server and a training process (`tinct train-worker`) say to each other: one JSON
/// object per line, the server on the child's standard input, the child on its standard
/// output. Both ends are the same `tinct` executable, so the lines need no version.
///
/// 1. The server sends a `TrainingJob`.
/// 2. The child builds its `Trainer` and reports `ready`, then every `TrainingEvent` as it
///    happens (it also appends them to the run's `events.jsonl`, as `tinct train` does).
/// 3. Before each step the child reports `askToStep` and waits for a `TrainingInstruction`:
///    `go` once the editor's interactive colorizations have had their turn, or `stop` with the
///    reason (the dashboard's Stop button, the server shutting down), after which it saves a
///    checkpoint and exits 0.
/// 4. A run that cannot go on reports `failure` with the reason and exits 1.
///
/// An end of the server's line (it exited or was killed) stops the child as `stop` does.
struct TrainingJob: Codable, Sendable, Equatable {
    /// The run folder the child writes.
    var folder: String
    /// A new run's options; a resumed run's saved ones win (see `Trainer.init`).
    var config: TrainingConfig
    /// Continue the latest checkpoint in `folder`.
    var resume: Bool
    /// A resumed run's new total of steps.
    var steps: Int?
    /// The data segment limit (`RLIMIT_DATA`) the child sets on itself before training, so a
    /// run that outgrows it fails alone; nil: none.
    var memoryCapBytes: Int?
}

/// A line from the training process to the server.
enum TrainingReport: Codable, Sendable, Equatable {
    /// The trainer is built: it trains from `step` to `totalSteps`.
    case ready(step: Int, totalSteps: Int)
    /// One event of the run.
    case event(TrainingEvent)
    /// The child is about to take a step and waits for a `TrainingInstruction`.
    case askToStep
    /// The run could not go on (the trainer threw): why.
    case failure(message: String)
}

/// A line from the server to the training process, answering `askToStep`.
enum TrainingInstruction: Codable, Sendable, Equatable {
    case go
    case stop(reason: String)
}

/// Encoding and decoding the lines.
enum TrainingLine {
    /// `value` as one line of JSON, newline included (non-finite losses as strings, as the
    /// dashboard's messages carry them).
    static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try encoder.encode(value) + Data("\n".utf8)
    }

    /// The value a line holds (without its newline), or nil when it is not one.
    static func decode<Value: Decodable>(_ type: Value.Type, from line: some Collection<UInt8>) -> Value? {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return try? decoder.decode(type, from: Data(line))
    }
}
