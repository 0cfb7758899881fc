import NN
import Tensors
import TestSupport
import Testing

@testable import Pix2Pix

/// Finite-difference checks of the networks' composite backward passes: the U-Net's skip
/// connection, the PatchGAN's intermediate-feature gradients (feature matching), and the
/// multi-scale discriminator through its average pooling.
///
/// ε is 1e-3 (not the layer checks' 1e-2: fewer units cross a kink), the tolerance the
/// layer checks' (5e-3 + 2 %). Rounding is far inside it under any summation order: the
/// outputs are float32 sums whose order the GEMM kernel and the worker count change by a few
/// ulps, which moves L = Σ y·w (summed in Double) by ~1e-6 and a difference over 2ε by
/// ~1e-3. What a step can also do is cross a ReLU's or LeakyReLU's kink somewhere in the
/// network, so these checks allow a few probes off (`expectMostlyClean`). Measured with
/// OpenBLAS: at most 12 of 221 probes off in any check (5.4 %). Each wiring error tried fails
/// them: without the skip's accumulation 23–107 probes off, without the feature gradients
/// 97–194, without the path back through the pooling most of dx's probes.
@Suite("Network gradients agree with finite differences")
struct NetworkGradientCheckTests {
    static let weightStd: Float = 0.3
    static let checker = GradientCheck(epsilon: 1e-3, absoluteTolerance: 5e-3, relativeTolerance: 2e-2, probes: 12)

    static func expectClean(_ failures: [String], _ what: String) {
        #expect(failures.isEmpty, "\(what): \(failures.prefix(4).joined(separator: "; "))")
    }

