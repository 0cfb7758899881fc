import Pix2Pix

/// The memory cap of a dashboard run's process: its data segment limit (`RLIMIT_DATA`, which
/// `TrainingWorker` sets on itself), worked out from the run's estimate (`TrainingMemory`).
///
/// The estimate counts what training touches; the data segment also counts what the process
/// maps without touching (the allocator's and OpenBLAS's reserves, thread stacks), so the cap
/// leaves room above the estimate: a run the estimate describes never meets it, while a run
/// that outgrows it by far fails alone, with a `failed` event, before the machine runs short.
enum TrainingProcessMemoryCap {
    /// Room above the estimate, as a share of it.
    static let headroomShare = 0.5
    /// Room above the estimate at least.
    static let minimumHeadroomBytes = 1 << 30

    /// The cap for a run estimated at `memory`.
    static func bytes(for memory: TrainingMemory) -> Int {
        let estimate = memory.totalBytes
        return estimate + max(minimumHeadroomBytes, Int(Double(estimate) * headroomShare))
    }
}
