import Foundation

/// Keeps a run's `checkpoints/` folder to its newest `keepLast` checkpoints (`best.safetensors`
/// lives beside the folder and is never rotated).
struct CheckpointRotation {
    /// The run's `checkpoints/` folder.
    let folder: String
    /// Checkpoints kept.
    let keepLast: Int
    /// Deletes one file (tests make it fail).
    var remove: (String) throws -> Void = { try FileManager.default.removeItem(atPath: $0) }

    /// Deletes all but the newest `keepLast` checkpoints.
    /// - Returns: a sentence for each checkpoint that could not be deleted (it stays, taking
    ///   disk space, and the run goes on; the caller reports it).
    func removeOld() -> [String] {
        TrainingCheckpoint.list(in: folder).dropLast(keepLast).compactMap { old in
            do {
                try remove(old.path)
                return nil
            } catch {
                return "the old checkpoint \(old.path) could not be deleted (\(FileErrorReason.sentence(for: error))); it stays on disk"
            }
        }
    }
}
