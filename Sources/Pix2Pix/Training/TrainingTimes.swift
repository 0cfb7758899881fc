import Foundation

/// Where a training run's wall time went, phase by phase, for `tinct train`'s closing line:
/// the end-to-end images/s beside what the training steps alone reach (what `tinct bench`
/// measures), and what the difference is made of.
///
/// The phases follow one another on the training thread, so their seconds add up to the
/// loop's wall time (`other` is what is left: progress events, dropout reseeding). The batch
/// loader works on its own thread, alongside the steps: its seconds are reported apart.
public struct TrainingTimes: Sendable, Equatable {
    /// One stretch of the training thread's work.
    public enum Phase: String, CaseIterable, Sendable {
        /// Decoding the pictures before the first step (start-up, not part of the loop).
        case readingPictures = "reading pictures"
        /// `Pix2PixModel.trainingStep`: forward, backward and Adam for G and D.
        case trainingSteps = "training steps"
        /// Waiting for the loader's next batch (or making it, when it is not ready).
        case waitingForData = "waiting for data"
        /// Writing the sample grids.
        case samples
        /// Recomputing the generator's batch-norm statistics before a checkpoint.
        case batchNormRecalibration = "batch-norm recalibration"
        /// Validating at a checkpoint.
        case validation
        /// Writing checkpoint files.
        case checkpointWriting = "checkpoint writing"
    }

    public private(set) var seconds: [Phase: Double] = [:]
    /// Training steps taken.
    public internal(set) var steps = 0
    /// Wall time of the step loop, first step to last checkpoint.
    public internal(set) var loopSeconds = 0.0
    /// Seconds the loader thread spent making batches, alongside the loop.
    public internal(set) var loaderSeconds = 0.0
    /// Batches the loader thread made.
    public internal(set) var loaderBatches = 0

    public init() {}

    /// Times `body` as `phase`.
    mutating func measure<T>(_ phase: Phase, _ body: () throws -> T) rethrows -> T {
        let start = ProcessInfo.processInfo.systemUptime
        defer { add(phase, ProcessInfo.processInfo.systemUptime - start) }
        return try body()
    }

    mutating func add(_ phase: Phase, _ elapsed: Double) {
        seconds[phase, default: 0] += elapsed
    }

    /// One paragraph: steps, wall time, images/s end to end and in the steps alone, each
    /// phase's seconds and share of the loop, and the loader thread's work.
    public func summary(batch: Int) -> String {
        let loopPhases = Phase.allCases.filter { $0 != .readingPictures }
        let other = max(0, loopSeconds - loopPhases.reduce(0) { $0 + (seconds[$1] ?? 0) })
        let stepSeconds = seconds[.trainingSteps] ?? 0
        func rate(_ time: Double) -> String { time > 0 ? String(format: "%.2f", Double(steps * batch) / time) : "?" }
        func share(_ time: Double) -> String {
            String(format: "%.1f s (%.1f %%)", time, loopSeconds > 0 ? 100 * time / loopSeconds : 0)
        }
        let parts = loopPhases.map { "\($0.rawValue) \(share(seconds[$0] ?? 0))" } + ["other \(share(other))"]
        var text = String(format: "%d steps in %.1f s", steps, loopSeconds)
        text += String(format: " (after %.1f s reading pictures): ", seconds[.readingPictures] ?? 0)
        text += "\(rate(loopSeconds)) images/s end to end, \(rate(stepSeconds)) in the training steps alone; "
        text += parts.joined(separator: ", ")
        if loaderBatches > 0 {
            text += String(
                format: "; alongside, the loader thread made %d batches in %.1f s (%.0f ms each)", loaderBatches, loaderSeconds,
                1000 * loaderSeconds / Double(loaderBatches))
        }
        return text
    }
}
