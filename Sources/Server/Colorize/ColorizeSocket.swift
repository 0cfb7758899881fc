import Foundation
import Hummingbird
import HummingbirdWebSocket
import ImageCodecs
import Logging

/// `/ws/colorize`: live colorization for the editor (protocol in `ColorizeMessages.swift`).
///
/// Each connection has a reader (parses and validates messages, answers bad ones at once)
/// and a worker (runs one colorization at a time). Between them sits a one-slot mailbox:
/// a request waiting there is replaced by a newer one (and answered `superseded`), so at most
/// one request per client is in flight and the newest always wins. A bad message gets an
/// error message and the connection stays open; only a message over the size limit closes it
/// (WebSocket close code 1009).
///
/// Replies go through a `SocketSender`: each write waits until the client has room, so a
/// client that does not read makes its reader and worker wait (at most one message each)
/// instead of queuing replies, and after `sendTimeout` the connection is closed.
struct ColorizeSocket: Sendable {
    let inference: InferenceService
    /// How long one reply may wait for a client that does not read before it is dropped.
    let sendTimeout: Duration
    /// The server's WebSocket backlog, shared with `/ws/train`.
    let gauge: SocketGauge
    /// Which upgrades are taken.
    let admission: SocketAdmission

    /// A validated request waiting for the worker, with the version of the picture it uses.
    struct Pending: Sendable {
        let id: Int
        let job: ColorizeJob
        let imageVersion: Int
    }

    /// Adds the `/ws/colorize` upgrade route to a WebSocket router.
    func addRoute(to router: Router<SocketRequestContext>) {
        router.addSocketRoute("/ws/colorize", admission: admission, gauge: gauge, sendTimeout: sendTimeout) { inbound, sender, logger in
            try await self.session(inbound: inbound, sender: sender, logger: logger)
        }
    }

    /// Runs one connection until the client closes it.
    /// - Throws: what ended the connection early (a message over the limit, a protocol
    ///   error, a stalled client), so the WebSocket layer closes it with the matching code.
    func session(inbound: WebSocketInboundStream, sender: SocketSender, logger: Logger) async throws {
        let (mailbox, mailboxInput) = AsyncStream.makeStream(of: Pending.self, bufferingPolicy: .bufferingNewest(1))
        let limits = inference.limits
        let cache = DecodedPictureCache(idleTimeout: limits.idlePictureTimeout)
        let failure = await withTaskGroup(of: Void.self) { group -> (any Error)? in
            group.addTask { await self.work(mailbox: mailbox, sender: sender, cache: cache) }
            group.addTask { await cache.dropWhileIdle() }
            var picture: (bytes: [UInt8], width: Int, height: Int, version: Int)?
            var failure: (any Error)?
            do {
                for try await message in inbound.messages(maxSize: limits.maxBodyBytes) {
                    guard case .text(let text) = message else {
                        try await sender.send(
                            ColorizeServerMessage.error(id: nil, code: .badRequest, message: "body: send JSON text messages").json)
                        continue
                    }
                    do {
                        let (pending, newPicture) = try Self.parse(text, picture: picture, limits: limits)
                        picture = newPicture
                        if case .dropped(let older) = mailboxInput.yield(pending) {
                            let note = ColorizeServerMessage.error(
                                id: older.id, code: .superseded, message: "request \(older.id) was replaced by \(pending.id)")
                            try await sender.send(note.json)
                        }
                    } catch let error as ParseFailure {
                        try await sender.send(ColorizeServerMessage.error(id: error.id, error.error).json)
                    }
                }
            } catch {
                logger.debug("Colorize socket closed", metadata: ["error": "\(error)"])
                failure = error
            }
            mailboxInput.finish()
            group.cancelAll()
            return failure
        }
        if let failure { throw failure }
    }

    /// A message that could not be accepted, with the id to answer (when it had one).
    struct ParseFailure: Error {
        let id: Int?
        let error: APIError
    }

    /// Parses and validates one client message against the connection's current picture.
    static func parse(
        _ text: String, picture: (bytes: [UInt8], width: Int, height: Int, version: Int)?, limits: ColorizeLimits
    ) throws(ParseFailure) -> (Pending, (bytes: [UInt8], width: Int, height: Int, version: Int)) {
        let data = Data(text.utf8)
        let envelope: ClientEnvelope
        do {
            envelope = try JSONDecoder().decode(ClientEnvelope.self, from: data)
        } catch {
            throw ParseFailure(id: nil, error: .decodingFailure(error))
        }
        let id = envelope.id
        guard envelope.type == "colorize" else {
            throw ParseFailure(id: id, error: .badField("type", "unknown message type \"\(envelope.type.prefix(40))\""))
        }
        guard envelope.version == ColorizeProtocol.version else {
            throw ParseFailure(id: id, error: .badField("version", "this server speaks version \(ColorizeProtocol.version)"))
        }
        do throws(APIError) {
            let command: ColorizeCommand
            do {
                command = try JSONDecoder().decode(ColorizeCommand.self, from: data)
            } catch {
                throw APIError.decodingFailure(error)
            }
            let mode = try ColorizeJob.parseMode(command.mode)
            let model = try ColorizeJob.parseModelName(command.model)
            var current = picture
            if let image = command.image {
                let (bytes, info) = try ColorizeJob.inspectImage(base64: image, limits: limits)
                current = (bytes, info.width, info.height, (picture?.version ?? 0) + 1)
            }
            guard let current else { throw APIError.badField("image", "is required in the connection's first request") }
            let hints = try ColorizeJob.validateHints(command.hints ?? [], width: current.width, height: current.height, limits: limits)
            let variant = try command.variant?.validated()
            let job = ColorizeJob(
                source: .encoded(current.bytes), width: current.width, height: current.height, mode: mode, hints: hints, model: model,
                variant: variant)
            return (Pending(id: command.id, job: job, imageVersion: current.version), current)
        } catch {
            throw ParseFailure(id: id, error: error)
        }
    }

    /// The connection's worker: colorizes what arrives in the mailbox, one at a time.
    private func work(mailbox: AsyncStream<Pending>, sender: SocketSender, cache: DecodedPictureCache) async {
        for await pending in mailbox {
            var job = pending.job
            // The picture decoded by the previous request, reused while the client keeps it.
            if let image = cache.image(version: pending.imageVersion) { job.source = .decoded(image) }
            let reply: ColorizeServerMessage
            do {
                let output = try await inference.colorize(job, priority: .interactive)
                cache.keep(output.input, version: pending.imageVersion)
                reply = .result(
                    id: pending.id, image: Data(output.encoded).base64EncodedString(),
                    width: output.input.width, height: output.input.height, ms: output.milliseconds)
            } catch let error as APIError {
                reply = .error(id: pending.id, error)
            } catch {
                return  // cancelled: the connection is closing
            }
            do {
                try await sender.send(reply.json)
            } catch {
                return
            }
        }
    }
}
