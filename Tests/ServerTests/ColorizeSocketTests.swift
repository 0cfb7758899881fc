import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSTesting
import ImageCodecs
import Testing

@testable import Server

@Suite("Live colorization over /ws/colorize")
struct ColorizeSocketTests {
    /// A server message, decoded loosely enough to check any of them.
    struct Reply: Decodable {
        let type: String
        let version: Int
        let id: Int?
        let image: String?
        let width: Int?
        let height: Int?
        let ms: Double?
        let code: String?
        let message: String?
    }

    static func command(id: Int, image: String?, hints: String = "[]", mode: String = "lineart") -> String {
        let imageField = image.map { #","image":"\#($0)""# } ?? ""
        return ##"{"type":"colorize","version":1,"id":\##(id),"mode":"\##(mode)","hints":\##(hints)\##(imageField)}"##
    }

    struct NotText: Error {}

    @Test("colorize → result; garbage → error, and the socket stays usable; image may be omitted")
    func session() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let png = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 96, height: 80))
        try await app.test(.live) { client in
            let close = try await client.ws("/ws/colorize", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                func next() async throws -> Reply {
                    guard case .text(let text) = try await messages.next() else { throw NotText() }
                    return try JSONDecoder().decode(Reply.self, from: Data(text.utf8))
                }

                try await outbound.writeTextMessage(Self.command(id: 1, image: png, hints: ##"[{"x":10,"y":10,"color":"#ff0000"}]"##))
                let first = try await next()
                #expect(first.type == "result" && first.id == 1 && first.version == 1)
                #expect(first.width == 96 && first.height == 80)
                #expect((first.ms ?? -1) >= 0)
                let bytes = try #require(first.image.flatMap { Data(base64Encoded: $0) })
                let result = try ImageDecoder.decode(bytes)
                #expect(result.width == 96 && result.height == 80)

                for garbage in ["not json", #"{"type":"dance","version":1,"id":5}"#, #"{"type":"colorize","version":9,"id":6}"#] {
                    try await outbound.writeTextMessage(garbage)
                    let error = try await next()
                    #expect(error.type == "error" && error.code == "bad-request", "\(garbage)")
                }
                try await outbound.writeBinaryMessage(ByteBuffer(bytes: [1, 2, 3]))
                #expect(try await next().code == "bad-request")

                try await outbound.writeTextMessage(Self.command(id: 7, image: nil, hints: ##"[{"x":500,"y":1,"color":"#00ff00"}]"##))
                let outside = try await next()
                #expect(outside.type == "error" && outside.id == 7 && outside.message?.hasPrefix("hints[0]") == true)

                // The picture from request 1 is reused when `image` is left out.
                try await outbound.writeTextMessage(Self.command(id: 8, image: nil, hints: ##"[{"x":95,"y":79,"color":"#00ff00"}]"##))
                let second = try await next()
                #expect(second.type == "result" && second.id == 8 && second.width == 96)
            }
            #expect(close?.closeCode == .normalClosure || close == nil)
        }
    }

    @Test("An idle connection drops its decoded picture; the next request decodes the kept bytes again")
    func idlePicture() async throws {
        let cache = DecodedPictureCache(idleTimeout: .milliseconds(200))
        cache.keep(RGBImage(width: 4, height: 4), version: 1)
        #expect(cache.image(version: 1) != nil && cache.image(version: 2) == nil)
        cache.dropIfIdle()
        #expect(cache.isHoldingPicture, "dropped while in use")
        try await Task.sleep(for: .milliseconds(250))
        cache.dropIfIdle()
        #expect(!cache.isHoldingPicture)

        // Over a socket: with a 300 ms idle timeout, a hints-only request after 800 ms still works.
        var limits = ColorizeLimits()
        limits.idlePictureTimeout = .milliseconds(300)
        let app = try await buildApplication(configuration: ModelFixtures.configuration(limits: limits))
        let png = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 96, height: 80))
        try await app.test(.live) { client in
            _ = try await client.ws("/ws/colorize", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                func next() async throws -> Reply {
                    guard case .text(let text) = try await messages.next() else { throw NotText() }
                    return try JSONDecoder().decode(Reply.self, from: Data(text.utf8))
                }
                try await outbound.writeTextMessage(Self.command(id: 1, image: png))
                #expect(try await next().type == "result")
                try await Task.sleep(for: .milliseconds(800))
                try await outbound.writeTextMessage(Self.command(id: 2, image: nil, hints: ##"[{"x":95,"y":79,"color":"#00ff00"}]"##))
                let later = try await next()
                #expect(later.type == "result" && later.id == 2 && later.width == 96, "\(later)")
            }
        }
    }

    @Test("The first request must carry an image; an unknown model is not-found")
    func firstRequestNeedsImage() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let png = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 16, height: 16))
        _ = try await app.test(.live) { client in
            try await client.ws("/ws/colorize", configuration: .init(maxFrameSize: 1 << 20)) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                func next() async throws -> Reply {
                    guard case .text(let text) = try await messages.next() else { throw NotText() }
                    return try JSONDecoder().decode(Reply.self, from: Data(text.utf8))
                }
                try await outbound.writeTextMessage(Self.command(id: 1, image: nil))
                let error = try await next()
                #expect(error.type == "error" && error.id == 1 && error.message?.hasPrefix("image:") == true)
                try await outbound.writeTextMessage(
                    ##"{"type":"colorize","version":1,"id":2,"mode":"lineart","model":"missing","image":"\##(png)"}"##)
                let missing = try await next()
                #expect(missing.type == "error" && missing.id == 2 && missing.code == "not-found")
            }
        }
    }

    @Test("Newest request wins: every id gets one answer, the last one a result")
    func newestWins() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let png = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 256, height: 256))
        _ = try await app.test(.live) { client in
            try await client.ws("/ws/colorize", configuration: .init(maxFrameSize: 1 << 22)) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 22).makeAsyncIterator()
                func next() async throws -> Reply {
                    guard case .text(let text) = try await messages.next() else { throw NotText() }
                    return try JSONDecoder().decode(Reply.self, from: Data(text.utf8))
                }
                try await outbound.writeTextMessage(Self.command(id: 1, image: png))
                for id in 2...6 {
                    try await outbound.writeTextMessage(Self.command(id: id, image: nil, hints: ##"[{"x":\##(id),"y":3,"color":"#123456"}]"##))
                }
                var answered: [Int: String] = [:]
                while answered[6] == nil {
                    let reply = try await next()
                    let id = try #require(reply.id)
                    #expect(answered[id] == nil, "id \(id) answered twice")
                    answered[id] = reply.type == "result" ? "result" : reply.code
                }
                #expect(answered[6] == "result")
                // Request 1 may itself be superseded when request 2 arrives before the inference
                // thread picks it up (timing-dependent), so only the newest is certain to run.
                #expect(Set(answered.values).isSubset(of: ["result", "superseded"]))
                #expect(answered.count == 6)
            }
        }
    }

    @Test("A page from another origin cannot open the socket")
    func crossOriginRefused() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        _ = try await app.test(.live) { client in
            await #expect(throws: (any Error).self) {
                try await client.ws(
                    "/ws/colorize", configuration: .init(additionalHeaders: [.origin: "http://evil.example"])
                ) { _, _, _ in }
            }
        }
    }
}
