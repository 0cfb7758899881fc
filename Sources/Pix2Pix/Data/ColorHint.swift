/// One user colour hint: a disc of `radius` pixels centred on (`x`, `y`) that should come
/// out in the given sRGB colour. Coordinates are in the pixel space of the image the hint
/// was placed on; `HintRasterizer` scales them to the model's resolution.
public struct ColorHint: Codable, Sendable, Equatable {
    /// Column of the centre.
    public var x: Int
    /// Row of the centre.
    public var y: Int
    /// Red, 0...255.
    public var red: UInt8
    /// Green, 0...255.
    public var green: UInt8
    /// Blue, 0...255.
    public var blue: UInt8
    /// Disc radius in pixels (0 is a single pixel).
    public var radius: Int

    /// Creates a hint.
    public init(x: Int, y: Int, red: UInt8, green: UInt8, blue: UInt8, radius: Int) {
        self.x = x
        self.y = y
        self.red = red
        self.green = green
        self.blue = blue
        self.radius = radius
    }

    /// Creates a hint with a colour given as `#rrggbb`; nil when `hex` is not exactly that.
    public init?(x: Int, y: Int, hex: String, radius: Int) {
        guard let color = Self.parseHex(hex) else { return nil }
        self.init(x: x, y: y, red: color.red, green: color.green, blue: color.blue, radius: radius)
    }

    /// The colour as lowercase `#rrggbb`.
    public var hex: String {
        "#"
            + [red, green, blue].map { byte in
                let digits = String(byte, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }.joined()
    }

    /// Parses `#rrggbb` (hex digits in either case, the `#` required, nothing else allowed).
    public static func parseHex(_ hex: String) -> (red: UInt8, green: UInt8, blue: UInt8)? {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 7, utf8[0] == UInt8(ascii: "#") else { return nil }
        var bytes: [UInt8] = []
        for pair in stride(from: 1, to: 7, by: 2) {
            guard let high = hexDigit(utf8[pair]), let low = hexDigit(utf8[pair + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return (bytes[0], bytes[1], bytes[2])
    }

    private static func hexDigit(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
