import Foundation

extension LabColor {
    /// The CIEDE2000 colour difference ΔE₀₀ between two colours (kL = kC = kH = 1).
    ///
    /// Follows Sharma, Wu & Dalal, "The CIEDE2000 Color-Difference Formula: Implementation
    /// Notes, Supplementary Test Data, and Mathematical Observations" (2005), including its
    /// conventions for hue when a chroma is zero. Computed in Double; symmetric in its inputs.
    /// Around 1 is a just-noticeable difference.
    public static func deltaE2000(_ first: LabColor, _ second: LabColor) -> Float {
        Float(
            CIEDE2000.difference(
                (Double(first.l), Double(first.a), Double(first.b)),
                (Double(second.l), Double(second.a), Double(second.b))))
    }

    /// ΔE₀₀ from this colour to `other`.
    public func deltaE2000(to other: LabColor) -> Float {
        LabColor.deltaE2000(self, other)
    }
}

/// The CIEDE2000 arithmetic, step numbers as in Sharma et al. (2005), eqs. (2)–(22).
enum CIEDE2000 {
    static func difference(_ lab1: (Double, Double, Double), _ lab2: (Double, Double, Double)) -> Double {
        let (l1, a1, b1) = lab1
        let (l2, a2, b2) = lab2
        let pow25To7 = 6_103_515_625.0  // 25^7

        // (2)–(7): rescale a* so near-neutral colours get a fairer hue.
        let chromaMean = (hypot(a1, b1) + hypot(a2, b2)) / 2
        let chromaMean7 = pow(chromaMean, 7)
        let g = 0.5 * (1 - (chromaMean7 / (chromaMean7 + pow25To7)).squareRoot())
        let a1p = (1 + g) * a1
        let a2p = (1 + g) * a2
        let c1p = hypot(a1p, b1)
        let c2p = hypot(a2p, b2)
        let h1p = hueDegrees(b1, a1p)
        let h2p = hueDegrees(b2, a2p)

        // Whether the hues lie more than 180° apart, so differences and means must wrap.
        let neutral = c1p * c2p == 0
        let wraps = !neutral && huesWrap(h1p, h2p, cross: a1p * b2 - b1 * a2p)

        // (8)–(10): differences in lightness, chroma and hue.
        let deltaLp = l2 - l1
        let deltaCp = c2p - c1p
        var deltahp = neutral ? 0 : h2p - h1p
        if wraps { deltahp += h2p > h1p ? -360 : 360 }
        let deltaHp = 2 * (c1p * c2p).squareRoot() * sin(radians(deltahp / 2))

        // (11)–(22): weighting functions and the rotation term.
        let lMean = (l1 + l2) / 2
        let cMean = (c1p + c2p) / 2
        var hMean = h1p + h2p
        if !neutral {
            if !wraps {
                hMean /= 2
            } else if h1p + h2p < 360 {
                hMean = (hMean + 360) / 2
            } else {
                hMean = (hMean - 360) / 2
            }
        }
        let t =
            1 - 0.17 * cos(radians(hMean - 30)) + 0.24 * cos(radians(2 * hMean))
            + 0.32 * cos(radians(3 * hMean + 6)) - 0.20 * cos(radians(4 * hMean - 63))
        let deltaTheta = 30 * exp(-pow((hMean - 275) / 25, 2))
        let cMean7 = pow(cMean, 7)
        let rC = 2 * (cMean7 / (cMean7 + pow25To7)).squareRoot()
        let lOffset2 = (lMean - 50) * (lMean - 50)
        let sL = 1 + 0.015 * lOffset2 / (20 + lOffset2).squareRoot()
        let sC = 1 + 0.045 * cMean
        let sH = 1 + 0.015 * cMean * t
        let rT = -sin(radians(2 * deltaTheta)) * rC

        let lightness = deltaLp / sL
        let chroma = deltaCp / sC
        let hue = deltaHp / sH
        return (lightness * lightness + chroma * chroma + hue * hue + rT * chroma * hue).squareRoot()
    }

    /// `|h1 − h2| > 180°`, decided exactly when the hues are opposite.
    ///
    /// Exactly opposite hues (Sharma's pairs 9–14 probe this) must take the `≤ 180°` branch,
    /// but degrees computed separately by atan2 can land a rounding error either side of
    /// 180. Near that boundary the sign of the cross product a′₁b₂ − b₁a′₂ decides instead:
    /// it is exactly zero for opposite hues and negative when the larger hue is more than
    /// 180° past the smaller one, counter-clockwise.
    private static func huesWrap(_ h1: Double, _ h2: Double, cross: Double) -> Bool {
        let separation = abs(h1 - h2)
        guard abs(separation - 180) < 1e-6 else { return separation > 180 }
        return h1 <= h2 ? cross < 0 : cross > 0
    }

    /// Hue angle in degrees, 0..<360, and 0 for a neutral colour (eq. 7).
    private static func hueDegrees(_ b: Double, _ aPrime: Double) -> Double {
        if b == 0 && aPrime == 0 { return 0 }
        let degrees = atan2(b, aPrime) * 180 / .pi
        return degrees < 0 ? degrees + 360 : degrees
    }

    private static func radians(_ degrees: Double) -> Double { degrees * .pi / 180 }
}
