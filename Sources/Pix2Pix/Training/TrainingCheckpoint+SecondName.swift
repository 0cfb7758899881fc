import Foundation

extension TrainingCheckpoint {
    /// Gives the checkpoint file at `source` the second name `destination` (a run's
    /// `best.safetensors` is the checkpoint just saved) without writing it again: a hard link,
    /// swapped in by rename, so a reader sees the old file or the new one, never part of one.
    /// At the default line-art shape a checkpoint is ~130 MB, written and synced in about a
    /// second. Checkpoint files are never changed after their rename, and removing the step's
    /// own name (`CheckpointRotation`) leaves this one.
    /// - Returns: false, with nothing changed, where no link could be made (a file system
    ///   without hard links): the caller then writes the file under its second name itself.
    public static func linkSecondName(of source: String, as destination: String) -> Bool {
        let url = URL(fileURLWithPath: destination)
        let folder = url.deletingLastPathComponent().path
        let temporary = "\(folder)/.\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard link(source, temporary) == 0 else { return false }
        guard rename(temporary, destination) == 0 else {
            unlink(temporary)
            return false
        }
        let folderDescriptor = open(folder, O_RDONLY)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
        return true
    }
}
