import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import Testing

@testable import Server

/// Hostile input at the HTTP and WebSocket level: every answer is a result or a 4xx with a
/// message naming what is wrong — never a 500, never a crash — and the server stays usable.
@Suite("Hostile input over HTTP and WebSocket")
struct HostileInputTests {
    @Test("Every corpus file and damaged copy POSTed to /api/colorize: 200 or a 4xx with a message")
    func corpusOverHTTP() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let corpus = try HostileCorpus.filesAndDamagedCopies()
        #expect(corpus.count > 100)
        let statuses = try await app.test(.router) { client in
            var statuses: [HTTPResponse.Status: Int] = [:]
            for (name, bytes) in corpus {
                let status = try await client.colorize(ModelFixtures.body(image: ModelFixtures.base64(bytes))) { response in
                    if response.status == .ok {
                        #expect(response.headers[.contentType] == "image/png", "\(name)")
                    } else {
                        #expect([.badRequest, .contentTooLarge, .unsupportedMediaType].contains(response.status), "\(name): \(response.status)")
                        let message = try errorMessage(response)
                        #expect(message.hasPrefix("image: ") && message.count > 10, "\(name): \(message)")
                    }
                    return response.status
                }
                statuses[status, default: 0] += 1
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            return statuses
        }
        // The corpus covers both outcomes and all three refusals.
        #expect(statuses[.ok, default: 0] > 0 && statuses[.badRequest, default: 0] > 0)
        #expect(statuses[.contentTooLarge, default: 0] > 0 && statuses[.unsupportedMediaType, default: 0] > 0)
    }

