import Foundation
import Pix2Pix

/// The `/ws/train` wire protocol, version 1. Every message is a JSON text frame with a `type`
/// and a `version`; `Public/js/protocol.js` mirrors these types for the browser.
///
/// Server → client:
/// - `{"type":"snapshot","version":1,"status":{...},"history":[event, ...]}` — first, on connect:
///   the current (or last) run's state and its events so far (progress thinned);
/// - `{"type":"event","version":1,"status":{...},"event":{...}}` — one `TrainingEvent` as it
///   happens (`"type":"progress"|"sample"|"checkpoint"|"validation"|"started"|"stopped"|...`);
/// - `{"type":"status","version":1,"status":{...}}` — the state changed without an event (a run
///   ended, or is starting);
/// - `{"type":"pong","version":1}`, `{"type":"error","version":1,"message":"..."}`.
///
/// Client → server (optional): `{"type":"ping","version":1}`.
///
/// Paths in `sample` and `checkpoint` events are file names inside the run folder; a sample's
/// picture is served at `/api/runs/<status.run>/samples/<path>`.
enum TrainingProtocol {
    /// The protocol version this server speaks.
    static let version = 1
}

/// What the training service is doing, sent with every message and by `GET /api/train/status`.
struct TrainingStatus: Codable, Sendable, Equatable {
    /// `idle` (no run since the server started), `starting`, `running`, `stopping`, or how the
    /// last run ended: `finished`, `stopped`, `failed`.
    enum State: String, Codable, Sendable {
        case idle, starting, running, stopping, finished, stopped, failed

        /// Whether a run holds the trainer (a new one may not start).
        var isActive: Bool { self == .starting || self == .running || self == .stopping }
    }

    var state: State = .idle
    /// The run folder's name (under the runs directory).
    var run: String?
    /// Dataset name relative to the data root.
    var dataset: String?
    var mode: ModelMode?
    var size: Int?
    var batch: Int?
    /// Last completed step and the run's total.
    var step: Int = 0
    var totalSteps: Int = 0
    /// Latest throughput and remaining time, from the last progress event.
    var imagesPerSecond: Double?
    var etaSeconds: Double?
    /// Why the run stopped or failed.
    var message: String?
}

/// A message the server sends on `/ws/train`.
enum TrainingServerMessage: Encodable {
    case snapshot(status: TrainingStatus, history: [TrainingEvent])
    case event(status: TrainingStatus, event: TrainingEvent)
    case status(TrainingStatus)
    case pong
    case error(message: String)

    private enum CodingKeys: String, CodingKey { case type, version, status, history, event, message }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(TrainingProtocol.version, forKey: .version)
        switch self {
        case .snapshot(let status, let history):
            try c.encode("snapshot", forKey: .type)
            try c.encode(status, forKey: .status)
            try c.encode(history, forKey: .history)
        case .event(let status, let event):
            try c.encode("event", forKey: .type)
            try c.encode(status, forKey: .status)
            try c.encode(event, forKey: .event)
        case .status(let status):
            try c.encode("status", forKey: .type)
            try c.encode(status, forKey: .status)
        case .pong:
            try c.encode("pong", forKey: .type)
        case .error(let message):
            try c.encode("error", forKey: .type)
            try c.encode(message, forKey: .message)
        }
    }

    /// The message as JSON text.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return (try? String(decoding: encoder.encode(self), as: UTF8.self))
            ?? #"{"type":"error","version":1,"message":"encoding failed"}"#
    }
}

extension TrainingEvent {
    /// The event as the browser sees it: file paths reduced to their name inside the run
    /// folder, so server paths never leave the machine's process.
    var forClients: TrainingEvent {
        switch self {
        case .sample(let step, let path): .sample(step: step, path: (path as NSString).lastPathComponent)
        case .checkpoint(let step, let path): .checkpoint(step: step, path: (path as NSString).lastPathComponent)
        default: self
        }
    }

    /// Whether the event may be thinned or dropped for a slow client (the next one supersedes it).
    var isProgress: Bool {
        if case .progress = self { return true }
        return false
    }
}
