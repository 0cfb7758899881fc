import Foundation

/// A run's `events.jsonl`: every event of the run, one JSON object per line, appended as it
/// happens, across resumes.
///
/// A process killed mid-line leaves a torn last line; opening the log ends that line, so the
/// next event starts a line of its own (readers skip the torn one). A write that fails (a full
/// disk) is reported once, and the log is left alone from then on, so no half-written line
/// gets another line glued to it.
final class RunEventLog {
    /// The log's file, `<run>/events.jsonl`.
    let path: String
    private let file: FileHandle?
    private var failed = false

    /// Opens (creating when missing) the log at `path`. A log that cannot be opened is
    /// reported by the first `append`.
    init(path: String) {
        self.path = path
        let files = FileManager.default
        if !files.fileExists(atPath: path) { _ = files.createFile(atPath: path, contents: nil) }
        file = FileHandle(forUpdatingAtPath: path)
        if let file { Self.endLastLine(of: file) }
    }

    deinit { try? file?.close() }

    /// Appends `event` as a line.
    /// - Returns: on the first failure only, why the log can no longer be written (the
    ///   caller reports it); nil otherwise.
    func append(_ event: TrainingEvent) -> String? {
        guard !failed else { return nil }
        do {
            guard let file else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
            try file.write(contentsOf: try JSONEncoder().encode(event) + Data("\n".utf8))
            return nil
        } catch {
            failed = true
            return FileErrorReason.sentence(for: error)
        }
    }

    /// Moves to the end of the log and, when a write was cut short there (a crash or a full
    /// disk), ends that line. Best effort: a log that cannot be read back here fails on its
    /// first append instead, which is reported.
    private static func endLastLine(of file: FileHandle) {
        guard let end = try? file.seekToEnd(), end > 0 else { return }
        guard (try? file.seek(toOffset: end - 1)) != nil, let last = try? file.read(upToCount: 1) else { return }
        _ = try? file.seekToEnd()
        if last != Data("\n".utf8) { try? file.write(contentsOf: Data("\n".utf8)) }
    }
}
