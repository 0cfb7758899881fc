import NN
import Tensors
import TestSupport
import Testing

/// Forward and backward of every op against values PyTorch produced
/// (Tests/NNTests/Fixtures/ops, written by scripts/make_fixtures.py).
@Suite("Ops match PyTorch")
struct OpFixtureTests {
    static let layerOps = [
        "conv2d", "conv_transpose2d", "batch_norm2d", "instance_norm2d", "relu", "leaky_relu", "tanh",
        "sigmoid", "avg_pool2d", "self_attention", "spectral_norm_conv2d"
    ]

    static func isCase(_ path: String, of op: String) -> Bool {
        let name = path.split(separator: "/").last!
        return name.hasPrefix(op + "_") || name == "\(op).safetensors"
    }

    static let layerFixtures = FixturePaths.files(in: "Tests/NNTests/Fixtures/ops").filter { path in
        layerOps.contains { isCase(path, of: $0) }
    }

    /// The parameterized test below runs nothing when the fixture folder is missing: this one fails then.
    @Test("Every layer op has fixture cases")
    func fixturesPresent() {
        for op in Self.layerOps {
            #expect(Self.layerFixtures.contains { Self.isCase($0, of: op) }, "no fixture for \(op)")
        }
    }

    /// Builds the Tinct layer described by a fixture's metadata, with its parameters loaded.
    static func makeLayer(_ f: Fixture) throws -> any Layer {
        let layer: any Layer
        switch f.meta("op") {
        case "conv2d":
            layer = Conv2d(
                f.int("in_channels"), f.int("out_channels"), kernel: f.int("kernel"),
                stride: f.int("stride"), padding: f.int("padding"), bias: f.bool("bias"))
        case "conv_transpose2d":
            layer = ConvTranspose2d(
                f.int("in_channels"), f.int("out_channels"), kernel: f.int("kernel"),
                stride: f.int("stride"), padding: f.int("padding"), bias: f.bool("bias"))
        case "batch_norm2d":
            let bn = BatchNorm2d(f["param.weight"].count, eps: f.float("eps"), momentum: f.float("momentum"))
            bn.isTraining = f.bool("training")
            layer = bn
        case "instance_norm2d": layer = InstanceNorm2d(eps: f.float("eps"))
        case "relu": layer = ReLU()
        case "leaky_relu": layer = LeakyReLU(slope: f.float("negative_slope"))
        case "tanh": layer = Tanh()
        case "sigmoid": layer = Sigmoid()
        case "avg_pool2d": layer = AvgPool2d(kernel: f.int("kernel"), stride: f.int("stride"), padding: f.int("padding"))
        case "self_attention": layer = SelfAttention(channels: f.int("in_channels"))
        case "spectral_norm_conv2d":
            var rng = SeededGenerator(seed: 0)
            let sn = SpectralNormConv2d(
                Conv2d(
                    f.int("in_channels"), f.int("out_channels"), kernel: f.int("kernel"), stride: f.int("stride"),
                    padding: f.int("padding"), bias: f.bool("bias")), rng: &rng)
            sn.isTraining = f.bool("training")
            layer = sn
        default: throw FixtureError.unknownOp(f.meta("op"))
        }
        for (name, p) in layer.namedParameters() { p.value.assign(from: f["param.\(name)"]) }
        for (name, b) in layer.namedBuffers() where f.has("buffer.\(name)") { b.value.assign(from: f["buffer.\(name)"]) }
        return layer
    }

    enum FixtureError: Error { case unknownOp(String) }

    @Test("layer forward, backward and state updates", arguments: layerFixtures)
    func layerMatchesPyTorch(path: String) throws {
        let f = try Fixture(path: path)
        let layer = try Self.makeLayer(f)
        let y = layer.forward(f["in.x"])
        #expect(y.shape == f["out"].shape)
        #expect(Compare.mismatch(y, f["out"], what: "\(f.name) out") == nil)
        layer.zeroGrad()
        let dx = layer.backward(f["grad_out"])
        #expect(Compare.mismatch(dx, f["grad.in.x"], what: "\(f.name) dx") == nil)
        for (name, p) in layer.namedParameters() {
            #expect(Compare.mismatch(p.grad, f["grad.param.\(name)"], atol: 1e-4, what: "\(f.name) d\(name)") == nil)
        }
        for (name, b) in layer.namedBuffers() where f.has("buffer_after.\(name)") {
            #expect(Compare.mismatch(b.value, f["buffer_after.\(name)"], what: "\(f.name) \(name) after") == nil)
        }
    }

    @Test("dropout with PyTorch's mask")
    func dropout() throws {
        let f = try Fixture(path: FixturePaths.path("Tests/NNTests/Fixtures/ops/dropout.safetensors"))
        let layer = Dropout(p: f.float("p"))
        let y = layer.forward(f["in.x"], keepMask: f["in.mask"])
        #expect(Compare.mismatch(y, f["out"], what: "dropout out") == nil)
        #expect(Compare.mismatch(layer.backward(f["grad_out"]), f["grad.in.x"], what: "dropout dx") == nil)
    }

    @Test("concat, add and scale")
    func arithmetic() throws {
        let cat = try Fixture(path: FixturePaths.path("Tests/NNTests/Fixtures/ops/concat.safetensors"))
        let (x, y) = (cat["in.x"], cat["in.y"])
        let out = Tensor(zeros: cat["out"].shape)
        ChannelConcat.forward(x, y, into: out)
        #expect(Compare.mismatch(out, cat["out"], what: "concat") == nil)
        let (dx, dy) = (Tensor(zeros: x.shape), Tensor(zeros: y.shape))
        ChannelConcat.backward(cat["grad_out"], channelsA: x.shape[1], intoA: dx, intoB: dy)
        #expect(Compare.mismatch(dx, cat["grad.in.x"], what: "concat dx") == nil)
        #expect(Compare.mismatch(dy, cat["grad.in.y"], what: "concat dy") == nil)

        let add = try Fixture(path: FixturePaths.path("Tests/NNTests/Fixtures/ops/add.safetensors"))
        let sum = Tensor(zeros: add["out"].shape)
        TensorMath.add(add["in.x"], add["in.y"], into: sum)
        #expect(Compare.mismatch(sum, add["out"], what: "add") == nil)

        let scale = try Fixture(path: FixturePaths.path("Tests/NNTests/Fixtures/ops/scale.safetensors"))
        let scaled = Tensor(zeros: scale["out"].shape)
        TensorMath.scale(scale["in.x"], by: scale.float("scale"), into: scaled)
        #expect(Compare.mismatch(scaled, scale["out"], what: "scale") == nil)
        let dScaled = Tensor(zeros: scale["out"].shape)
        TensorMath.scale(scale["grad_out"], by: scale.float("scale"), into: dScaled)
        #expect(Compare.mismatch(dScaled, scale["grad.in.x"], what: "scale dx") == nil)
    }
}
