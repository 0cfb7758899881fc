/// The connected `/ws/train` clients, and handing each of them every message (each client's
/// bounded queue, `TrainingSubscriber`, decides what a slow one loses). Not thread-safe; its
/// owner, `TrainingRunState`, locks.
struct TrainingSubscribers {
    private var clients: [ObjectIdentifier: TrainingSubscriber] = [:]

    /// Starts sending `subscriber` every message.
    mutating func add(_ subscriber: TrainingSubscriber) { clients[ObjectIdentifier(subscriber)] = subscriber }

    /// Stops sending `subscriber` anything.
    mutating func remove(_ subscriber: TrainingSubscriber) { clients[ObjectIdentifier(subscriber)] = nil }

    /// Number of connected clients.
    var count: Int { clients.count }

    /// Messages queued for each client, largest first.
    var backlogs: [Int] { clients.values.map(\.pending).sorted(by: >) }

    /// Queues `message` for every client; progress replaces older queued progress.
    func broadcast(_ message: TrainingServerMessage, isProgress: Bool = false) {
        guard !clients.isEmpty else { return }
        let text = message.json
        for client in clients.values { client.push(text, isProgress: isProgress) }
    }
}
