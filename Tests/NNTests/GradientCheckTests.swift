import NN
import Tensors
import TestSupport
import Testing

/// Finite-difference checks of every op's backward pass over several shapes: odd sizes,
/// stride 1 and 2, batch > 1.
@Suite("Gradients agree with finite differences")
struct GradientCheckTests {
    static let shapes: [[Int]] = [[1, 3, 5, 7], [2, 4, 8, 8], [3, 2, 7, 5]]

    /// Random values kept away from the kinks of piecewise-linear ops, where a finite
    /// difference straddling the kink would not measure the derivative.
    static func input(_ shape: [Int], seed: UInt64, awayFromZero: Bool = false) -> Tensor {
        let t = Tensor.randomNormal(shape, seed: seed)
        if awayFromZero {
            for i in 0..<t.count where abs(t.data[i]) < 0.1 { t.data[i] += t.data[i] >= 0 ? 0.1 : -0.1 }
        }
        return t
    }

    static func randomized<L: Layer>(_ layer: L, seed: UInt64) -> L {
        var rng = SeededGenerator(seed: seed)
        for (_, p) in layer.namedParameters() { Initializer.normal(std: 0.3).fill(p.value, rng: &rng) }
        return layer
    }

    static func expectClean(_ failures: [String], _ what: String) {
        #expect(failures.isEmpty, "\(what): \(failures.prefix(4).joined(separator: "; "))")
    }

    @Test("conv2d", arguments: [(3, 1, 1, true), (4, 2, 1, false), (1, 1, 0, true), (4, 1, 1, true), (3, 2, 0, true)])
    func conv2d(kernel: Int, stride: Int, padding: Int, bias: Bool) {
        for (i, shape) in Self.shapes.enumerated() {
            let conv = Self.randomized(Conv2d(shape[1], 3, kernel: kernel, stride: stride, padding: padding, bias: bias), seed: UInt64(i))
            Self.expectClean(GradientCheck().check(conv, input: Self.input(shape, seed: 10 + UInt64(i))), "conv2d k\(kernel)s\(stride)p\(padding) \(shape)")
        }
    }

    /// A 4×4 stride-1 layer with 32 channels in and out runs on Winograd's transforms
    /// (`WinogradConvolution`): its planes end inside a tile or fill the last one.
    @Test("conv2d on Winograd's transforms", arguments: [(1, [1, 32, 5, 5]), (2, [2, 32, 6, 7]), (0, [1, 32, 7, 6])])
    func conv2dWinograd(padding: Int, shape: [Int]) {
        let conv = Self.randomized(Conv2d(32, 32, kernel: 4, stride: 1, padding: padding), seed: 3)
        // Weights scaled to a fan-in of 512 (std 0.3 / 8), so outputs and gradients are O(1) as
        // the checker's absolute tolerance assumes: at std 0.3 they reach ~7, and the loss's
        // float rounding over thousands of outputs, divided by 2ε, came within its margin.
        TensorMath.scale(conv.weight.value, by: 0.125, into: conv.weight.value)
        let g = ConvGeometry(n: shape[0], c: 32, h: shape[2], w: shape[3], kh: 4, kw: 4, stride: 1, padding: padding)
        #expect(WinogradConvolution.applies(g, outChannels: 32))
        Self.expectClean(
            GradientCheck().check(conv, input: Self.input(shape, seed: 30)), "conv2d Winograd p\(padding) \(shape)")
    }

    /// One output channel takes `SingleChannelConvolution`'s path instead of im2col + GEMM.
    @Test("conv2d to one channel", arguments: [(4, 1, 1, true), (4, 2, 1, false), (3, 2, 0, true), (1, 1, 0, true)])
    func conv2dToOneChannel(kernel: Int, stride: Int, padding: Int, bias: Bool) {
        for (i, shape) in Self.shapes.enumerated() {
            let conv = Self.randomized(Conv2d(shape[1], 1, kernel: kernel, stride: stride, padding: padding, bias: bias), seed: UInt64(i))
            Self.expectClean(GradientCheck().check(conv, input: Self.input(shape, seed: 15 + UInt64(i))), "conv2d→1 k\(kernel)s\(stride)p\(padding) \(shape)")
        }
    }

    @Test("conv_transpose2d", arguments: [(4, 2, 1, true), (3, 1, 1, false), (4, 2, 1, false)])
    func convTranspose2d(kernel: Int, stride: Int, padding: Int, bias: Bool) {
        for (i, shape) in Self.shapes.enumerated() {
            let conv = Self.randomized(ConvTranspose2d(shape[1], 3, kernel: kernel, stride: stride, padding: padding, bias: bias), seed: UInt64(i))
            Self.expectClean(GradientCheck().check(conv, input: Self.input(shape, seed: 20 + UInt64(i))), "convT k\(kernel)s\(stride) \(shape)")
        }
    }

