import Foundation
import Hummingbird
import HummingbirdTesting
import ImageCodecs
import Testing

@testable import Server

@Suite("Layered and transparent exports over the API")
struct ColorizeExportRouteTests {
    static func body(format: String, mode: String = "lineart", model: String? = nil) throws -> String {
        let image = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 60, height: 44))
        let hints = ##"[{"x":30,"y":20,"color":"#ff8800"}]"##
        let plain = ModelFixtures.body(image: image, mode: mode, hints: hints, model: model)
        return String(plain.dropLast()) + #","format":"\#(format)"}"#
    }

    @Test("\"format\": \"ora\" answers an OpenRaster file: a zip whose first entry is the stored mimetype")
    func openRaster() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.colorize(try Self.body(format: "ora")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/openraster")
                let bytes = Array(response.body.readableBytesView)
                #expect(Array(bytes[0..<4]) == [0x50, 0x4B, 0x03, 0x04])
                #expect(String(decoding: bytes[30..<54], as: UTF8.self) == "mimetypeimage/openraster")
                #expect(String(decoding: bytes, as: UTF8.self).contains("stack.xml"))
            }
        }
    }

    @Test("\"format\": \"png-transparent\" clears the paper; over white it is the opaque answer")
    func transparent() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            let opaque = try await client.colorize(try Self.body(format: "png")) { response in
                try ImageDecoder.decode(Array(response.body.readableBytesView))
            }
            try await client.colorize(try Self.body(format: "png-transparent")) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                let decoded = try ImageDecoder.decodeWithInfo(Array(response.body.readableBytesView))
                #expect(decoded.hadAlpha)
                let worst = zip(decoded.image.pixels, opaque.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
                #expect(worst <= 2, "over white the transparent picture differs by \(worst) levels")
            }
        }
    }

    @Test(
        "A format that cannot be given is refused naming the field",
        arguments: [("tiff", "lineart", nil), ("png-transparent", "photo", nil), ("png-transparent", "lineart", "tiny-lineart-legacy")]
            as [(String, String, String?)]
    )
    func refused(format: String, mode: String, model: String?) async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.colorize(try Self.body(format: format, mode: mode, model: model)) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("format:"), "\(message)")
            }
        }
    }
}
