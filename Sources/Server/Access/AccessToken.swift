/// The shared secret that guards a server reachable from other machines.
///
/// Clients present it as `Authorization: Bearer <token>`, as a `token` query parameter, or
/// through the cookie a browser receives after opening `/?token=<token>`. Its text never
/// appears in `description`, so logging a configuration does not leak it.
public struct AccessToken: Sendable, Equatable, CustomStringConvertible {
    /// Fewest characters accepted: 16 hex digits or more is out of reach of online guessing.
    public static let minimumLength = 16
    /// Most characters accepted (it travels in a header, a cookie and a URL).
    public static let maximumLength = 256

    private let bytes: [UInt8]

    /// Accepts `text` when it is 16–256 of `A–Z a–z 0–9 - _ . ~` (characters that need no
    /// escaping in a URL or a cookie, so every way of presenting it carries the same bytes).
    /// - Throws: `ServerError.unusableToken` saying what is wrong.
    public init(_ text: String) throws(ServerError) {
        guard (Self.minimumLength...Self.maximumLength).contains(text.utf8.count) else {
            throw .unusableToken("it is \(text.utf8.count) characters long; use \(Self.minimumLength) to \(Self.maximumLength)")
        }
        guard text.utf8.allSatisfy(Self.isAllowed) else {
            throw .unusableToken("use only letters, digits and - _ . ~")
        }
        bytes = Array(text.utf8)
    }

    /// Whether `candidate` is this token. The comparison takes the same time whatever the
    /// candidate holds (it depends only on the token's length), so response times do not
    /// reveal how many leading characters were right.
    public func matches(_ candidate: some StringProtocol) -> Bool {
        Self.constantTimeEquals(Array(candidate.utf8), bytes)
    }

    public var description: String { "AccessToken(\(bytes.count) characters, redacted)" }

    /// Compares every byte of `secret` whatever `candidate` is, folding all differences
    /// (length included) into one value that is tested once at the end.
    static func constantTimeEquals(_ candidate: [UInt8], _ secret: [UInt8]) -> Bool {
        var difference = UInt(bitPattern: candidate.count ^ secret.count)
        for i in secret.indices {
            let presented = i < candidate.count ? candidate[i] : 0
            difference |= UInt(presented ^ secret[i])
        }
        return difference == 0
    }

    private static func isAllowed(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            || c == 0x2D || c == 0x5F || c == 0x2E || c == 0x7E
    }
}
