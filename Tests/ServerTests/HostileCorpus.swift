import Foundation
import Tensors

/// The hostile image corpus of the codec tests (`Tests/ImageCodecsTests/Fixtures`: valid
/// pictures of every variant, truncated, corrupt, zero-sized, huge-header files), the fuzzing
/// regressions, and seeded damaged copies of each, for tests that push them through the server.
enum HostileCorpus {
    /// The codec tests' fixtures, and the inputs fuzzing found harmful (`Tests/Fuzz/regressions`).
    static let directories = ["Tests/ImageCodecsTests/Fixtures", "Tests/Fuzz/regressions"]
        .map { TestConfiguration.repositoryRoot.appendingPathComponent($0) }

    /// Every PNG and JPEG file of the corpus, by name.
    static func files() throws -> [(name: String, bytes: [UInt8])] {
        try directories.flatMap { directory in
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".png") || $0.hasSuffix(".jpg") }.sorted()
            return try names.map { ($0, [UInt8](try Data(contentsOf: directory.appendingPathComponent($0)))) }
        }
    }

    /// The corpus and, for each file, two truncations and three copies with a few bytes
    /// overwritten — always the same ones (seeded).
    static func filesAndDamagedCopies() throws -> [(name: String, bytes: [UInt8])] {
        var rng = SeededGenerator(seed: 0x7E57)
        var result: [(String, [UInt8])] = []
        for (name, bytes) in try files() {
            result.append((name, bytes))
            result.append(("\(name) cut at 1/3", Array(bytes.prefix(max(1, bytes.count / 3)))))
            result.append(("\(name) cut at 2/3", Array(bytes.prefix(max(1, 2 * bytes.count / 3)))))
            for copy in 0..<3 {
                var damaged = bytes
                for _ in 0..<(1 + copy * 3) {
                    let offset = Int(rng.next() % UInt64(damaged.count))
                    damaged[offset] = UInt8(truncatingIfNeeded: rng.next())
                }
                result.append(("\(name) damaged #\(copy)", damaged))
            }
        }
        return result
    }
}
