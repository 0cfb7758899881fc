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

    /// The batch of the current step (set by `forward`): input A, target B, and G(A).
    public private(set) var realA: Tensor?
    public private(set) var realB: Tensor?
    /// G(A) of the latest training step (the generator's output buffer).
    public private(set) var fakeB: Tensor?

    // Reused buffers: discriminator inputs (A stacked with G(A), and with B), real features
    // for feature matching, gradients.
    private var pairFake: Tensor?, pairReal: Tensor?
    private var realFeatureCopies: [[Tensor]] = []
    private var gradFake: Tensor?
    /// dLoss/dPrediction per discriminator scale.
    private var lossGradients: [Tensor?]

    /// Builds fresh networks initialized with pix2pix's scheme from `seed`.
    public init(_ config: ModelConfig, seed: UInt64 = 0) {
        self.config = config
        var rng = SeededGenerator(seed: seed)
        generator = UNetGenerator(config.generator)
        discriminator = MultiscaleDiscriminator(config.discriminator, rng: &rng)
        lossGradients = Array(repeating: nil, count: discriminator.discriminators.count)
        Pix2PixInitialization.apply(to: generator, rng: &rng)
        Pix2PixInitialization.apply(to: discriminator, rng: &rng)
        var dropoutSeed = seed &+ 1
        generator.visit { _, module in
            if let dropout = module as? Dropout {
                dropout.rng = SeededGenerator(seed: dropoutSeed)
                dropoutSeed &+= 1
            }
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

    /// One optimization step on a batch, as pix2pix's `optimize_parameters`: G forward; D on
    /// (A, G(A)) and (A, B), D update; then D on (A, G(A)) again for G's adversarial loss, G
    /// update. Shapes: realA (N, in, S, S), realB (N, out, S, S).
    @discardableResult
    public func trainingStep(realA: Tensor, realB: Tensor) -> StepLosses {
        forward(realA: realA, realB: realB)
        // Update D.
        Profiler.measure("zero gradients") { discriminator.zeroGrad() }
        let lossesD = backwardDiscriminator()
        Profiler.measure("Adam.update") { optimizerD.update() }
        // Update G.
        Profiler.measure("zero gradients") { generator.zeroGrad() }
        let lossesG = backwardGenerator()
        Profiler.measure("Adam.update") { optimizerG.update() }
        return StepLosses(
            lossDFake: lossesD.fake, lossDReal: lossesD.real, lossGGAN: lossesG.gan, lossGL1: lossesG.l1,
            lossGFeature: lossesG.feature)
    }

    /// fakeB = G(realA), and the discriminator's two inputs: A stacked with G(A), and with B.
    public func forward(realA: Tensor, realB: Tensor) {
        let fakeB = generator.forward(realA)
        precondition(realB.shape == fakeB.shape, "trainingStep: target shape \(realB.shape), generator output \(fakeB.shape)")
        (self.realA, self.realB, self.fakeB) = (realA, realB, fakeB)
        _ = pair(realA, fakeB, into: &pairFake)
        _ = pair(realA, realB, into: &pairReal)
    }

    /// The discriminator's half after `forward`: maximize log D(A, B) + log(1 − D(A, G(A))).
    /// Adds D's parameter gradients (the caller zeroes them first); returns loss_D_fake and
    /// loss_D_real (summed over scales).
    public func backwardDiscriminator() -> (fake: Float, real: Float) {
        guard let pairFake, let pairReal else { preconditionFailure("backwardDiscriminator before forward") }
        discriminator.setComputesParameterGradients(true)
        discriminator.computesInputGradient = false
        let lossDFake = backpropDiscriminator(on: pairFake, real: false, gan: config.ganLoss)
        let lossDReal = backpropDiscriminator(on: pairReal, real: true, gan: config.ganLoss)
        return (lossDFake, lossDReal)
    }

    /// The generator's half after `forward` (and, in a step, after D's update): fool D, stay
    /// close to B in L1, match D's features on (A, B). Adds G's parameter gradients (the caller
    /// zeroes them first); D's are left as they were. Returns loss_G_GAN (summed over scales),
    /// loss_G_L1 (before λ_L1) and the feature-matching loss (after its weights).
    public func backwardGenerator() -> (gan: Float, l1: Float, feature: Float) {
        guard let realA, let realB, let fakeB, let pairFake, let pairReal else {
            preconditionFailure("backwardGenerator before forward")
        }
        let gan = config.ganLoss
        discriminator.setComputesParameterGradients(false)
        discriminator.computesInputGradient = true
        discriminator.inputGradientStartChannel = realA.shape[1]
        let useFeatures = config.lambdaFeatureMatching > 0
        if useFeatures { keepRealFeatures(discriminator.forward(pairReal)) }
        let outputs = discriminator.forward(pairFake)
        var lossGGAN: Float = 0
        var lossGFeature: Float = 0
        var dPredictions: [Tensor] = []
        var dFeatures: [[Tensor]] = []
        for (k, output) in outputs.enumerated() {
            let loss = gan.generatorLoss(output.prediction, gradient: scratchGradient(k, output.prediction.shape))
            lossGGAN += loss.value
            dPredictions.append(loss.gradient)
            if useFeatures {
                let fm = FeatureMatching.loss(fake: output.features, real: realFeatureCopies[k], weight: featureMatchingWeight)
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
        TensorMath.accumulate(dPair, into: dFake)
        _ = generator.backward(dFake)
        return (lossGGAN, l1.value, lossGFeature)
    }

    /// The weight of each feature's L1 in feature matching: pix2pixHD's
    /// λ_FM · 4/(n_layers_D + 1) · 1/num_D (`feat_weights`, `D_weights` in its
    /// `pix2pixHD_model.py`). Each scale has n_layers_D + 1 features (the first LeakyReLU and
    /// one per stage), so the terms are averaged over a scale's layers and over the scales:
    /// λ_FM keeps its meaning whatever D's depth and number of scales. The 4 is pix2pixHD's
    /// constant; with its default 3-layer D it makes each layer's weight exactly λ_FM/num_D.
    var featureMatchingWeight: Float {
        config.lambdaFeatureMatching * 4 / Float(config.discriminator.nLayers + 1) / Float(config.discriminator.scales)
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
}
