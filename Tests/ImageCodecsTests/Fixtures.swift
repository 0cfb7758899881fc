import Foundation
import ImageCodecs

/// Loads the files under Fixtures/ and the expectations make_fixtures.py wrote for them.
enum Fixtures {
    /// A fixture decoded successfully: its size and exact (PNG) or near (JPEG) RGB pixels.
    struct Decodable: Swift.Decodable, Sendable, CustomStringConvertible {
        var name: String
        var width: Int
        var height: Int
        var hasAlpha: Bool?
        var rgb: [UInt8]
        var description: String { name }
    }

    /// A fixture that must fail, and the error case it must fail with.
    struct Failing: Swift.Decodable, Sendable, CustomStringConvertible {
        var name: String
        var error: String
        var description: String { name }
    }

    struct Manifest: Swift.Decodable, Sendable {
        var png: [Decodable]
        var jpeg: [Decodable]
        var errors: [Failing]
    }

    static let directory: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static let manifest: Manifest = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("expected.json"))
        return try! JSONDecoder().decode(Manifest.self, from: data)
    }()

    static func bytes(_ name: String) -> [UInt8] {
        [UInt8](try! Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

extension RGBImage {
    /// A deterministic test picture with gradients in every channel.
    static func gradient(width: Int, height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += [
                    UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)),
                    UInt8((x + y) * 255 / max(width + height - 2, 1))
                ]
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}

/// Largest absolute difference between two equally long byte arrays.
func maxDifference(_ first: [UInt8], _ second: [UInt8]) -> Int {
    zip(first, second).map { abs(Int($0) - Int($1)) }.max() ?? 0
}
