import NN
import Pix2Pix
import Tensors
import Testing

/// `TrainingMemory` decides whether a run may start; its parameter count must be the
/// networks' own, and its totals must grow with every option a person can turn up.
@Suite("Training memory estimate")
struct TrainingMemoryTests {
    static func config(
        size: Int = 64, batch: Int = 1, ngf: Int = 8, ndf: Int = 8, downs: Int = 6, numD: Int = 1,
        nLayers: Int = 3, attention: Bool = false, spectralNorm: Bool = false, norm: NormKind = .batch
    ) -> TrainingConfig {
        var options = TrainingOptions()
        (options.size, options.batch, options.ngf, options.ndf, options.downs) = (size, batch, ngf, ndf, downs)
        (options.numD, options.nLayers, options.attention, options.spectralNorm, options.norm) = (numD, nLayers, attention, spectralNorm, norm)
        return options.config(dataPath: "/nonexistent")
    }

    @Test(
        "Parameters, gradients and Adam's moments: 16 bytes per parameter of the networks built",
        arguments: [
            config(), config(ngf: 16, downs: 7, numD: 2), config(attention: true), config(numD: 3, nLayers: 2),
            config(spectralNorm: true, norm: .instance), config(size: 256, ngf: 32, ndf: 32, downs: 8)
        ])
    func parameters(config: TrainingConfig) {
        let model = Pix2PixModel(config.model, seed: 1)
        let count = (model.generator.namedParameters() + model.discriminator.namedParameters()).reduce(0) { $0 + $1.parameter.value.count }
        let estimated = TrainingMemory(config: config, pictures: 0).parameterBytes / 16
        #expect(estimated >= count, "estimated \(estimated) parameters, the networks have \(count)")
        #expect(Double(estimated) <= 1.02 * Double(count), "estimated \(estimated) parameters, the networks have \(count)")
    }

    @Test("Turning any option up never lowers the estimate")
    func monotone() {
        let base = TrainingMemory(config: Self.config(), pictures: 100).totalBytes
        for bigger in [
            Self.config(size: 128, downs: 7), Self.config(batch: 2), Self.config(ngf: 16), Self.config(ndf: 16),
            Self.config(numD: 2), Self.config(nLayers: 4), Self.config(attention: true)
        ] {
            #expect(TrainingMemory(config: bigger, pictures: 100).totalBytes > base)
        }
        #expect(TrainingMemory(config: Self.config(), pictures: 1000).totalBytes > base)
    }

    @Test("The runs a hostile probe sent are refused; the shipped models' runs fit a 2 GiB budget")
    func refusals() {
        let huge = Self.config(size: 256, ngf: 512, ndf: 512, downs: 8)
        let refusal = TrainingMemory(config: huge, pictures: 10).refusal(budgetBytes: 12 << 30)
        #expect(refusal?.contains("lower ngf, ndf, batch or size") == true, "\(refusal ?? "accepted")")
        // ~54 GiB of weights, gradients and moments, as the probe worked out.
        #expect(TrainingMemory(config: huge, pictures: 10).parameterBytes > 50 << 30)
        let wide = Self.config(size: 2048, batch: 256, ngf: 32, ndf: 32, downs: 8)
        #expect(TrainingMemory(config: wide, pictures: 10).refusal(budgetBytes: 12 << 30) != nil)
        let lineart = Self.config(size: 256, batch: 1, ngf: 32, ndf: 32, downs: 8)
        #expect(
            TrainingMemory(config: lineart, pictures: 2000).refusal(budgetBytes: 2 << 30) == nil,
            "\(TrainingMemory(config: lineart, pictures: 2000))")
    }

    @Test("A run whose checkpoints would not fit on the disk is refused before it starts")
    func disk() {
        var run = Self.config(size: 256, ngf: 64, ndf: 64, downs: 8)
        let memory = TrainingMemory(config: run, pictures: 10)
        run.keepLast = 100
        let refusal = memory.diskRefusal(config: run, freeBytes: 1 << 30)
        #expect(refusal?.contains("lower keep") == true, "\(refusal ?? "accepted") for \(memory.checkpointBytes) B checkpoints")
        run.keepLast = 3
        #expect(memory.diskRefusal(config: run, freeBytes: 8 << 30) == nil)
        #expect(TrainingMemory.freeDiskBytes(at: "/nonexistent/deeper/run").map { $0 > 0 } == true)
    }
}

/// `downs` follows the crop size when it is not given (`tinct train --size 64` used to fail
/// with "must be a multiple of 256" because the default stayed 8).
@Suite("Default downsamplings")
struct DefaultDownsTests {
    @Test("Down to 1×1 within 5–10", arguments: [(256, 8), (128, 7), (64, 6), (32, 5), (16, 5), (96, 5), (1024, 10), (2048, 10)])
    func downs(size: Int, expected: Int) {
        #expect(TrainingOptions.defaultDowns(forSize: size) == expected)
        var options = TrainingOptions()
        options.size = size
        options.downs = TrainingOptions.defaultDowns(forSize: size)
        // Every size the options accept gets downs that make it valid.
        if size >= 32 && size % 32 == 0 { #expect(options.problems.isEmpty, "\(size): \(options.problems)") }
    }
}