    /// The check for networks full of ReLUs: at most `share` of all probes, and under half of
    /// any one tensor's (of those probed 8 times or more), may disagree. A difference cannot measure a derivative across a kink,
    /// and in float32 the step cannot be made small enough to miss them all when thousands of
    /// units share each weight (one 1e-3 step moves every unit a weight feeds); the rare probe
    /// that crosses one is off by O(1). A wiring error — a lost skip, feature or pooling
    /// gradient — is wrong at nearly every probe of the tensors it reaches.
    static func expectMostlyClean(_ failures: [String], probes: [String: Int], share: Double = 0.1, _ what: String) {
        var failing: [String: Int] = [:]
        for failure in failures { failing[String(failure.prefix { $0 != "[" }), default: 0] += 1 }
        let total = probes.values.reduce(0, +)
        #expect(
            Double(failures.count) <= share * Double(total),
            "\(what): \(failures.count) of \(total) probes disagree: \(failures.prefix(4).joined(separator: "; "))")
        for (name, count) in failing where probes[name] ?? 0 >= 8 {
            #expect(2 * count < probes[name] ?? 0, "\(what): \(count) of \(probes[name] ?? 0) probes of \(name) disagree")
        }
    }

    /// The probes `checker` makes of each tensor, by the names its failures use.
    static func probeCounts(_ parameters: [(name: String, parameter: Parameter)], input: Tensor?) -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: parameters.map { ("d\($0.name)", checker.probeCount($0.parameter.value)) })
        if let input { counts["dx"] = checker.probeCount(input) }
        return counts
    }

    /// Overwrites every parameter of `network` with N(0, 0.3²) (norm scales N(1, 0.3²)), and
    /// self-attention γ with 0.8 so the attention path carries weight.
    static func randomize(_ network: any Module, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        network.visit { _, module in
            for (name, p) in module.parameters {
                let isNormScale = module is BatchNorm2d && name == "weight"
                Initializer.normal(mean: isNormScale ? 1 : 0, std: weightStd).fill(p.value, rng: &rng)
            }
            (module as? SelfAttention)?.gamma.value.fill(0.8)
        }
    }

    /// A value away from LeakyReLU's kink at 0, as in GradientCheckTests.
    static func input(_ shape: [Int], seed: UInt64) -> Tensor {
        let t = Tensor.randomNormal(shape, seed: seed)
        for i in 0..<t.count where abs(t.data[i]) < 0.1 { t.data[i] += t.data[i] >= 0 ? 0.1 : -0.1 }
        return t
    }

    // MARK: U-Net

    /// A middle U-Net level around the innermost one: y = [LeakyReLU(x), inner(LeakyReLU(x))].
    /// dx = LeakyReLU'(x)·(dy_skip + d inner): the check fails if either half of the sum is lost.
    @Test("U-Net skip connection: a middle block around the innermost", arguments: [NormKind.batch, .instance])
    func unetSkipConnection(norm: NormKind) {
        for (i, shape) in [[2, 4, 8, 12], [1, 8, 4, 4]].enumerated() {
            let innermost = UNetBlock(outer: 8, inner: 8, innermost: true, norm: norm)
            let block = UNetBlock(outer: shape[1], inner: 8, sub: innermost, attention: shape[1] >= 8, norm: norm)
            Self.randomize(block, seed: UInt64(i))
            let x = Self.input(shape, seed: 10 + UInt64(i))
            let y = block.forward(x)
            #expect(y.shape == [shape[0], 2 * shape[1], shape[2], shape[3]])
            Self.expectMostlyClean(
                Self.checker.check(block, input: x), probes: Self.probeCounts(block.namedParameters(), input: x),
                "U-Net block \(norm) \(shape)")
        }
    }

    /// The skip's own share: with the inner path's output gradient zero, dx is exactly
    /// LeakyReLU'(x)·dy_skip.
    @Test("U-Net skip connection: the skip half alone reaches the input through LeakyReLU")
    func unetSkipAlone() {
        let block = UNetBlock(outer: 4, inner: 8, sub: UNetBlock(outer: 8, inner: 8, innermost: true, norm: .batch), norm: .batch)
        Self.randomize(block, seed: 3)
        let x = Self.input([2, 4, 8, 8], seed: 4)
        let y = block.forward(x)
        let dy = Tensor(zeros: y.shape)
        let skip = Tensor.randomNormal([2, 4, 8, 8], seed: 5)
        ChannelConcat.forward(skip, Tensor(zeros: [2, 4, 8, 8]), into: dy)
        block.zeroGrad()
        let dx = block.backward(dy)
        for k in 0..<x.count {
            let expected = skip.data[k] * (x.data[k] > 0 ? 1 : 0.2)
            #expect(abs(dx.data[k] - expected) <= 1e-6 * abs(expected), "element \(k): \(dx.data[k]) vs \(expected)")
        }
    }

    @Test("whole U-Net generator with self-attention: every parameter")
    func unetGenerator() {
        let generator = UNetGenerator(
            GeneratorConfig(
                inputChannels: 2, outputChannels: 3, ngf: 2, downsamplings: 5,
                norm: .batch, dropout: false, attentionDepths: [3]))
        Self.randomize(generator, seed: 6)
        let check = Self.checker
        // The first convolution computes no input gradient (the network's input needs none).
        // A small input: a step of its weights then moves the units it feeds 10× less, so
        // fewer cross a kink (see expectMostlyClean).
        let failures = check.check(
            forward: { generator.forward($0) }, backward: { generator.backward($0) },
            zeroGrad: { generator.zeroGrad() }, parameters: generator.namedParameters(),
            input: Tensor.randomNormal([2, 2, 32, 32], std: 0.1, seed: 7), checkInput: false)
        Self.expectMostlyClean(failures, probes: Self.probeCounts(generator.namedParameters(), input: nil), "U-Net generator")
    }

    // MARK: Discriminators

    /// The scales' predictions and features laid end to end in one tensor, so that one
    /// scalar L = Σ outputs·w covers them all; `split` cuts a gradient of that tensor back
    /// into per-output pieces.
    final class Flattened {
        private(set) var shapes: [[Int]] = []

        func join(_ outputs: [Tensor]) -> Tensor {
            shapes = outputs.map(\.shape)
            let flat = Tensor(zeros: [outputs.reduce(0) { $0 + $1.count }])
            var offset = 0
            for t in outputs {
                (flat.data + offset).update(from: t.data, count: t.count)
                offset += t.count
            }
            return flat
        }

        func split(_ flat: Tensor) -> [Tensor] {
            var offset = 0
            return shapes.map { shape in
                let t = Tensor(zeros: shape)
                t.data.update(from: flat.data + offset, count: t.count)
                offset += t.count
                return t
            }
        }
    }

    static func discriminatorConfig(
        scales: Int, nLayers: Int = 2, norm: NormKind = .batch, spectralNorm: Bool = false,
        attention: Bool = false
    ) -> DiscriminatorConfig {
        DiscriminatorConfig(
            inputChannels: 4, ndf: 4, nLayers: nLayers, norm: norm, scales: scales,
            spectralNorm: spectralNorm, attention: attention)
    }

    /// PatchGAN features get gradients of their own (feature matching): they must be added
    /// at the right stages, after the layers that made them.
    @Test("PatchGAN: prediction and intermediate-feature gradients", arguments: [false, true])
    func patchFeatures(attention: Bool) {
        var rng = SeededGenerator(seed: 8)
        let net = PatchDiscriminator(Self.discriminatorConfig(scales: 1, nLayers: 3, attention: attention), rng: &rng)
        Self.randomize(net, seed: 9)
        let flat = Flattened()
        let x = Self.input([2, 4, 27, 29], seed: 10)
        var featureCount = 0
        let failures = Self.checker.check(
            forward: { x in
                let (prediction, features) = net.forward(x)
                featureCount = features.count
                return flat.join([prediction] + features)
            },
            backward: { dy in
                let pieces = flat.split(dy)
                return net.backward(pieces[0], featureGradients: Array(pieces.dropFirst()))
            },
            zeroGrad: { net.zeroGrad() }, parameters: net.namedParameters(), input: x)
        #expect(featureCount == 4, "n_layers + 1 features")
        Self.expectMostlyClean(failures, probes: Self.probeCounts(net.namedParameters(), input: x), "PatchGAN features, attention \(attention)")
    }

    /// An input whose coarsest scale is a little over the smallest a PatchGAN takes
    /// (3·2^nLayers), odd at the finest: pooling (3, stride 2, padding 1) maps a side s to ⌈s/2⌉.
    static func multiscaleInput(scales: Int, nLayers: Int) -> [Int] {
        let coarsest = [(3 << nLayers) + 3, (3 << nLayers) + 1]
        return [2, 4] + coarsest.map { scales > 1 ? ($0 << (scales - 1)) - 1 : $0 }
    }

    /// Scale k sees the input pooled k times, so its gradient reaches the input through k
    /// poolings; with feature gradients at every scale, as feature matching sends them.
    @Test("multi-scale discriminator through its pooling", arguments: [(2, 2, NormKind.batch), (3, 1, .batch), (2, 2, .instance), (4, 1, .instance)])
    func multiscale(scales: Int, nLayers: Int, norm: NormKind) {
        var rng = SeededGenerator(seed: 11)
        let discriminator = MultiscaleDiscriminator(Self.discriminatorConfig(scales: scales, nLayers: nLayers, norm: norm), rng: &rng)
        Self.randomize(discriminator, seed: 12)
        let flat = Flattened()
        let x = Self.input(Self.multiscaleInput(scales: scales, nLayers: nLayers), seed: 13)
        let failures = Self.checker.check(
            forward: { x in flat.join(discriminator.forward(x).flatMap { [$0.prediction] + $0.features }) },
            backward: { dy in
                var pieces = ArraySlice(flat.split(dy))
                var predictions: [Tensor] = []
                var features: [[Tensor]] = []
                for _ in 0..<scales {
                    predictions.append(pieces.removeFirst())
                    features.append(Array(pieces.prefix(nLayers + 1)))
                    pieces = pieces.dropFirst(nLayers + 1)
                }
                return discriminator.backward(predictions, featureGradients: features)!
            },
            zeroGrad: { discriminator.zeroGrad() }, parameters: discriminator.namedParameters(), input: x)
        #expect(flat.shapes.count == scales * (nLayers + 2))
        Self.expectMostlyClean(
            failures, probes: Self.probeCounts(discriminator.namedParameters(), input: x),
            "\(scales)-scale discriminator, \(nLayers) layers, \(norm)")
    }

    @Test("multi-scale discriminator: without the input gradient, the parameter gradients are the same")
    func multiscaleWithoutInputGradient() {
        var rng = SeededGenerator(seed: 14)
        let discriminator = MultiscaleDiscriminator(Self.discriminatorConfig(scales: 3, nLayers: 1), rng: &rng)
        Self.randomize(discriminator, seed: 15)
        let x = Self.input([2, 4, 40, 36], seed: 16)
        func gradients(inputGradient: Bool) -> [[Float]] {
            discriminator.computesInputGradient = inputGradient
            discriminator.zeroGrad()
            let outputs = discriminator.forward(x)
            let dx = discriminator.backward(outputs.map { Tensor(repeating: 1, shape: $0.prediction.shape) })
            #expect((dx != nil) == inputGradient)
            return discriminator.namedParameters().map { $0.parameter.grad.scalars }
        }
        #expect(gradients(inputGradient: true) == gradients(inputGradient: false))
    }

    /// One pixel less and the coarsest scale's prediction is empty (its mean loss NaN).
    @Test(
        "the smallest input side every scale can judge gives the coarsest scale a 1×1 prediction",
        arguments: [(3, 3, 93), (1, 3, 24), (2, 2, 23), (4, 1, 41)])
    func smallestInput(scales: Int, nLayers: Int, side: Int) {
        let config = Self.discriminatorConfig(scales: scales, nLayers: nLayers)
        #expect(config.smallestInputSide == side)
        var rng = SeededGenerator(seed: 17)
        let outputs = MultiscaleDiscriminator(config, rng: &rng).forward(Tensor(zeros: [1, 4, side, side + 5]))
        #expect(outputs.count == scales)
        #expect(outputs.last!.prediction.shape[2] == 1)
    }
}
