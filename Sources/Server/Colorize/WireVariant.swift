import Pix2Pix

/// A variant as it travels on the wire: `{"seed": N}`, N an integer from 0 to
/// `WireVariant.maximumSeed` (exact in JavaScript's numbers, so the editor and a project file
/// can keep it). The same seed gives the same colouring bit for bit (`ColorVariant`).
struct WireVariant: Codable, Sendable, Equatable {
    var seed: Int

    /// The largest seed: 2⁵³ − 1, the largest integer a JavaScript number holds exactly.
    static let maximumSeed = (1 << 53) - 1

    /// The validated variant, or a 400 naming `field`.
    func validated(field: String = "variant") throws(APIError) -> ColorVariant {
        guard (0...Self.maximumSeed).contains(seed) else {
            throw .badField("\(field).seed", "must be an integer from 0 to \(Self.maximumSeed)")
        }
        return ColorVariant(seed: UInt64(seed))
    }
}
