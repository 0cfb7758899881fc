import Foundation
import Hummingbird
import HummingbirdTesting
import ImageCodecs
import Pix2Pix
import Tensors
import Testing

@testable import Server

/// A models folder of two tiny untrained line-art generators (9 → 3 planes, ngf 4, 64×64):
/// `tiny-dropout` with 6 downsamplings, whose one inner decoder block has dropout (so it has
/// variants), and `tiny-plain` with 5, which has none.
enum VariantModelFixtures {
    static let directory: String = {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("tinct-variant-models-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.removeItem(atPath: root)
        do {
            let dropout = UNetGenerator(GeneratorConfig(inputChannels: 9, outputChannels: 3, ngf: 4, downsamplings: 6))
            // Larger weights than an untrained network's, so its colours (and a dropout
            // mask's effect on them) show in 8 bits rather than all 128 grey.
            var generator = SeededGenerator(seed: 11)
            for (_, parameter) in dropout.namedParameters() where parameter.value.shape.count == 4 {
                for i in 0..<parameter.value.count { parameter.value.data[i] = 0.4 * generator.nextNormal() }
            }
            try GeneratorModel(mode: .lineart, generator: dropout, resolution: 64).save(folder: "\(root)/tiny-dropout")
            let plain = UNetGenerator(GeneratorConfig(inputChannels: 9, outputChannels: 3, ngf: 4, downsamplings: 5))
            try GeneratorModel(mode: .lineart, generator: plain, resolution: 64).save(folder: "\(root)/tiny-plain")
        } catch {
            fatalError("could not write the test models: \(error)")
        }
        return root
    }()

    static func configuration() -> ServerConfiguration {
        var configuration = TestConfiguration.server()
        configuration.modelsDirectory = directory
        return configuration
    }

    /// A 60×44 drawing, as base64: the outline of a closed box (2 pixels of ink), whose inside
    /// no hint reaches — the network's own colours, which a variant changes.
    static func drawing() throws -> String {
        var image = RGBImage(width: 60, height: 44)
        image.withMutablePixels { p in
            for y in 8...36 {
                for x in 10...50 where x < 12 || x > 48 || y < 10 || y > 34 {
                    for c in 0..<3 { p[3 * (y * 60 + x) + c] = 0 }
                }
            }
        }
        return ModelFixtures.base64(try PNGEncoder.encode(image))
    }
}

extension TestClientProtocol {
    /// POSTs `body` as JSON to `path`.
    func post<Return>(_ path: String, _ body: String, _ check: @escaping (TestResponse) async throws -> Return) async throws -> Return {
        try await execute(
            uri: path, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body),
            testCallback: check)
    }
}

@Suite("Variants, PSD, suggestions, palette and hint areas over the API")
struct ArtistToolsRouteTests {
    static func colorizeBody(model: String = "tiny-dropout", extra: String = "") throws -> String {
        #"{"image":"\#(try VariantModelFixtures.drawing())","mode":"lineart","model":"\#(model)"\#(extra)}"#
    }

