import Foundation
import Hummingbird
import HummingbirdWebSocket
import Testing

@testable import Server

/// Seeded mutation fuzzing of every JSON the server decodes from clients: thousands of
/// damaged colorize bodies, `/ws/colorize` and `/ws/train` messages and training requests.
/// Each must decode or be refused with a 4xx that names a field — never crash, never a 500.
@Suite("Message decoding under mutation")
struct MessageFuzzTests {
    static let mutations = 3000
    static let limits = ColorizeLimits()
    static let png = ModelFixtures.base64((try? ModelFixtures.drawingPNG(width: 12, height: 10)) ?? [])

    /// Checks a refusal: a client error whose message starts with a field name.
    static func expectClear(_ error: APIError, _ input: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let text = String(decoding: input.prefix(120), as: UTF8.self)
        #expect((400..<500).contains(error.status.code), "\(error.status) for \(text)", sourceLocation: sourceLocation)
        let field = error.message.prefix { $0 != ":" }
        #expect(
            !field.isEmpty && field.count < error.message.count - 2 && !field.contains(" "),
            "unclear message \"\(error.message)\" for \(text)", sourceLocation: sourceLocation)
    }

    @Test("POST /api/colorize bodies")
    func colorizeBodies() {
        var mutator = JSONMutator(
            seed: 1,
            seeds: [
                ModelFixtures.body(image: Self.png, hints: ##"[{"x":1,"y":2,"color":"#ff0000"},{"x":3,"y":4,"color":"#00ff00","r":2}]"##),
                ModelFixtures.body(image: Self.png, mode: "photo", model: "tiny-photo"),
                ModelFixtures.body(image: "data:image/png;base64,\(Self.png)")
            ])
        var (accepted, refused) = (0, 0)
        for _ in 0..<Self.mutations {
            let input = mutator.next()
            do {
                // A mutation inside the base64 can change the size the header declares.
                let job = try ColorizeController.job(fromBody: Data(input), limits: Self.limits)
                #expect(job.width > 0 && job.height > 0 && job.width * job.height <= Self.limits.maxPixels)
                accepted += 1
            } catch {
                Self.expectClear(error, input)
                refused += 1
            }
        }
        #expect(accepted > 50 && refused > 1000, "accepted \(accepted), refused \(refused)")
    }

    @Test("/ws/colorize messages, with and without a picture from an earlier message")
    func colorizeSocketMessages() {
        var mutator = JSONMutator(
            seed: 2,
            seeds: [
                ColorizeSocketTests.command(id: 1, image: Self.png, hints: ##"[{"x":1,"y":2,"color":"#ff0000","r":3}]"##),
                ColorizeSocketTests.command(id: 2, image: nil, hints: ##"[{"x":11,"y":9,"color":"#123abc"}]"##, mode: "photo"),
                #"{"type":"colorize","version":1,"id":3,"mode":"lineart","model":"tiny-lineart"}"#
            ])
        let earlier = (bytes: [UInt8](Data(base64Encoded: Self.png)!), width: 12, height: 10, version: 1)
        var (accepted, refused) = (0, 0)
        for i in 0..<Self.mutations {
            let input = mutator.next()
            let text = String(decoding: input, as: UTF8.self)
            do {
                _ = try ColorizeSocket.parse(text, picture: i % 2 == 0 ? earlier : nil, limits: Self.limits)
                accepted += 1
            } catch {
                Self.expectClear(error.error, input)
                let reply = ColorizeServerMessage.error(id: error.id, error.error).json
                #expect(reply.contains(#""type":"error""#) && !reply.contains(#""code":"internal""#))
                refused += 1
            }
        }
        #expect(accepted > 50 && refused > 1000, "accepted \(accepted), refused \(refused)")
    }

    @Test("/ws/train messages")
    func trainingSocketMessages() {
        var mutator = JSONMutator(seed: 3, seeds: [#"{"type":"ping","version":1}"#, #"{"type":"ping"}"#])
        var pongs = 0
        for _ in 0..<Self.mutations {
            let reply = TrainSocket.reply(to: .text(String(decoding: mutator.next(), as: UTF8.self)))
            switch reply {
            case .pong: pongs += 1
            case .error(let message): #expect(!message.isEmpty)
            default: Issue.record("unexpected reply \(reply.json)")
            }
        }
        #expect(pongs > 10 && pongs < Self.mutations)
    }

    @Test("Training start, resume and publish bodies")
    func trainingBodies() {
        var mutator = JSONMutator(
            seed: 4,
            seeds: [
                #"{"dataset":"tiny","mode":"lineart","size":32,"steps":10,"batch":2,"ngf":4,"ndf":4,"downs":5,"lr":0.0002,"attention":false,"norm":"batch","ganLoss":"lsgan","seed":7}"#,
                #"{"run":"tiny-lineart-20250101-000000","steps":20}"#,
                #"{"run":"tiny-lineart-20250101-000000","name":"my-model","checkpoint":"best","replace":true}"#
            ])
        var (accepted, refused) = (0, 0)
        for _ in 0..<Self.mutations {
            let input = mutator.next()
            let data = Data(input)
            do {
                let start = try Request.decodeJSON(StartTrainingRequest.self, from: data)
                for problem in start.options.problems { #expect(!problem.field.isEmpty && !problem.problem.isEmpty) }
                accepted += 1
            } catch {
                Self.expectClear(error, input)
                refused += 1
            }
            do { _ = try Request.decodeJSON(ResumeTrainingRequest.self, from: data) } catch { Self.expectClear(error, input) }
            do { _ = try Request.decodeJSON(PublishRequest.self, from: data) } catch { Self.expectClear(error, input) }
        }
        #expect(accepted > 20 && refused > 1000, "accepted \(accepted), refused \(refused)")
    }
}
