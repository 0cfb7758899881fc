import Foundation

/// A CIE L\*a\*b\* colour relative to the D65 white point.
///
/// `l` runs 0 (black) to 100 (white); `a` (green–red) and `b` (blue–yellow) are roughly
/// −128...127 for colours sRGB can show.
public struct LabColor: Sendable, Equatable {
    /// Lightness L\*, 0...100.
    public var l: Float
    /// Green (−) to red (+) axis a\*.
    public var a: Float
    /// Blue (−) to yellow (+) axis b\*.
    public var b: Float

    /// Creates a colour from its three coordinates.
    public init(l: Float, a: Float, b: Float) {
        self.l = l
        self.a = a
        self.b = b
    }
}

extension LabColor {
    /// Converts gamma-encoded sRGB (each channel 0...1) to L\*a\*b\*.
    public static func rgbToLab(_ red: Float, _ green: Float, _ blue: Float) -> LabColor {
        let r = SRGB.linear(red)
        let g = SRGB.linear(green)
        let b = SRGB.linear(blue)
        return fromLinearRGB(r, g, b)
    }

    /// Converts L\*a\*b\* to gamma-encoded sRGB. Channels are not clamped: colours outside
    /// the sRGB gamut come back below 0 or above 1.
    public static func labToRGB(_ lab: LabColor) -> (red: Float, green: Float, blue: Float) {
        let (r, g, b) = toLinearRGB(lab)
        return (SRGB.encoded(r), SRGB.encoded(g), SRGB.encoded(b))
    }

    /// Converts interleaved sRGB triples (0...1) to interleaved L\*a\*b\* triples.
    public static func rgbToLab(_ rgb: [Float]) -> [Float] {
        precondition(rgb.count % 3 == 0, "interleaved RGB needs a multiple of 3 values, got \(rgb.count)")
        var lab = [Float](repeating: 0, count: rgb.count)
        for index in stride(from: 0, to: rgb.count, by: 3) {
            let color = rgbToLab(rgb[index], rgb[index + 1], rgb[index + 2])
            lab[index] = color.l
            lab[index + 1] = color.a
            lab[index + 2] = color.b
        }
        return lab
    }

    /// Converts interleaved L\*a\*b\* triples to interleaved sRGB triples (unclamped).
    public static func labToRGB(_ lab: [Float]) -> [Float] {
        precondition(lab.count % 3 == 0, "interleaved Lab needs a multiple of 3 values, got \(lab.count)")
        var rgb = [Float](repeating: 0, count: lab.count)
        for index in stride(from: 0, to: lab.count, by: 3) {
            let color = labToRGB(LabColor(l: lab[index], a: lab[index + 1], b: lab[index + 2]))
            rgb[index] = color.red
            rgb[index + 1] = color.green
            rgb[index + 2] = color.blue
        }
        return rgb
    }

    /// L\*a\*b\* from linear-light sRGB (what a lookup table of linearised bytes yields).
    static func fromLinearRGB(_ r: Float, _ g: Float, _ b: Float) -> LabColor {
        let m = SRGB.toXYZ
        let x = (m[0] * r + m[1] * g + m[2] * b) / SRGB.white.x
        let y = (m[3] * r + m[4] * g + m[5] * b) / SRGB.white.y
        let z = (m[6] * r + m[7] * g + m[8] * b) / SRGB.white.z
        let fx = CIELab.f(x)
        let fy = CIELab.f(y)
        let fz = CIELab.f(z)
        return LabColor(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    /// L\* of linear-light sRGB: `fromLinearRGB(r, g, b).l`, without a\* and b\*.
    static func lightness(ofLinearRGB r: Float, _ g: Float, _ b: Float) -> Float {
        let m = SRGB.toXYZ
        return 116 * CIELab.f((m[3] * r + m[4] * g + m[5] * b) / SRGB.white.y) - 16
    }

    /// Linear-light sRGB from L\*a\*b\*, unclamped.
    static func toLinearRGB(_ lab: LabColor) -> (Float, Float, Float) {
        let fy = (lab.l + 16) / 116
        let x = CIELab.fInverse(fy + lab.a / 500) * SRGB.white.x
        let y = CIELab.fInverse(fy) * SRGB.white.y
        let z = CIELab.fInverse(fy - lab.b / 200) * SRGB.white.z
        let m = SRGB.fromXYZ
        return (
            m[0] * x + m[1] * y + m[2] * z,
            m[3] * x + m[4] * y + m[5] * z,
            m[6] * x + m[7] * y + m[8] * z
        )
    }
}

/// The sRGB transfer curve and primaries (IEC 61966-2-1).
enum SRGB {
    /// Linear sRGB → CIE XYZ (D65), row-major.
    static let toXYZ: [Float] = [
        0.4124564, 0.3575761, 0.1804375,
        0.2126729, 0.7151522, 0.0721750,
        0.0193339, 0.1191920, 0.9503041
    ]
    /// CIE XYZ (D65) → linear sRGB, the inverse of `toXYZ`.
    static let fromXYZ: [Float] = [
        3.2404542, -1.5371385, -0.4985314,
        -0.9692660, 1.8760108, 0.0415560,
        0.0556434, -0.2040259, 1.0572252
    ]
    /// D65 white as the matrix maps sRGB white (row sums), so white lands on a* = b* = 0.
    static let white = (
        x: toXYZ[0] + toXYZ[1] + toXYZ[2],
        y: toXYZ[3] + toXYZ[4] + toXYZ[5],
        z: toXYZ[6] + toXYZ[7] + toXYZ[8]
    )

    /// Gamma-encoded (0...1) → linear light.
    static func linear(_ value: Float) -> Float {
        value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
    }

    /// Linear light → gamma-encoded; negative inputs stay linear so out-of-gamut values survive.
    static func encoded(_ value: Float) -> Float {
        value <= 0.0031308 ? value * 12.92 : 1.055 * pow(value, 1 / 2.4) - 0.055
    }

    /// Linear light for each 8-bit code value.
    static let linearTable: [Float] = (0..<256).map { linear(Float($0) / 255) }
}

/// The CIE 1976 L\*a\*b\* companding function and its inverse.
enum CIELab {
    private static let epsilon: Float = 216.0 / 24389.0  // (6/29)^3
    private static let kappaSlope: Float = 841.0 / 108.0  // 1 / (3 (6/29)^2)
    private static let delta: Float = 6.0 / 29.0

    static func f(_ t: Float) -> Float {
        t > epsilon ? cbrt(t) : kappaSlope * t + 4.0 / 29.0
    }

    static func fInverse(_ t: Float) -> Float {
        t > delta ? t * t * t : (t - 4.0 / 29.0) / kappaSlope
    }
}
