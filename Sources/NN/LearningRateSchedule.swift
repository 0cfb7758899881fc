/// pix2pix's `linear` policy: the base rate for `constantSteps`, then a linear decay to zero
/// over `decaySteps` (the paper counts epochs; Tinct counts whatever unit the caller uses).
/// Matches PyTorch's `LambdaLR` with λ(e) = 1 − max(0, e + 1 − n_constant)/(n_decay + 1).
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    public var baseRate: Float
    public var constantSteps: Int
    public var decaySteps: Int

    public init(baseRate: Float, constantSteps: Int, decaySteps: Int) {
        precondition(constantSteps >= 0 && decaySteps >= 0, "LearningRateSchedule: negative length")
        (self.baseRate, self.constantSteps, self.decaySteps) = (baseRate, constantSteps, decaySteps)
    }

    /// The learning rate used during step (or epoch) `index`, counting from 0.
    public func rate(at index: Int) -> Float {
        let factor = 1 - Float(max(0, index + 1 - constantSteps)) / Float(decaySteps + 1)
        return baseRate * max(factor, 0)
    }
}
