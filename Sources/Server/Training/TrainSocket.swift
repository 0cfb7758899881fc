import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// `/ws/train`: the dashboard's live view of training (protocol in `TrainingMessages.swift`).
///
/// On connect the client gets a snapshot (status and history), then every event as it
/// happens. Each connection has a bounded queue (`TrainingSubscriber`), so a slow tab loses
/// intermediate progress messages rather than growing the server's memory. Client messages
/// are optional: `ping` gets `pong`; anything else gets an error message and the connection
/// stays open.
struct TrainSocket: Sendable {
    let training: TrainingService

    /// Largest client message read (pings are tiny).
    static let maxMessageBytes = 4096

    /// Adds the `/ws/train` upgrade route to a WebSocket router.
    func addRoute(to router: Router<BasicWebSocketRequestContext>) {
        router.ws("/ws/train", shouldUpgrade: { request, _ in
            ColorizeSocket.isSameOrigin(request) ? .upgrade([:]) : .dontUpgrade
        }) { inbound, outbound, context in
            await self.session(inbound: inbound, outbound: outbound, logger: context.logger)
        }
    }

    /// Runs one connection until the client closes it.
    func session(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async {
        let (snapshot, subscriber) = training.subscribe()
        defer { training.unsubscribe(subscriber) }
        do {
            try await outbound.writeTextMessage(snapshot)
        } catch {
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in subscriber.wakeUps {
                    for text in subscriber.drain() {
                        do { try await outbound.writeTextMessage(text) } catch { return }
                    }
                }
            }
            do {
                for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                    subscriber.push(Self.reply(to: message).json)
                }
            } catch {
                logger.debug("Training socket closed", metadata: ["error": "\(error)"])
            }
            subscriber.close()
            group.cancelAll()
        }
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