    @Test("Corpus files over /ws/colorize: each gets a result or an error message, on one socket")
    func corpusOverSocket() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let corpus = try HostileCorpus.files()
        try await app.test(.live) { client in
            _ = try await client.ws("/ws/colorize", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                for (index, (name, bytes)) in corpus.enumerated() {
                    try await outbound.writeTextMessage(ColorizeSocketTests.command(id: index, image: ModelFixtures.base64(bytes)))
                    guard case .text(let text) = try await messages.next() else {
                        Issue.record("\(name): no text answer")
                        return
                    }
                    let reply = try JSONDecoder().decode(ColorizeSocketTests.Reply.self, from: Data(text.utf8))
                    #expect(reply.id == index, "\(name)")
                    #expect(
                        reply.type == "result" || (reply.type == "error" && reply.code != "internal" && reply.message?.hasPrefix("image: ") == true),
                        "\(name): \(text.prefix(200))")
                }
            }
        }
    }

    @Test("Malformed /ws/colorize messages each get an error; the same socket then colorizes")
    func malformedMessages() async throws {
        let limits = ColorizeLimits(maxBodyBytes: 1 << 20)
        let app = try await buildApplication(configuration: ModelFixtures.configuration(limits: limits))
        let png = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 24, height: 24))
        let tooManyHints = "[" + Array(repeating: ##"{"x":1,"y":1,"color":"#000000"}"##, count: 20_000).joined(separator: ",") + "]"
        let malformed: [String] = [
            "", "not json", "[]", "null", "42", #""colorize""#, "{", #"{"type":"colorize""#,
            #"{"type":7,"version":1,"id":1}"#, #"{"type":"colorize","version":"1","id":1}"#,
            #"{"type":"colorize","version":1,"id":"one","mode":"lineart"}"#,
            #"{"type":"colorize","version":1,"id":1,"mode":5}"#,
            #"{"type":"colorize","version":1,"id":1,"mode":"lineart","hints":{"x":1}}"#,
            ##"{"type":"colorize","version":1,"id":1,"mode":"lineart","hints":[{"x":"1","y":1,"color":"#000000"}]}"##,
            ##"{"type":"colorize","version":1,"id":1,"mode":"lineart","hints":[{"x":1e400,"y":1,"color":"#000000"}]}"##,
            #"{"type":"colorize","version":1,"id":1,"mode":"lineart","image":"%%%"}"#,
            #"{"type":"colorize","version":1,"id":1,"mode":"lineart","image":12}"#,
            #"{"type":"reset","version":1,"id":1}"#, #"{"type":"colorize","version":2,"id":1}"#,
            String(repeating: "[", count: 100_000),
            String(repeating: #"{"a":"#, count: 50_000),
            ##"{"type":"colorize","version":1,"id":2,"mode":"lineart","image":"\##(png)","hints":\##(tooManyHints)}"##,
            #"{"type":"colorize","version":1,"id":3,"mode":"lineart","image":""# + String(repeating: "QUFB", count: 200_000) + #""}"#
        ]
        try await app.test(.live) { client in
            _ = try await client.ws("/ws/colorize", configuration: .init(maxFrameSize: 1 << 21)) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 21).makeAsyncIterator()
                for message in malformed {
                    try await outbound.writeTextMessage(message)
                    guard case .text(let text) = try await messages.next() else {
                        Issue.record("no answer to \(message.prefix(60))")
                        return
                    }
                    let reply = try JSONDecoder().decode(ColorizeSocketTests.Reply.self, from: Data(text.utf8))
                    #expect(reply.type == "error" && reply.code != "internal", "\(message.prefix(60)) → \(text.prefix(200))")
                    #expect(reply.message?.contains(": ") == true, "\(message.prefix(60)) → \(text.prefix(200))")
                }
                try await outbound.writeTextMessage(ColorizeSocketTests.command(id: 99, image: png))
                guard case .text(let text) = try await messages.next() else {
                    Issue.record("no result")
                    return
                }
                #expect(text.contains(#""type":"result""#) && text.contains(#""id":99"#))
            }
        }
    }

    @Test("A message over the size limit closes that socket (1009); the server takes the next one")
    func oversizedMessage() async throws {
        let limits = ColorizeLimits(maxBodyBytes: 64 << 10)
        let app = try await buildApplication(configuration: ModelFixtures.configuration(limits: limits))
        let png = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 16, height: 16))
        try await app.test(.live) { client in
            let close = try await client.ws("/ws/colorize", configuration: .init(maxFrameSize: 1 << 20)) { inbound, outbound, _ in
                try await outbound.writeTextMessage(String(repeating: "x", count: 100 << 10))
                for try await _ in inbound.messages(maxSize: 1 << 20) {}
            }
            #expect(close?.closeCode == .messageTooLarge)
            try await client.ws("/ws/colorize", configuration: .init(maxFrameSize: 1 << 20)) { inbound, outbound, _ in
                try await outbound.writeTextMessage(ColorizeSocketTests.command(id: 1, image: png))
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                guard case .text(let text) = try await messages.next() else {
                    Issue.record("no result")
                    return
                }
                #expect(text.contains(#""type":"result""#))
            }
        }
    }

    @Test("Malformed /ws/train messages each get an error; oversized ones close only that socket")
    func malformedTrainingMessages() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let app = try await buildApplication(configuration: fixture.configuration)
        try await app.test(.live) { client in
            try await client.ws("/ws/train", configuration: .init(maxFrameSize: 1 << 20)) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                _ = try await messages.next()  // the snapshot
                for message in ["", "[]", #"{"type":5}"#, #"{"type":"ping","version":"1"}"#, #"{"type":"start"}"#, String(repeating: "{", count: 4000)] {
                    try await outbound.writeTextMessage(message)
                    guard case .text(let text) = try await messages.next() else {
                        Issue.record("no answer")
                        return
                    }
                    #expect(text.contains(#""type":"error""#), "\(message.prefix(40)) → \(text)")
                }
                try await outbound.writeTextMessage(#"{"type":"ping","version":1}"#)
                guard case .text(let pong) = try await messages.next() else {
                    Issue.record("no pong")
                    return
                }
                #expect(pong.contains(#""type":"pong""#))
            }
            let close = try await client.ws("/ws/train", configuration: .init(maxFrameSize: 1 << 20)) { inbound, outbound, _ in
                try await outbound.writeTextMessage(String(repeating: " ", count: 10_000))
                for try await _ in inbound.messages(maxSize: 1 << 22) {}
            }
            #expect(close?.closeCode == .messageTooLarge)
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }
}
