import Foundation

/// Estimates a run's remaining time from the wall-clock pace of its recent steps — checkpoints,
/// validation, samples and pauses for the editor included — over a sliding window, so the
/// estimate neither undercounts those nor jumps each time one of them happens (a per-step
/// rate that left them out swung between 9 and 20 minutes during one run).
public struct RemainingTimeEstimator: Sendable {
    /// How far back the pace is measured.
    public let window: TimeInterval
    private var marks: [(step: Int, time: TimeInterval)] = []

    public init(window: TimeInterval = 300) { self.window = window }

    /// Records that `step` was reached at `time` (seconds on any monotonic clock).
    public mutating func record(step: Int, at time: TimeInterval) {
        marks.append((step, time))
        // Keep one mark older than the window, so the window is always fully covered.
        while marks.count > 2, time - marks[1].time >= window { marks.removeFirst() }
    }

    /// Seconds until `totalSteps` at the recent pace; nil until two steps have been recorded.
    public func remainingSeconds(totalSteps: Int) -> Double? {
        guard let first = marks.first, let last = marks.last, last.step > first.step else { return nil }
        let secondsPerStep = (last.time - first.time) / Double(last.step - first.step)
        return Double(max(0, totalSteps - last.step)) * secondsPerStep
    }
}
