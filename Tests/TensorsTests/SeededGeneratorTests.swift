import Foundation
import Tensors
import Testing

/// The generator is xoshiro256** as its authors define it, and its state survives a checkpoint's
/// JSON as the array of four words it always was.
@Suite("Seeded generator")
struct SeededGeneratorTests {
    @Test("draws of xoshiro256** from the state 1, 2, 3, 4, and the state after them")
    func referenceDraws() {
        var generator = SeededGenerator(seed: 0)
        generator.state = [1, 2, 3, 4]
        let draws = (0..<4).map { _ in generator.next() }
        #expect(draws == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
        #expect(
            generator.state == [
                9_223_547_959_118_136_069, 211_140_995_579_911, 9_223_372_071_617_429_504, 27_285_480_756_215_808
            ])
    }

    @Test("encoded as {\"state\": [four words]}; decoded, it draws on where it stood")
    func codableState() throws {
        var generator = SeededGenerator(seed: 42)
        _ = generator.next()
        let json = try JSONEncoder().encode(generator)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: [UInt64]])
        #expect(object == ["state": generator.state])
        var restored = try JSONDecoder().decode(SeededGenerator.self, from: json)
        #expect(restored == generator)
        #expect(restored.next() == generator.next())
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(SeededGenerator.self, from: Data(#"{"state": [1, 2, 3]}"#.utf8))
        }
    }
}
