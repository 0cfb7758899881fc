import Foundation
import Hummingbird
import HummingbirdTesting
import ImageCodecs
import Testing

@testable import Server

@Suite("Line-art extraction API")
struct LineArtRouteTests {
    /// A white picture with a red disc and a blue bar: colour regions, no drawn lines.
    static func colorPicturePNG(width: Int, height: Int) throws -> [UInt8] {
        var image = RGBImage(width: width, height: height)
        let (cx, cy, radius) = (width / 3, height / 2, min(width, height) / 4)
        for y in 0..<height {
            for x in 0..<width {
                if (x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius {
                    image[x, y] = (220, 40, 30)
                } else if x > 2 * width / 3, x < 2 * width / 3 + max(2, width / 10) {
                    image[x, y] = (30, 60, 200)
                }
            }
        }
        return try PNGEncoder.encode(image)
    }

    static func body(image: String, style: String? = nil) -> String {
        let styleField = style.map { #","style":"\#($0)""# } ?? ""
        return #"{"image":"\#(image)"\#(styleField)}"#
    }

    @Test(
        "POST /api/lineart answers a PNG of the input's size: paper with ink on the shapes' outlines",
        arguments: [(120, 90, nil), (64, 64, "xdog"), (77, 50, "adaptive"), (90, 61, "sobel")] as [(Int, Int, String?)]
    )
    func extract(width: Int, height: Int, style: String?) async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let png = try Self.colorPicturePNG(width: width, height: height)
        try await app.test(.router) { client in
            try await client.lineArt(Self.body(image: ModelFixtures.base64(png), style: style)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                expectSecurityHeaders(response)
                let lines = try ImageDecoder.decode(Array(response.body.readableBytesView))
                #expect(lines.width == width && lines.height == height)
                let gray = GrayImage(lines)
                let ink = gray.pixels.filter { $0 < 128 }.count
                #expect(ink > 0, "no ink at all")
                #expect(Double(ink) < 0.35 * Double(gray.pixels.count), "mostly ink: \(ink) of \(gray.pixels.count)")
                // The centre of the disc and the far corner are paper; the disc's edge has ink nearby.
                #expect(gray[width / 3, height / 2] > 200)
                #expect(gray[width - 1, 0] > 200)
                let (cx, cy, radius) = (width / 3, height / 2, min(width, height) / 4)
                let rim = (-3...3).map { dx in gray[cx + radius + dx, cy] }.min() ?? 255
                #expect(rim < 128, "no ink where the disc ends")
            }
        }
    }

    @Test("A data: URL is accepted, as browsers produce them")
    func dataURL() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let png = try Self.colorPicturePNG(width: 40, height: 30)
        try await app.test(.router) { client in
            try await client.lineArt(Self.body(image: "data:image/png;base64," + ModelFixtures.base64(png))) { response in
                #expect(response.status == .ok)
                let lines = try ImageDecoder.decode(Array(response.body.readableBytesView))
                #expect(lines.width == 40 && lines.height == 30)
            }
        }
    }

    static let badRequests: [(body: String, field: String)] = {
        let png = (try? colorPicturePNG(width: 20, height: 10)).map(ModelFixtures.base64) ?? ""
        return [
            ("{not json", "body"),
            ("{}", "image"),
            (#"{"image":7}"#, "image"),
            (body(image: ""), "image"),
            (body(image: "@@not base64@@"), "image"),
            (body(image: png, style: "crayon"), "style"),
            (#"{"image":"\#(png)","style":3}"#, "style")
        ]
    }()

    @Test("Bad requests are 400 naming the field", arguments: badRequests)
    func badRequest(body: String, field: String) async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.lineArt(body) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                expectSecurityHeaders(response)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("\(field):"), "\(message)")
            }
        }
    }

    @Test("A damaged PNG is 400 about the image")
    func damaged() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let png = try Self.colorPicturePNG(width: 64, height: 64)
        try await app.test(.router) { client in
            try await client.lineArt(Self.body(image: ModelFixtures.base64(Array(png.prefix(png.count / 2))))) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("image:"), "\(message)")
            }
        }
    }

    @Test("A body over the limit is 413 about the body; a picture over the pixel limit is 413 about the image")
    func tooLarge() async throws {
        let png = ModelFixtures.base64(try Self.colorPicturePNG(width: 101, height: 100))
        let small = try await buildApplication(configuration: ModelFixtures.configuration(limits: .init(maxBodyBytes: 1000)))
        try await small.test(.router) { client in
            try await client.lineArt(Self.body(image: png + String(repeating: "A", count: 2000))) { response in
                #expect(response.status == .contentTooLarge)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("body:"), "\(message)")
            }
        }
        let few = try await buildApplication(configuration: ModelFixtures.configuration(limits: .init(maxPixels: 10_000)))
        try await few.test(.router) { client in
            try await client.lineArt(Self.body(image: png)) { response in
                #expect(response.status == .contentTooLarge)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("image:") && message.contains("10100 pixels"), "\(message)")
            }
        }
    }

    @Test("Data that is not a PNG or JPEG is 415", arguments: ["GIF89a\u{1}\u{0}\u{1}\u{0}", "hello, world"])
    func notAnImage(content: String) async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.lineArt(Self.body(image: ModelFixtures.base64(Array(content.utf8)))) { response in
                #expect(response.status == .unsupportedMediaType)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("image:"), "\(message)")
            }
        }
    }

    @Test("It works without any model installed")
    func noModels() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        let png = ModelFixtures.base64(try Self.colorPicturePNG(width: 32, height: 32))
        try await app.test(.router) { client in
            try await client.lineArt(Self.body(image: png)) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

extension TestClientProtocol {
    /// POSTs `body` as JSON to `/api/lineart`.
    func lineArt<Return>(_ body: String, _ check: @escaping (TestResponse) async throws -> Return) async throws -> Return {
        try await execute(
            uri: "/api/lineart", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: body), testCallback: check)
    }
}
