import Foundation
import Tensors

/// Seeded mutations of valid JSON messages, for fuzzing the decoders inside `swift test`:
/// byte-level damage (flips, insertions of JSON punctuation and awkward literals, deletions,
/// duplications, splices with another seed) and structural edits (a value replaced by one of
/// another type or an extreme one, a key removed or added). Deterministic for a given seed.
struct JSONMutator {
    private var rng: SeededGenerator
    let seeds: [[UInt8]]

    init(seed: UInt64, seeds: [String]) {
        rng = SeededGenerator(seed: seed)
        self.seeds = seeds.map { Array($0.utf8) }
    }

    /// Fragments that make decoders work hardest.
    static let awkward: [String] = [
        "{", "}", "[", "]", "\"", ",", ":", "\\", "null", "true", "-0", "1e400", "-1e400", "1.5", "0x10",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "\"\\u0000\"", "\"\\ud800\"",
        "\"\\uZZZZ\"", "NaN", "Infinity", "\u{FEFF}", "\u{0}", "é", "\u{1F3A8}", "[[[[[[[[", "{\"a\":"
    ]

    /// Values a structural edit may put in place of another.
    static var replacements: [Any] {
        [
            NSNull(), true, 0, -1, Int.max, Int.min, 1.5, 1e300, "", "x", String(repeating: "y", count: 5000),
            "#zzzzzz", "../../etc/passwd", [Any](), [1, 2, 3], ["x": 1], [["x": 1, "y": 1, "color": "#000000"]]
        ]
    }

    /// The next mutated message.
    mutating func next() -> [UInt8] {
        var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
        let edits = 1 + Int(rng.next() % 4)
        for _ in 0..<edits {
            bytes = rng.next() % 3 == 0 ? structural(bytes) : byteLevel(bytes)
        }
        return bytes
    }

    private mutating func index(in bytes: [UInt8]) -> Int { bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count)) }

    private mutating func byteLevel(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        switch rng.next() % 6 {
        case 0 where !bytes.isEmpty:
            bytes[index(in: bytes)] ^= UInt8(1 << (rng.next() % 8))
        case 1 where !bytes.isEmpty:
            bytes[index(in: bytes)] = UInt8(truncatingIfNeeded: rng.next())
        case 2:
            let fragment = Self.awkward[Int(rng.next() % UInt64(Self.awkward.count))]
            bytes.insert(contentsOf: Array(fragment.utf8), at: bytes.isEmpty ? 0 : index(in: bytes))
        case 3 where !bytes.isEmpty:
            let start = index(in: bytes)
            let length = min(bytes.count - start, 1 + Int(rng.next() % 16))
            bytes.removeSubrange(start..<(start + length))
        case 4 where !bytes.isEmpty:
            let start = index(in: bytes)
            let length = min(bytes.count - start, 1 + Int(rng.next() % 32))
            bytes.insert(contentsOf: bytes[start..<(start + length)], at: index(in: bytes))
        default:
            let other = seeds[Int(rng.next() % UInt64(seeds.count))]
            let cut = index(in: bytes)
            let from = index(in: other)
            bytes = Array(bytes[..<cut]) + Array(other[from...])
        }
        return bytes
    }

    private mutating func structural(_ input: [UInt8]) -> [UInt8] {
        guard var object = (try? JSONSerialization.jsonObject(with: Data(input))) as? [String: Any], !object.isEmpty else {
            return byteLevel(input)
        }
        let keys = object.keys.sorted()
        let key = keys[Int(rng.next() % UInt64(keys.count))]
        switch rng.next() % 4 {
        case 0: object[key] = nil
        case 1: object["unexpected\(rng.next() % 10)"] = Self.replacements[Int(rng.next() % UInt64(Self.replacements.count))]
        case 2 where object[key] is [Any]:
            // Edit inside an array (hints): replace one element's field or the element itself.
            var array = object[key] as! [Any]
            if !array.isEmpty {
                let i = Int(rng.next() % UInt64(array.count))
                if var element = array[i] as? [String: Any], let field = element.keys.sorted().first {
                    element[field] = Self.replacements[Int(rng.next() % UInt64(Self.replacements.count))]
                    array[i] = element
                } else {
                    array[i] = Self.replacements[Int(rng.next() % UInt64(Self.replacements.count))]
                }
            }
            object[key] = array
        default: object[key] = Self.replacements[Int(rng.next() % UInt64(Self.replacements.count))]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object) else { return input }
        return Array(data)
    }
}
