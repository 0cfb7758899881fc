import Pix2Pix

/// The events of one run, kept in memory so a tab that (re)connects can redraw everything.
///
/// Bounded: progress events beyond `maxProgress` are thinned by dropping every other one
/// (the curves keep their shape over the whole run at a coarser step), and other events
/// beyond `maxOthers` drop their oldest warnings first. Not thread-safe; its owner locks.
struct TrainingHistory: Sendable {
    /// Most progress events kept.
    let maxProgress: Int
    /// Most other events kept.
    let maxOthers: Int
    /// Most progress events a snapshot carries (thinned evenly, the latest always included).
    let maxProgressInSnapshot: Int

    private(set) var events: [TrainingEvent] = []
    private var progressCount = 0

    init(maxProgress: Int = 5000, maxOthers: Int = 2000, maxProgressInSnapshot: Int = 1000) {
        (self.maxProgress, self.maxOthers, self.maxProgressInSnapshot) = (maxProgress, maxOthers, maxProgressInSnapshot)
    }

    /// Appends `event`, thinning when a bound is passed.
    mutating func append(_ event: TrainingEvent) {
        events.append(event)
        if event.isProgress {
            progressCount += 1
            if progressCount > maxProgress { thinProgress() }
        } else if events.count - progressCount > maxOthers {
            let index =
                events.firstIndex { if case .warning = $0 { return true } else { return false } }
                ?? events.firstIndex { !$0.isProgress }!
            events.remove(at: index)
        }
    }

    /// Forgets everything (a new run starts).
    mutating func removeAll() {
        events.removeAll()
        progressCount = 0
    }

    /// The events to send a connecting client: all others, and at most
    /// `maxProgressInSnapshot` progress events spread evenly, the last one kept.
    var snapshot: [TrainingEvent] {
        guard progressCount > maxProgressInSnapshot else { return events }
        let stride = Double(progressCount) / Double(maxProgressInSnapshot)
        var result: [TrainingEvent] = []
        result.reserveCapacity(events.count - progressCount + maxProgressInSnapshot)
        var seen = 0
        var next = 0.0
        for event in events {
            guard event.isProgress else {
                result.append(event)
                continue
            }
            if Double(seen) >= next || seen == progressCount - 1 {
                result.append(event)
                next += stride
            }
            seen += 1
        }
        return result
    }

    /// Drops every other progress event (the newest is always kept).
    private mutating func thinProgress() {
        var seen = 0
        let last = progressCount - 1
        events.removeAll { event in
            guard event.isProgress else { return false }
            defer { seen += 1 }
            return seen % 2 == 1 && seen != last
        }
        progressCount = events.count(where: \.isProgress)
    }
}
