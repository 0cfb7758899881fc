import Foundation
import Tensors

/// How far weights after several optimizer steps are from reference weights, summarised so
/// that rounding in a few elements and a real error can be told apart.
public struct WeightDrift: CustomStringConvertible {
    /// Largest |value − expected| over the elements.
    public let maxAbsDifference: Float
    /// Share of elements with |value − expected| > atol + rtol·|expected|.
    public let shareOutsideTolerance: Double
    /// RMS(value − expected) / RMS(expected − start): the error relative to how far the
    /// reference moved from `start`.
    public let relativeDisplacementError: Double

    /// Cosine of the angle between the two displacements from `start`: 1 when the weights
    /// moved in the same direction, whatever the distance.
    public let displacementCosine: Double

    public init(_ value: Tensor, expected: Tensor, start: Tensor, atol: Float, rtol: Float) {
        precondition(value.count == expected.count && value.count == start.count, "WeightDrift: shapes differ")
        var maxDifference: Float = 0
        var outside = 0
        var errorSquares = 0.0
        var moveSquares = 0.0
        var ownSquares = 0.0
        var moveDot = 0.0
        for i in 0..<value.count {
            let difference = abs(value.data[i] - expected.data[i])
            maxDifference = difference.isFinite ? max(maxDifference, difference) : .infinity
            if !(difference <= atol + rtol * abs(expected.data[i])) { outside += 1 }
            errorSquares += Double(difference) * Double(difference)
            let move = Double(expected.data[i] - start.data[i])
            moveSquares += move * move
            let own = Double(value.data[i] - start.data[i])
            ownSquares += own * own
            moveDot += own * move
        }
        maxAbsDifference = maxDifference
        shareOutsideTolerance = Double(outside) / Double(max(value.count, 1))
        displacementCosine = moveSquares > 0 && ownSquares > 0 ? moveDot / (moveSquares * ownSquares).squareRoot() : 0
        relativeDisplacementError = moveSquares > 0 ? (errorSquares / moveSquares).squareRoot() : (errorSquares == 0 ? 0 : .infinity)
    }

    public var description: String {
        "max |diff| \(maxAbsDifference), \(shareOutsideTolerance * 100) % outside tolerance, "
            + "displacement error \(relativeDisplacementError * 100) %, cosine \(displacementCosine)"
    }
}

/// Upper bounds on Adam's steps, whatever the gradients (ε taken as 0, which only loosens them).
public enum AdamBound {
    /// Largest |m̂/√v̂| at step `t`: by Cauchy–Schwarz, with m = (1−β₁)Σβ₁^j g and
    /// v = (1−β₂)Σβ₂^j g², |m| ≤ (1−β₁)·√(Σ (β₁²/β₂)^j)·√(v/(1−β₂)); then the bias corrections.
    public static func maxStepRatio(step t: Int, beta1: Float, beta2: Float) -> Double {
        let (b1, b2) = (Double(beta1), Double(beta2))
        let series = (0..<t).reduce(0.0) { $0 + pow(b1 * b1 / b2, Double($1)) }
        let correction1 = 1 - pow(b1, Double(t))
        let correction2 = 1 - pow(b2, Double(t))
        return (1 - b1) / correction1 * (correction2 / (1 - b2)).squareRoot() * series.squareRoot()
    }

    /// The largest distance any one parameter can move in `steps` Adam steps.
    public static func maxDisplacement(steps: Int, lr: Float, beta1: Float, beta2: Float) -> Float {
        Float(Double(lr) * (1...steps).reduce(0.0) { $0 + maxStepRatio(step: $1, beta1: beta1, beta2: beta2) })
    }
}
