import Tensors

/// The few draw shapes data augmentation needs, all from `SeededGenerator` so a seed fixes
/// every extractor choice, hint count, position and colour.
extension SeededGenerator {
    /// Uniform in `range`.
    mutating func uniform(_ range: ClosedRange<Float>) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUniform()
    }

    /// Uniform integer in `range`.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// `true` with probability `probability`.
    mutating func chance(_ probability: Float) -> Bool {
        nextUniform() < probability
    }
}
