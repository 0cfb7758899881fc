import Tensors

/// A scalar loss and its gradient with respect to the prediction (mean reduction throughout,
/// as PyTorch's defaults). `gradient` has the prediction's shape.
public struct LossValue {
    public let value: Float
    public let gradient: Tensor
}

/// Pointwise losses between a prediction and a target; all mean-reduced.
public enum Loss {
    /// `BCEWithLogitsLoss` against a constant target (1 = real, 0 = fake).
    /// loss = mean(max(x,0) − x·t + log(1 + e^−|x|)); d/dx = (σ(x) − t)/M.
    public static func bceWithLogits(_ x: Tensor, target t: Float, gradient: Tensor? = nil) -> LossValue {
        pointwise(x, gradient: gradient) { x in
            let xd = Double(x)
            let value = max(xd, 0) - xd * Double(t) + _log1p(_exp(-abs(xd)))
            let sig = 1 / (1 + _exp(-xd))
            return (value, Float(sig) - t)
        }
    }

    /// `MSELoss` against a constant target (LSGAN). loss = mean((x − t)²).
    public static func mse(_ x: Tensor, target t: Float, gradient: Tensor? = nil) -> LossValue {
        pointwise(x, gradient: gradient) { x in
            let diff = x - t
            return (Double(diff) * Double(diff), 2 * diff)
        }
    }

    /// Hinge loss for the discriminator on real samples: mean(relu(1 − x)).
    public static func hingeReal(_ x: Tensor, gradient: Tensor? = nil) -> LossValue {
        pointwise(x, gradient: gradient) { x in 1 - x > 0 ? (Double(1 - x), -1) : (0, 0) }
    }

    /// Hinge loss for the discriminator on fake samples: mean(relu(1 + x)).
    public static func hingeFake(_ x: Tensor, gradient: Tensor? = nil) -> LossValue {
        pointwise(x, gradient: gradient) { x in 1 + x > 0 ? (Double(1 + x), 1) : (0, 0) }
    }

    /// Hinge loss for the generator: −mean(x).
    public static func hingeGenerator(_ x: Tensor, gradient: Tensor? = nil) -> LossValue {
        pointwise(x, gradient: gradient) { x in (-Double(x), -1) }
    }

    /// `L1Loss`: mean|x − y|; d/dx = sign(x − y)/M (0 where equal, as PyTorch).
    public static func l1(_ x: Tensor, _ y: Tensor, gradient: Tensor? = nil) -> LossValue {
        precondition(x.shape == y.shape, "L1 loss: shapes \(x.shape) and \(y.shape) differ")
        let g = Tensor.reuse(gradient, shape: x.shape)
        let m = Float(x.count)
        var total = 0.0
        for i in 0..<x.count {
            let diff = x.data[i] - y.data[i]
            total += Double(abs(diff))
            g.data[i] = diff > 0 ? 1 / m : (diff < 0 ? -1 / m : 0)
        }
        return LossValue(value: Float(total / Double(x.count)), gradient: g)
    }

    /// Applies `f(x) -> (loss term, d term/dx)` to every element and mean-reduces.
    @inline(__always)
    static func pointwise(_ x: Tensor, gradient: Tensor?, _ f: (Float) -> (Double, Float)) -> LossValue {
        let g = Tensor.reuse(gradient, shape: x.shape)
        let m = Float(x.count)
        var total = 0.0
        for i in 0..<x.count {
            let (value, slope) = f(x.data[i])
            total += value
            g.data[i] = slope / m
        }
        return LossValue(value: Float(total / Double(x.count)), gradient: g)
    }
}