    @Test("batch norm, training and evaluation", arguments: [true, false])
    func batchNorm(training: Bool) {
        for (i, shape) in Self.shapes.enumerated() {
            let bn = Self.randomized(BatchNorm2d(shape[1]), seed: UInt64(i))
            bn.runningVar.value.fill(1.7)
            bn.isTraining = training
            Self.expectClean(GradientCheck().check(bn, input: Self.input(shape, seed: 30 + UInt64(i))), "batchnorm \(shape)")
        }
    }

    @Test("instance norm")
    func instanceNorm() {
        for (i, shape) in Self.shapes.enumerated() {
            Self.expectClean(GradientCheck().check(InstanceNorm2d(), input: Self.input(shape, seed: 40 + UInt64(i))), "instancenorm \(shape)")
        }
    }

    @Test("activations")
    func activations() {
        let layers: [(String, any Layer, Bool)] = [
            ("relu", ReLU(), true), ("leaky", LeakyReLU(slope: 0.2), true),
            ("tanh", Tanh(), false), ("sigmoid", Sigmoid(), false)
        ]
        for (name, layer, kinked) in layers {
            for (i, shape) in Self.shapes.enumerated() {
                let x = Self.input(shape, seed: 50 + UInt64(i), awayFromZero: kinked)
                Self.expectClean(GradientCheck().check(layer, input: x), "\(name) \(shape)")
            }
        }
    }

    @Test("dropout with a fixed mask")
    func dropout() {
        let shape = [2, 3, 5, 5]
        let mask = Tensor(zeros: shape)
        var rng = SeededGenerator(seed: 3)
        for i in 0..<mask.count { mask.data[i] = rng.nextUniform() < 0.5 ? 0 : 1 }
        let layer = Dropout(p: 0.5)
        let failures = GradientCheck().check(
            forward: { layer.forward($0, keepMask: mask) }, backward: { layer.backward($0) }, zeroGrad: {},
            parameters: [], input: Self.input(shape, seed: 60))
        Self.expectClean(failures, "dropout")
    }

    @Test("average pooling")
    func avgPool() {
        for (i, shape) in Self.shapes.enumerated() {
            Self.expectClean(GradientCheck().check(AvgPool2d(), input: Self.input(shape, seed: 70 + UInt64(i))), "avgpool \(shape)")
        }
    }

    @Test("self-attention")
    func selfAttention() {
        for (i, shape) in [[1, 8, 3, 5], [2, 16, 4, 4]].enumerated() {
            let layer = Self.randomized(SelfAttention(channels: shape[1]), seed: UInt64(i))
            layer.gamma.value.data[0] = 0.8
            Self.expectClean(GradientCheck().check(layer, input: Self.input(shape, seed: 80 + UInt64(i))), "attention \(shape)")
        }
    }

    @Test("spectral norm, evaluation (fixed u, v)")
    func spectralNorm() {
        for (i, shape) in Self.shapes.enumerated() {
            var rng = SeededGenerator(seed: UInt64(i))
            let layer = SpectralNormConv2d(Conv2d(shape[1], 4, kernel: 4, stride: 2, padding: 1), rng: &rng)
            Initializer.normal(std: 0.3).fill(layer.weightOrig.value, rng: &rng)
            for _ in 0..<3 { _ = layer.forward(Self.input(shape, seed: 5)) }  // settle u, v
            layer.isTraining = false  // a training forward moves u, v on every loss evaluation
            Self.expectClean(GradientCheck().check(layer, input: Self.input(shape, seed: 90 + UInt64(i))), "spectral norm \(shape)")
        }
    }

    @Test("concat and add")
    func concatAndAdd() {
        let a = Self.input([2, 3, 4, 5], seed: 1)
        let b = Self.input([2, 2, 4, 5], seed: 2)
        let out = Tensor(zeros: [2, 5, 4, 5])
        let failures = GradientCheck().check(
            forward: { x in
                ChannelConcat.forward(x, b, into: out)
                return out
            },
            backward: { dy in
                let (da, db) = (Tensor(zeros: a.shape), Tensor(zeros: b.shape))
                ChannelConcat.backward(dy, channelsA: 3, intoA: da, intoB: db)
                return da
            }, zeroGrad: {}, parameters: [], input: a)
        Self.expectClean(failures, "concat")
    }

    @Test("losses", arguments: GANLoss.allCases)
    func ganLosses(loss: GANLoss) {
        let x = Self.input([2, 1, 3, 3], seed: 4, awayFromZero: true)
        for real in [true, false] {
            let analytic = loss.discriminatorLoss(x, real: real).gradient.copy()
            for i in [0, 5, 11, 17] {
                let saved = x.data[i]
                x.data[i] = saved + 1e-3
                let plus = loss.discriminatorLoss(x, real: real).value
                x.data[i] = saved - 1e-3
                let minus = loss.discriminatorLoss(x, real: real).value
                x.data[i] = saved
                #expect(abs((plus - minus) / 2e-3 - analytic.data[i]) < 2e-3, "\(loss) real=\(real) [\(i)]")
            }
        }
    }
}
