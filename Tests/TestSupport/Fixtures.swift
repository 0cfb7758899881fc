import Foundation
import NN
import Tensors

/// Reads the PyTorch reference fixtures written by scripts/make_fixtures.py.
///
/// Naming convention (see the script): `in.*` inputs, `param.*` parameters, `buffer.*` /
/// `buffer_after.*` state before and after the forward, `out` the output, `grad_out` the
/// upstream gradient, `grad.in.*` / `grad.param.*` the resulting gradients.
public struct Fixture: Sendable {
    public let name: String
    public let file: SafetensorsFile

    public init(path: String) throws {
        name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        file = try SafetensorsFile(contentsOf: path)
    }

    public subscript(_ key: String) -> Tensor {
        do { return try file.tensor(key) } catch { fatalError("fixture \(name): \(error)") }
    }

    public func has(_ key: String) -> Bool { file.entries[key] != nil }

    public func meta(_ key: String) -> String {
        guard let value = file.metadata[key] else { fatalError("fixture \(name): no metadata '\(key)'") }
        return value
    }

    public func int(_ key: String) -> Int { Int(meta(key))! }
    public func float(_ key: String) -> Float { Float(meta(key))! }
    public func bool(_ key: String) -> Bool { meta(key) == "true" }

    /// Names of the tensors under a prefix, with the prefix removed.
    public func names(under prefix: String) -> [String] {
        file.names.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }
}

/// Locations of test fixtures, found from the test source file (no bundle needed).
public enum FixturePaths {
    /// The repository root, three levels above Tests/TestSupport/Fixtures.swift.
    public static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }()

    public static func path(_ relative: String) -> String { "\(repositoryRoot)/\(relative)" }

    /// All `.safetensors` files in a folder under the repository root, sorted.
    public static func files(in folder: String) -> [String] {
        let dir = path(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.filter { $0.hasSuffix(".safetensors") }.sorted().map { "\(dir)/\($0)" }
    }
}

/// Comparison of two tensors with an absolute plus relative tolerance.
public enum Compare {
    /// Nil when every |a − b| ≤ atol + rtol·|b|; otherwise a message naming the worst element.
    public static func mismatch(_ a: Tensor, _ b: Tensor, atol: Float = 1e-5, rtol: Float = 1e-4, what: String) -> String? {
        guard a.count == b.count else { return "\(what): shape \(a.shape) vs \(b.shape)" }
        var worst: (Int, Float) = (-1, 0)
        for i in 0..<a.count {
            let excess = abs(a.data[i] - b.data[i]) - (atol + rtol * abs(b.data[i]))
            if excess > worst.1 || !a.data[i].isFinite { worst = (i, excess.isFinite ? excess : .infinity) }
        }
        guard worst.0 >= 0 else { return nil }
        let i = worst.0
        return "\(what): element \(i) is \(a.data[i]), expected \(b.data[i]) (max abs diff \(TensorMath.maxAbsDifference(a, b)))"
    }
}

extension Tensor {
    /// A tensor of N(0, std²) samples from a seeded generator.
    public static func randomNormal(_ shape: [Int], std: Float = 1, seed: UInt64) -> Tensor {
        var rng = SeededGenerator(seed: seed)
        let t = Tensor(zeros: shape)
        for i in 0..<t.count { t.data[i] = std * rng.nextNormal() }
        return t
    }
}
