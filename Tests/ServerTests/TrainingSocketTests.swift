import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Pix2Pix
import Testing

@testable import Server

@Suite("Live training over /ws/train", .serialized)
struct TrainingSocketTests {
    /// A server message, decoded loosely enough to check any of them.
    struct Message: Decodable {
        struct Event: Decodable {
            let type: String
            let step: Int?
            let path: String?
            let rows: [ValidationRow]?
        }
        let type: String
        let version: Int
        let status: TrainingStatus?
        let history: [Event]?
        let event: Event?
        let message: String?
    }

    struct NotText: Error {}

    @Test("Snapshot, then live progress, samples, validation, checkpoints and finished; a second tab catches up")
    func liveRun() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let app = try await buildApplication(configuration: fixture.configuration)
        try await app.test(.live) { client in
            _ = try await client.ws("/ws/train", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                func next() async throws -> Message {
                    guard case .text(let text) = try await messages.next() else { throw NotText() }
                    return try JSONDecoder().decode(Message.self, from: Data(text.utf8))
                }
                let snapshot = try await next()
                #expect(snapshot.type == "snapshot" && snapshot.version == 1)
                #expect(snapshot.status?.state == .idle && snapshot.history?.isEmpty == true)

                let body = #"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":6,"checkpointEvery":3,"sampleEvery":2}"#
                let run = try await client.postJSON("/api/train/start", body) { response in
                    #expect(response.status == .ok)
                    return try JSONDecoder().decode(TrainingStatus.self, from: Data(String(buffer: response.body).utf8)).run ?? ""
                }

                var events: [Message.Event] = []
                var finalStatus: TrainingStatus?
                while finalStatus == nil || finalStatus?.state.isActive == true {
                    let message = try await next()
                    if message.type == "snapshot" { continue }  // the service announces the new run with one
                    #expect(message.status?.run == run)
                    if let event = message.event { events.append(event) }
                    if message.type == "status", let status = message.status, !status.state.isActive { finalStatus = status }
                }
                let types = events.map(\.type)
                #expect(types.first == "started")
                #expect(types.contains("progress"))
                #expect(events.filter { $0.type == "sample" }.map(\.step) == [2, 4, 6])
                #expect(events.filter { $0.type == "sample" }.allSatisfy { $0.path?.hasPrefix("step-") == true && $0.path?.contains("/") == false })
                #expect(events.filter { $0.type == "checkpoint" }.map(\.step) == [3, 6])
                let validations = events.filter { $0.type == "validation" }
                #expect(validations.map(\.step) == [3, 6])
                #expect(validations.first?.rows?.map(\.hints) == [0, 4, 16, 64, 128])
                #expect(types.last == "finished")
                #expect(finalStatus?.state == .finished && finalStatus?.step == 6)

                // The sample an event names is served.
                let sample = try #require(events.last { $0.type == "sample" }?.path)
                try await client.execute(uri: "/api/runs/\(run)/samples/\(sample)", method: .get) { response in
                    #expect(response.status == .ok && response.headers[.contentType] == "image/png")
                }

                // Pings are answered; garbage gets an error and the socket stays open.
                try await outbound.writeTextMessage(#"{"type":"ping","version":1}"#)
                #expect(try await next().type == "pong")
                for garbage in ["not json", #"{"type":"start","version":1}"#, #"{"type":"ping","version":7}"#] {
                    try await outbound.writeTextMessage(garbage)
                    let error = try await next()
                    #expect(error.type == "error" && error.message?.isEmpty == false, "\(garbage)")
                }
                try await outbound.writeBinaryMessage(ByteBuffer(bytes: [0, 1, 2]))
                #expect(try await next().type == "error")
                try await outbound.writeTextMessage(#"{"type":"ping"}"#)
                #expect(try await next().type == "pong")
            }

            // A tab that connects later gets the whole run in its snapshot.
            _ = try await client.ws("/ws/train", configuration: .init(maxFrameSize: 1 << 22)) { inbound, _, _ in
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                guard case .text(let text) = try await messages.next() else { throw NotText() }
                let snapshot = try JSONDecoder().decode(Message.self, from: Data(text.utf8))
                #expect(snapshot.type == "snapshot" && snapshot.status?.state == .finished)
                let types = snapshot.history?.map(\.type) ?? []
                #expect(types.first == "started" && types.last == "finished")
                #expect(types.filter { $0 == "validation" }.count == 2 && types.filter { $0 == "sample" }.count == 3)
            }
        }
    }

    @Test("Cross-site upgrades are refused")
    func crossSite() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let app = try await buildApplication(configuration: fixture.configuration)
        _ = try await app.test(.live) { client in
            await #expect(throws: (any Error).self) {
                _ = try await client.ws("/ws/train", configuration: .init(additionalHeaders: [.origin: "http://evil.example"])) { _, _, _ in }
            }
        }
    }
}
