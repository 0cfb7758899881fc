import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImageCodecs
import Pix2Pix

@testable import Server

/// A models folder with real (untrained) tiny generators, written once per test run:
/// `tiny-lineart` (9→3 channels: lines, hints and the dense hint fill), `tiny-lineart-legacy` (5→3, a model from before the fill) and `tiny-photo` (4→2), both ngf 4, 5 downsamplings, 64×64,
/// plus a folder that is not a model and one whose name is not a valid model name.
enum ModelFixtures {
    static let directory: String = {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("tinct-server-models-\(ProcessInfo.processInfo.processIdentifier)").path
        try? FileManager.default.removeItem(atPath: root)
        do {
            let lineart = UNetGenerator(GeneratorConfig(inputChannels: 9, outputChannels: 3, ngf: 4, downsamplings: 5))
            try GeneratorModel(mode: .lineart, generator: lineart, resolution: 64).save(folder: "\(root)/tiny-lineart")
            let legacy = UNetGenerator(GeneratorConfig(inputChannels: 5, outputChannels: 3, ngf: 4, downsamplings: 5))
            try GeneratorModel(mode: .lineart, generator: legacy, resolution: 64).save(folder: "\(root)/tiny-lineart-legacy")
            let photo = UNetGenerator(GeneratorConfig(inputChannels: 6, outputChannels: 2, ngf: 4, downsamplings: 5))
            try GeneratorModel(mode: .photo, generator: photo, resolution: 64).save(folder: "\(root)/tiny-photo")
            try FileManager.default.createDirectory(atPath: "\(root)/notes", withIntermediateDirectories: true)
            try Data("not a model".utf8).write(to: URL(fileURLWithPath: "\(root)/notes/generator.safetensors"))
            try FileManager.default.createDirectory(atPath: "\(root)/bad name", withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: "\(root)/tiny-lineart/generator.safetensors", toPath: "\(root)/bad name/generator.safetensors")
        } catch {
            fatalError("could not write the test models: \(error)")
        }
        return root
    }()

    /// The server configuration used by the colorization tests.
    static func configuration(limits: ColorizeLimits = .init()) -> ServerConfiguration {
        var configuration = TestConfiguration.server()
        configuration.modelsDirectory = directory
        configuration.limits = limits
        return configuration
    }

    /// A white picture with a black diagonal line and a box, as PNG.
    static func drawingPNG(width: Int, height: Int) throws -> [UInt8] {
        var image = RGBImage(width: width, height: height)
        image.withMutablePixels { p in
            for i in 0..<min(width, height) {
                for c in 0..<3 { p[3 * (i * width + i) + c] = 0 }
            }
            for x in (width / 4)..<(3 * width / 4) {
                for c in 0..<3 {
                    p[3 * ((height / 4) * width + x) + c] = 0
                    p[3 * ((3 * height / 4) * width + x) + c] = 0
                }
            }
        }
        return try PNGEncoder.encode(image)
    }

    /// A JSON body for `POST /api/colorize`.
    static func body(
        image: String, mode: String = "lineart", hints: String = "[]", model: String? = nil
    ) -> String {
        let modelField = model.map { #","model":"\#($0)""# } ?? ""
        return #"{"image":"\#(image)","mode":"\#(mode)","hints":\#(hints)\#(modelField)}"#
    }

    /// Base64 of `bytes`.
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

extension TestClientProtocol {
    /// POSTs `body` as JSON to `/api/colorize`.
    func colorize<Return>(_ body: String, _ check: @escaping (TestResponse) async throws -> Return) async throws -> Return {
        try await execute(
            uri: "/api/colorize", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: body), testCallback: check)
    }
}

/// The `error` field of a JSON error answer.
func errorMessage(_ response: TestResponse) throws -> String {
    let object = try JSONDecoder().decode([String: String].self, from: Data(String(buffer: response.body).utf8))
    return object["error"] ?? ""
}
