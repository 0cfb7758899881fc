import NN
import Tensors

/// Losses of one training step, named as in the pix2pix paper and code.
public struct StepLosses: Codable, Sendable, Equatable {
    /// Discriminator loss on generated pairs (A, G(A)).
    public var lossDFake: Float
    /// Discriminator loss on real pairs (A, B).
    public var lossDReal: Float
    /// Generator adversarial loss.
    public var lossGGAN: Float
    /// Mean absolute error |G(A) − B| (before λ_L1).
    public var lossGL1: Float
    /// Feature-matching loss (after λ_FM); 0 when off.
    public var lossGFeature: Float

    /// The total generator objective: GAN + λ_L1·L1 + FM.
    public func lossG(lambdaL1: Float) -> Float { lossGGAN + lambdaL1 * lossGL1 + lossGFeature }
    /// The discriminator objective: ½(fake + real).
    public var lossD: Float { 0.5 * (lossDFake + lossDReal) }
}

/// A generator, its discriminator and their optimizers: one conditional GAN
/// (pix2pix / pix2pixHD) with a training step that reads like the paper.
public final class Pix2PixModel {
    public let config: ModelConfig
    public let generator: UNetGenerator
    public let discriminator: MultiscaleDiscriminator
    public let optimizerG: Adam
    public let optimizerD: Adam

    // Reused buffers: discriminator inputs, real features for feature matching, gradients.
    /// G(A) of the latest training step (the generator's output buffer).
    public private(set) var fakeB: Tensor?

    private var pairFake: Tensor?, pairReal: Tensor?
    private var realFeatureCopies: [[Tensor]] = []
    private var gradFake: Tensor?
    private var lossGradients: [Tensor?] = [nil, nil, nil]

    /// Builds fresh networks initialized with pix2pix's scheme from `seed`.
    public init(_ config: ModelConfig, seed: UInt64 = 0) {
        self.config = config
        var rng = SeededGenerator(seed: seed)
        generator = UNetGenerator(config.generator)
        discriminator = MultiscaleDiscriminator(config.discriminator, rng: &rng)
        Pix2PixInitialization.apply(to: generator, rng: &rng)
        Pix2PixInitialization.apply(to: discriminator, rng: &rng)
        var dropoutSeed = seed &+ 1
        generator.visit { _, module in
            if let dropout = module as? Dropout { dropout.rng = SeededGenerator(seed: dropoutSeed); dropoutSeed &+= 1 }
        }
        optimizerG = Adam(generator.namedParameters(), config.adam)
        optimizerD = Adam(discriminator.namedParameters(), config.adam)
    }

    /// Switches both networks between training and evaluation behaviour.
    public func setTraining(_ training: Bool) {
        generator.setTraining(training)
        discriminator.setTraining(training)
    }

    /// Sets the learning rate of both optimizers (the schedule is the caller's).
    public func setLearningRate(_ lr: Float) {
        optimizerG.hyper.lr = lr
        optimizerD.hyper.lr = lr
    }