    @Test("\"variant\": {\"seed\": N}: the same seed the same PNG, another seed another, none the deterministic one")
    func variants() async throws {
        let app = try await buildApplication(configuration: VariantModelFixtures.configuration())
        try await app.test(.router) { client in
            func picture(_ extra: String) async throws -> [UInt8] {
                try await client.colorize(try Self.colorizeBody(extra: extra)) { response in
                    #expect(response.status == .ok)
                    return try ImageDecoder.decode(Array(response.body.readableBytesView)).pixels
                }
            }
            let one = try await picture(#","variant":{"seed":1}"#)
            let two = try await picture(#","variant":{"seed":2}"#)
            let plain = try await picture("")
            let again = try await picture(#","variant":{"seed":1}"#)
            let plainAgain = try await picture("")
            let differing = zip(one, two).filter { $0 != $1 }.count
            print("variants 1 and 2 over the API: \(differing) of \(one.count) channel values differ")
            #expect(again == one, "the same seed gave another picture")
            #expect(differing > 0, "two seeds gave the same picture")
            #expect(plainAgain == plain, "no variant gave another picture")
            #expect(one != plain, "a variant gave the deterministic picture")
        }
    }

    @Test(
        "a variant is refused naming the field: a model without dropout, a seed out of range",
        arguments: [
            ("tiny-plain", #"{"seed":1}"#, "variant:"), ("tiny-dropout", #"{"seed":-1}"#, "variant.seed:"),
            ("tiny-dropout", #"{"seed":9007199254740992}"#, "variant.seed:"), ("tiny-dropout", #"{"seed":"a"}"#, "variant.seed:")
        ])
    func variantRefused(model: String, variant: String, prefix: String) async throws {
        let app = try await buildApplication(configuration: VariantModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.colorize(try Self.colorizeBody(model: model, extra: #","variant":\#(variant)"#)) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response)
                #expect(message.hasPrefix(prefix), "\(message)")
            }
        }
    }

    @Test("the WebSocket protocol carries a variant to the job")
    func socketVariant() throws {
        let image = try VariantModelFixtures.drawing()
        let text = #"{"type":"colorize","version":1,"id":3,"mode":"lineart","image":"\#(image)","variant":{"seed":42}}"#
        let (pending, _) = try ColorizeSocket.parse(text, picture: nil, limits: .init())
        #expect(pending.job.variant == ColorVariant(seed: 42))
        let plain = #"{"type":"colorize","version":1,"id":4,"mode":"lineart","image":"\#(image)"}"#
        #expect(try ColorizeSocket.parse(plain, picture: nil, limits: .init()).0.job.variant == nil)
    }

    @Test("\"format\": \"psd\" answers a Photoshop file of the picture's size")
    func photoshop() async throws {
        let app = try await buildApplication(configuration: VariantModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.colorize(try Self.colorizeBody(extra: #","format":"psd""#)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/vnd.adobe.photoshop")
                let bytes = Array(response.body.readableBytesView)
                #expect(Array(bytes[0..<4]) == Array("8BPS".utf8))
                #expect(Array(bytes[14..<22]) == [0, 0, 0, 44, 0, 0, 0, 60], "height, then width")
            }
        }
    }

    struct Suggestions: Decodable {
        struct Suggestion: Decodable {
            let color: String
            let votes: Int
        }
        let suggestions: [Suggestion]
        let variants: Int
        let ms: Double
    }

    @Test("POST /api/suggestions: ranked colours whose votes add up to at most the variants asked")
    func suggestions() async throws {
        let app = try await buildApplication(configuration: VariantModelFixtures.configuration())
        let body =
            ##"{"image":"\##(try VariantModelFixtures.drawing())","mode":"lineart","model":"tiny-dropout","x":30,"y":20,"variants":6,"hints":[{"x":5,"y":40,"color":"#ff8800"}]}"##
        try await app.test(.router) { client in
            let answer = try await client.post("/api/suggestions", body) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(Suggestions.self, from: Data(buffer: response.body))
            }
            #expect(answer.variants == 6 && !answer.suggestions.isEmpty)
            #expect(answer.suggestions.map(\.votes).reduce(0, +) <= 6)
            #expect(answer.suggestions.allSatisfy { ColorHint.parseHex($0.color) != nil })
            #expect(answer.suggestions.map(\.votes) == answer.suggestions.map(\.votes).sorted(by: >))
        }
    }

    @Test(
        "suggestions refuse a point outside the picture, a variant count out of range",
        arguments: [
            (#""x":60,"y":0"#, "tiny-dropout", "x:"), (#""x":0,"y":-1"#, "tiny-dropout", "y:"),
            (#""x":1,"y":1,"variants":0"#, "tiny-dropout", "variants:"), (#""x":1,"y":1,"variants":33"#, "tiny-dropout", "variants:"),
            (#""y":1"#, "tiny-dropout", "x:")
        ])
    func suggestionsRefused(fields: String, model: String, prefix: String) async throws {
        let app = try await buildApplication(configuration: VariantModelFixtures.configuration())
        let body = #"{"image":"\#(try VariantModelFixtures.drawing())","mode":"lineart","model":"\#(model)",\#(fields)}"#
        try await app.test(.router) { client in
            try await client.post("/api/suggestions", body) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response)
                #expect(message.hasPrefix(prefix), "\(message)")
            }
        }
    }

    @Test("a model without dropout suggests its one colour (1 vote of 1)")
    func suggestionsWithoutDropout() async throws {
        let app = try await buildApplication(configuration: VariantModelFixtures.configuration())
        let body = #"{"image":"\#(try VariantModelFixtures.drawing())","mode":"lineart","model":"tiny-plain","x":30,"y":20}"#
        try await app.test(.router) { client in
            let answer = try await client.post("/api/suggestions", body) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(Suggestions.self, from: Data(buffer: response.body))
            }
            #expect(answer.suggestions.map(\.votes) == [1])
        }
    }

    struct Palette: Decodable {
        struct Swatch: Decodable {
            let color: String
            let share: Double
        }
        let colors: [Swatch]
    }

    @Test("POST /api/palette: a picture of known colours gives them, largest share first; bad counts refused")
    func palette() async throws {
        var picture = RGBImage(width: 40, height: 20, red: 20, green: 160, blue: 60)
        picture.withMutablePixels { p in
            for y in 0..<20 {
                for x in 0..<10 { (p[3 * (y * 40 + x)], p[3 * (y * 40 + x) + 1], p[3 * (y * 40 + x) + 2]) = (250, 250, 250) }
            }
        }
        let image = ModelFixtures.base64(try PNGEncoder.encode(picture))
        let app = try await buildApplication(configuration: VariantModelFixtures.configuration())
        try await app.test(.router) { client in
            let answer = try await client.post("/api/palette", #"{"image":"\#(image)","colors":4}"#) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(Palette.self, from: Data(buffer: response.body))
            }
            #expect(answer.colors.map(\.color) == ["#14a03c", "#fafafa"])
            #expect(answer.colors.map(\.share) == [0.75, 0.25])
            for count in ["0", "17", "\"six\""] {
                try await client.post("/api/palette", #"{"image":"\#(image)","colors":\#(count)}"#) { response in
                    #expect(response.status == .badRequest)
                    let message = try errorMessage(response)
                    #expect(message.hasPrefix("colors:"), "\(message)")
                }
            }
        }
    }

    struct Regions: Decodable {
        let width: Int, height: Int, runs: [Int], pageReach: Int, areas: Int
    }

    @Test("POST /api/regions: run-length labels covering every pixel; the box in the drawing is one area")
    func regions() async throws {
        let app = try await buildApplication(configuration: VariantModelFixtures.configuration())
        let body = #"{"image":"\#(try ModelFixtures.base64(ModelFixtures.drawingPNG(width: 96, height: 80)))"}"#
        try await app.test(.router) { client in
            let answer = try await client.post("/api/regions", body) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(Regions.self, from: Data(buffer: response.body))
            }
            #expect((answer.width, answer.height) == (96, 80))
            var labels: [Int] = []
            for k in stride(from: 0, to: answer.runs.count, by: 2) { labels += Array(repeating: answer.runs[k], count: answer.runs[k + 1]) }
            #expect(labels.count == 96 * 80)
            #expect(Set(labels).allSatisfy { $0 >= -2 && $0 < answer.areas })
            #expect(answer.pageReach == HintSpreading.openReach(forLongerSide: 96))
            try await client.post("/api/regions", #"{"image":"bm90IGFuIGltYWdl"}"#) { response in
                #expect(response.status == .unsupportedMediaType)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("image:"), "\(message)")
            }
        }
    }
}
