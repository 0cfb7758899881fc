import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a run folder, held by the one `Trainer` writing it: an advisory
/// `flock` on the folder's `.lock` file. The kernel drops the lock when its process ends,
/// however it ends, so a writer that crashed never keeps a run from being resumed, and two
/// processes (or two runs in one server) never write one folder at once.
public final class RunLock: @unchecked Sendable {
    private let descriptor: Int32

    /// The lock file of `folder`.
    static func path(in folder: String) -> String { "\(folder)/.lock" }

    /// Takes the lock, or returns nil when another writer holds it (or the file cannot be opened).
    public init?(folder: String) {
        let fd = open(Self.path(in: folder), O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Whether a writer holds `folder`'s lock now (a folder never trained in is free).
    public static func isHeld(folder: String) -> Bool {
        guard FileManager.default.fileExists(atPath: path(in: folder)) else { return false }
        return RunLock(folder: folder) == nil
    }
}
