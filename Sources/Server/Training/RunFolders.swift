import Foundation
import Pix2Pix

/// What `GET /api/runs` says about one run folder.
struct RunInfo: Codable, Sendable, Equatable {
    let name: String
    let mode: ModelMode
    /// Dataset relative to the data root (or the folder's name when it lies elsewhere).
    let dataset: String
    let size: Int
    let batch: Int
    let totalSteps: Int
    /// Step of the newest checkpoint (0 when there is none).
    let step: Int
    let checkpoints: Int
    /// Whether `best.safetensors` exists (publishable as the best validation ΔE).
    let hasBest: Bool
    /// File name of the newest sample grid, if any.
    let latestSample: String?
    /// Whether this run is the one training now.
    let active: Bool
    /// Last change, seconds since 1970.
    let modified: Double
}

/// The runs directory: one folder per run, named by the service (`A–Z a–z 0–9 _ -`, so a
/// name is never a path), as `Trainer` lays it out.
struct RunFolders: Sendable {
    /// The runs directory as configured.
    let root: String

    /// Run and model names clients may send: the same alphabet as model names.
    static func isValidName(_ name: String) -> Bool { ModelCatalog.isValidName(name) }

    /// Sample file names the server serves: `step-XXXXXXXX.png` exactly as `Trainer` writes them.
    static func isValidSampleName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard bytes.count == 17, name.hasPrefix("step-"), name.hasSuffix(".png") else { return false }
        return bytes[5..<13].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// The folder of run `name`.
    /// - Throws: 400 naming `field` for a malformed name, 404 when there is no such run.
    func folder(of name: String, field: String = "run") throws(APIError) -> String {
        guard Self.isValidName(name) else { throw .badField(field, "must be 1–64 of A–Z a–z 0–9 _ -") }
        let path = "\(root)/\(name)"
        guard DatasetFolders.isFolder(path), FileManager.default.fileExists(atPath: "\(path)/config.json") else {
            throw APIError(.notFound, "\(field): no run named \"\(name)\"")
        }
        return path
    }

    /// The saved configuration of a run folder.
    func config(ofFolder folder: String) -> TrainingConfig? {
        guard let data = FileManager.default.contents(atPath: "\(folder)/config.json") else { return nil }
        return try? JSONDecoder().decode(TrainingConfig.self, from: data)
    }

    /// A free run name for a new run on `dataset`: `<dataset>-<mode>-<yyyyMMdd-HHmmss>`.
    func newName(dataset: String, mode: ModelMode, now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let base = String(
            dataset.split(separator: "/").last.map(String.init)?.unicodeScalars
                .map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "-" } ?? []
        ).prefix(24)
        let stem = "\(base.isEmpty ? "run" : String(base))-\(mode.rawValue)-\(formatter.string(from: now))"
        var name = stem
        var counter = 2
        while FileManager.default.fileExists(atPath: "\(root)/\(name)") {
            name = "\(stem)-\(counter)"
            counter += 1
        }
        return name
    }

    /// Every run folder with a readable config, newest first.
    func list(activeRun: String?, datasets: DatasetFolders) -> [RunInfo] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        return names.compactMap { name -> RunInfo? in
            guard Self.isValidName(name) else { return nil }
            let folder = "\(root)/\(name)"
            guard let config = config(ofFolder: folder) else { return nil }
            let checkpoints = TrainingCheckpoint.list(in: "\(folder)/checkpoints")
            let samples = ((try? FileManager.default.contentsOfDirectory(atPath: "\(folder)/samples")) ?? [])
                .filter(Self.isValidSampleName).sorted()
            let modified =
                (try? FileManager.default.attributesOfItem(atPath: "\(folder)/events.jsonl")[.modificationDate] as? Date)
                ?? (try? FileManager.default.attributesOfItem(atPath: folder)[.modificationDate] as? Date) ?? .distantPast
            return RunInfo(
                name: name, mode: config.mode, dataset: datasets.displayName(of: config.dataPath), size: config.size,
                batch: config.batch, totalSteps: config.steps, step: checkpoints.last?.step ?? 0, checkpoints: checkpoints.count,
                hasBest: FileManager.default.fileExists(atPath: "\(folder)/best.safetensors"), latestSample: samples.last,
                active: name == activeRun, modified: modified.timeIntervalSince1970)
        }.sorted { ($0.modified, $0.name) > ($1.modified, $1.name) }
    }

    /// The events a run wrote to its `events.jsonl`: none when it has no log, and lines that
    /// do not decode (one cut short by a crash) are skipped.
    /// - Throws: why a log that exists could not be read.
    func events(ofFolder folder: String) throws -> [TrainingEvent] {
        let path = "\(folder)/events.jsonl"
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoder = JSONDecoder()
        return data.split(separator: UInt8(ascii: "\n")).compactMap { try? decoder.decode(TrainingEvent.self, from: Data($0)) }
    }

    /// Whether a training run (in this process or another) is writing `folder` now; a writer
    /// that crashed holds nothing (`RunLock`).
    func isBusyElsewhere(folder: String) -> Bool {
        RunLock.isHeld(folder: folder)
    }
}