    /// One optimization step on a batch, in pix2pix's order: G forward; D on (A, G(A)) and
    /// (A, B), D update; then D on (A, G(A)) again for G's adversarial loss, G update.
    /// Shapes: realA (N, in, S, S), realB (N, out, S, S).
    @discardableResult
    public func trainingStep(realA: Tensor, realB: Tensor) -> StepLosses {
        let gan = config.ganLoss
        let fakeB = generator.forward(realA)
        self.fakeB = fakeB
        precondition(realB.shape == fakeB.shape, "trainingStep: target shape \(realB.shape), generator output \(fakeB.shape)")
        let fakePair = pair(realA, fakeB, into: &pairFake)
        let realPair = pair(realA, realB, into: &pairReal)

        // Discriminator: maximize log D(A, B) + log(1 − D(A, G(A))).
        discriminator.zeroGrad()
        discriminator.setComputesParameterGradients(true)
        discriminator.computesInputGradient = false
        let lossDFake = backpropDiscriminator(on: fakePair, real: false, gan: gan)
        let lossDReal = backpropDiscriminator(on: realPair, real: true, gan: gan)
        optimizerD.update()

        // Generator: fool the updated D, stay close to B in L1, match D's features.
        generator.zeroGrad()
        discriminator.setComputesParameterGradients(false)
        discriminator.computesInputGradient = true
        let useFeatures = config.lambdaFeatureMatching > 0
        if useFeatures { keepRealFeatures(discriminator.forward(realPair)) }
        let outputs = discriminator.forward(fakePair)
        var lossGGAN: Float = 0, lossGFeature: Float = 0
        var dPredictions: [Tensor] = []
        var dFeatures: [[Tensor]] = []
        let featureWeight = config.lambdaFeatureMatching * 4 / Float(config.discriminator.nLayers + 1)
            / Float(config.discriminator.scales)
        for (k, output) in outputs.enumerated() {
            let loss = gan.generatorLoss(output.prediction, gradient: scratchGradient(k, output.prediction.shape))
            lossGGAN += loss.value
            dPredictions.append(loss.gradient)
            if useFeatures {
                let fm = FeatureMatching.loss(fake: output.features, real: realFeatureCopies[k], weight: featureWeight)
                lossGFeature += fm.value
                dFeatures.append(fm.gradients)
            }
        }
        let dPair = discriminator.backward(dPredictions, featureGradients: useFeatures ? dFeatures : nil)!
        discriminator.setComputesParameterGradients(true)

        let l1 = Loss.l1(fakeB, realB, gradient: gradFake)
        gradFake = l1.gradient
        let dFake = l1.gradient
        TensorMath.scale(dFake, by: config.lambdaL1, into: dFake)
        addGeneratedPart(of: dPair, inputChannels: realA.shape[1], into: dFake)
        _ = generator.backward(dFake)
        optimizerG.update()
        return StepLosses(lossDFake: lossDFake, lossDReal: lossDReal, lossGGAN: lossGGAN, lossGL1: l1.value, lossGFeature: lossGFeature)
    }

    /// D forward and backward for the D update, each scale's loss halved (loss_D = ½(fake + real)).
    private func backpropDiscriminator(on input: Tensor, real: Bool, gan: GANLoss) -> Float {
        let outputs = discriminator.forward(input)
        var total: Float = 0
        var grads: [Tensor] = []
        for (k, output) in outputs.enumerated() {
            let loss = gan.discriminatorLoss(output.prediction, real: real, gradient: scratchGradient(k, output.prediction.shape))
            total += loss.value
            TensorMath.scale(loss.gradient, by: 0.5, into: loss.gradient)
            grads.append(loss.gradient)
        }
        discriminator.backward(grads)
        return total
    }

    private func scratchGradient(_ k: Int, _ shape: [Int]) -> Tensor {
        let t = Tensor.reuse(lossGradients[k], shape: shape)
        lossGradients[k] = t
        return t
    }

    private func pair(_ a: Tensor, _ b: Tensor, into buffer: inout Tensor?) -> Tensor {
        let shape = [a.shape[0], a.shape[1] + b.shape[1], a.shape[2], a.shape[3]]
        let t = Tensor.reuse(buffer, shape: shape)
        buffer = t
        ChannelConcat.forward(a, b, into: t)
        return t
    }

    private func keepRealFeatures(_ outputs: [(prediction: Tensor, features: [Tensor])]) {
        if realFeatureCopies.count != outputs.count { realFeatureCopies = Array(repeating: [], count: outputs.count) }
        for (k, output) in outputs.enumerated() {
            if realFeatureCopies[k].map(\.shape) != output.features.map(\.shape) {
                realFeatureCopies[k] = output.features.map { Tensor(zeros: $0.shape) }
            }
            for (copy, feature) in zip(realFeatureCopies[k], output.features) { copy.assign(from: feature) }
        }
    }

    /// dFake += the channels of dPair after the first `inputChannels` (the G(A) half).
    private func addGeneratedPart(of dPair: Tensor, inputChannels: Int, into dFake: Tensor) {
        let d = NCHW(dFake, op: "addGeneratedPart")
        let pairChannels = dPair.shape[1]
        for n in 0..<d.n {
            let src = dPair.data + (n * pairChannels + inputChannels) * d.plane
            let dst = dFake.data + n * d.c * d.plane
            for i in 0..<(d.c * d.plane) { dst[i] += src[i] }
        }
    }
}
