import Foundation
import Pix2Pix

/// How a training process ended, and what the dashboard is told about it: nothing more when
/// the run said how it ended itself, else a `failed` message saying what happened, the likely
/// cause, and what is left to resume from.
struct TrainingProcessEnd: Sendable, Equatable {
    enum Termination: Sendable, Equatable {
        /// It exited with this status.
        case exit(Int32)
        /// A signal ended it.
        case signal(Int32)
        /// It could not be started: why.
        case notStarted(String)
    }

    var termination: Termination
    /// The failure the process reported before exiting (`TrainingReport.failure`).
    var reportedFailure: String?
    /// The line of its standard error that explains a crash (a Swift runtime or OpenBLAS message).
    var errorLine: String?
    /// Its memory cap, if it had one.
    var memoryCapBytes: Int?
    /// Step of the newest checkpoint in the run folder after it ended; nil when none.
    var lastCheckpointStep: Int?
    /// Why the server killed the process itself (`TrainingProcess.forceEnd(because:)`); nil when
    /// it did not.
    var killedByServerBecause: String?

    /// The `failed` message for the run, or nil when the process ended normally (its own
    /// events say whether it finished, stopped or failed).
    var failureMessage: String? {
        if let reportedFailure { return reportedFailure }
        let what: String
        switch termination {
        case .exit(0):
            return nil
        case .exit(let status):
            what = "the training process exited with status \(status)\(quotedErrorLine)"
        case .signal(SIGKILL) where killedByServerBecause != nil:
            what = "the server killed the training process (signal 9, SIGKILL) because \(killedByServerBecause ?? "")"
        case .signal(SIGKILL):
            let cap = memoryCapBytes.map { " (its cap was \(Self.mebibytes($0)) MiB)" } ?? ""
            what =
                "the training process was killed (signal 9, SIGKILL) — most likely by the kernel's out-of-memory killer, "
                + "when the machine ran short of memory\(cap)"
        case .signal(let number):
            let cap = memoryCapBytes.map { " — it may have run out of its memory cap of \(Self.mebibytes($0)) MiB" } ?? ""
            what = "the training process crashed (signal \(number)\(Self.signalName(number).map { ", \($0)" } ?? ""))\(quotedErrorLine)\(cap)"
        case .notStarted(let reason):
            return "the training process could not be started (\(reason)); the server keeps running"
        }
        let left =
            if let step = lastCheckpointStep {
                "the checkpoint of step \(step) is intact; resume the run from the dashboard"
            } else {
                "no checkpoint was saved yet, so start the run again (with smaller options if memory ran out)"
            }
        return "\(what); \(killedByServerBecause == nil ? "the server keeps running, " : "")\(left)"
    }

    /// `: “…”` with the standard-error line that explains the end, or nothing.
    private var quotedErrorLine: String {
        guard let line = errorLine?.trimmingCharacters(in: .whitespacesAndNewlines), !line.isEmpty else { return "" }
        return ": “\(line.prefix(300))”"
    }

    static func mebibytes(_ bytes: Int) -> Int { (bytes + (1 << 20) - 1) >> 20 }

    /// The usual name of the signals a crashed process dies of.
    static func signalName(_ number: Int32) -> String? {
        switch number {
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGSEGV: "SIGSEGV"
        case SIGTERM: "SIGTERM"
        case SIGXCPU: "SIGXCPU"
        case SIGXFSZ: "SIGXFSZ"
        default: nil
        }
    }
}
