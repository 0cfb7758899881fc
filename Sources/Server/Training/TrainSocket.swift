import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// `/ws/train`: the dashboard's live view of training (protocol in `TrainingMessages.swift`).
///
/// On connect the client gets a snapshot (status and history), then every event as it
/// happens. Each connection has a bounded queue (`TrainingSubscriber`), so a slow tab loses
/// intermediate progress messages rather than growing the server's memory; its writer sends
/// one message at a time through a `SocketSender`, which closes the connection when the
/// client has read nothing for `sendTimeout`. Client messages are optional: `ping` gets
/// `pong`; anything else gets an error message and the connection stays open; a message over
/// `maxMessageBytes` closes it (1009).
struct TrainSocket: Sendable {
    let training: TrainingService
    /// How long one message may wait for a client that does not read before it is dropped.
    let sendTimeout: Duration
    /// The server's WebSocket backlog, shared with `/ws/colorize`.
    let gauge: SocketGauge
    /// Which upgrades are taken.
    let admission: SocketAdmission

    /// Largest client message read (pings are tiny).
    static let maxMessageBytes = 4096

    /// Adds the `/ws/train` upgrade route to a WebSocket router.
    func addRoute(to router: Router<SocketRequestContext>) {
        router.addSocketRoute("/ws/train", admission: admission, gauge: gauge, sendTimeout: sendTimeout) { inbound, sender, logger in
            try await self.session(inbound: inbound, sender: sender, logger: logger)
        }
    }

    /// Runs one connection until the client closes it.
    /// - Throws: what ended the connection early, so the WebSocket layer closes it with the
    ///   matching code.
    func session(inbound: WebSocketInboundStream, sender: SocketSender, logger: Logger) async throws {
        let (snapshot, subscriber) = training.subscribe()
        defer { training.unsubscribe(subscriber) }
        do {
            try await sender.send(snapshot)
        } catch {
            return
        }
        let failure = await withTaskGroup(of: Void.self) { group -> (any Error)? in
            group.addTask {
                // One message at a time: while a write waits for the client, newer progress
                // replaces older in the subscriber's queue instead of piling up here.
                for await _ in subscriber.wakeUps {
                    while let text = subscriber.next() {
                        do {
                            try await sender.send(text)
                        } catch {
                            logger.debug("Training socket writer ended", metadata: ["error": "\(error)"])
                            return
                        }
                    }
                }
            }
            var failure: (any Error)?
            do {
                for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                    // `maxSize` bounds fragmented messages only; a single frame may be as large
                    // as the server's frame limit, so check its size here.
                    guard message.byteCount <= Self.maxMessageBytes else {
                        await sender.close(.messageTooLarge, reason: "messages are at most \(Self.maxMessageBytes) bytes")
                        break
                    }
                    subscriber.push(Self.reply(to: message).json)
                }
            } catch {
                logger.debug("Training socket closed", metadata: ["error": "\(error)"])
                failure = error
            }
            subscriber.close()
            group.cancelAll()
            return failure
        }
        if let failure { throw failure }
    }

    /// The answer to one client message: `pong` for a ping, an error for anything else.
    static func reply(to message: WebSocketMessage) -> TrainingServerMessage {
        guard case .text(let text) = message else { return .error(message: "send JSON text messages") }
        struct Envelope: Decodable {
            let type: String
            let version: Int?
        }
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(text.utf8)) else {
            return .error(message: "body: is not a JSON message with a type")
        }
        if let version = envelope.version, version != TrainingProtocol.version {
            return .error(message: "version: this server speaks version \(TrainingProtocol.version)")
        }
        switch envelope.type {
        case "ping": return .pong
        default: return .error(message: "type: \"\(envelope.type)\" is not a client message (only \"ping\")")
        }
    }
}
