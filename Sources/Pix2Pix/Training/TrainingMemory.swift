import Foundation
import ImageCodecs

/// How much memory a training run will take, worked out from its configuration before any
/// network is built, so that a run too big for the machine is refused with a clear message
/// instead of ending the process when an allocation fails.
///
/// The figures follow how the engine allocates: every layer keeps its own output and input
/// gradient, each convolution its unfolded columns and their gradient (whole batch), each
/// parameter its value, gradient and Adam's two moments; a checkpoint is built in memory while
/// it is written. They are upper estimates: the measured peaks they were checked against are
/// in docs/security.md.
public struct TrainingMemory: Sendable, Equatable, CustomStringConvertible {
    /// Weights, gradients and Adam's moments of G and D.
    public var parameterBytes: Int
    /// Activations, their gradients and the convolutions' work buffers for one step.
    public var activationBytes: Int
    /// The decoded pictures kept in memory (at the run's load side).
    public var datasetBytes: Int
    /// The process, the validation and sample passes, loaders: a fixed allowance.
    public static let overheadBytes = 256 << 20

    /// Everything: the parts above, a checkpoint's bytes (built in memory while it is written)
    /// and the fixed allowance.
    public var totalBytes: Int { parameterBytes + activationBytes + datasetBytes + checkpointBytes + Self.overheadBytes }

    /// The estimate for `config`, counting the picture files under its data folder (a run
    /// keeps each decoded at its load side).
    public init(config: TrainingConfig) {
        self.init(config: config, pictures: ImageFolder.listPictures(under: config.dataPath).count)
    }

    /// The estimate for `config` training on `pictures` picture files.
    public init(config: TrainingConfig, pictures: Int) {
        var plan = MemoryPlan()
        let batch = config.batch
        let size = config.size
        let g = config.model.generator
        let d = config.model.discriminator
        GeneratorShapes(g).add(to: &plan, batch: batch, side: size)
        let scales = max(1, d.scales)
        var side = size
        for _ in 0..<scales {
            DiscriminatorShapes(d).add(to: &plan, batch: batch, side: side)
            plan.activation(batch * d.inputChannels * side * side)  // the pooled input
            side /= 2
        }
        parameterBytes = 4 * 4 * plan.parameters
        activationBytes = 4 * plan.activations
        // A side-by-side pix2pix file holds both pictures of a pair.
        let halves = config.mode == .pix2pix ? 2 : 1
        datasetBytes = pictures * halves * 3 * config.loadSide * config.loadSide
    }

    public var description: String {
        "\(Self.mebibytes(totalBytes)) MiB (parameters and Adam \(Self.mebibytes(parameterBytes)), "
            + "activations \(Self.mebibytes(activationBytes)), pictures \(Self.mebibytes(datasetBytes)), "
            + "a checkpoint being written \(Self.mebibytes(checkpointBytes)))"
    }

    static func mebibytes(_ bytes: Int) -> Int { (bytes + (1 << 20) - 1) >> 20 }

    /// The default budget: half of the machine's physical memory.
    public static var defaultBudgetBytes: Int { Int(physicalMemoryBytes / 2) }

    /// Physical memory of this machine.
    public static var physicalMemoryBytes: UInt64 {
        UInt64(sysconf(Int32(_SC_PHYS_PAGES))) * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Disk one checkpoint takes: weights and Adam's two moments (the gradients are not saved).
    public var checkpointBytes: Int { parameterBytes / 4 * 3 }

    /// Disk a run writes at most: the checkpoints kept, the best, one being written, and the
    /// sample grids (a few small PNGs per `sampleEvery`, bounded by 64 KiB each here).
    public func diskBytes(config: TrainingConfig) -> Int {
        let samples = config.steps / max(1, config.sampleEvery) + 1
        return (config.keepLast + 2) * checkpointBytes + min(samples, 100_000) * (64 << 10)
    }

    /// nil when the run's files fit in `freeBytes`, else a sentence saying how much is needed.
    public func diskRefusal(config: TrainingConfig, freeBytes: Int) -> String? {
        let needed = diskBytes(config: config)
        guard needed > freeBytes else { return nil }
        return "the run would write up to \(Self.mebibytes(needed)) MiB (\(config.keepLast + 2) checkpoints of "
            + "\(Self.mebibytes(checkpointBytes)) MiB and its samples) but only \(Self.mebibytes(freeBytes)) MiB are free; "
            + "free some space, lower keep, or raise sampleEvery"
    }

    /// Bytes free for an unprivileged writer on the file system holding `path` (or its nearest
    /// existing parent); nil when it cannot be read.
    public static func freeDiskBytes(at path: String) -> Int? {
        var folder = path.isEmpty ? "." : path
        while !FileManager.default.fileExists(atPath: folder) {
            let parent = (folder as NSString).deletingLastPathComponent
            if parent == folder || parent.isEmpty {
                folder = "."
                break
            }
            folder = parent
        }
        var stats = statvfs()
        guard statvfs(folder, &stats) == 0 else { return nil }
        return Int(stats.f_bavail) * Int(stats.f_frsize)
    }

    /// Memory the kernel can give now without swapping (`MemAvailable` of `meminfo`, by default
    /// /proc/meminfo's), or nil where it cannot be read (not Linux).
    public static func availableMemoryBytes(meminfo: String? = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) -> Int? {
        guard let line = meminfo?.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }) else { return nil }
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3, fields[2] == "kB", let kibibytes = Int(fields[1]) else { return nil }
        return kibibytes << 10
    }

    /// nil when the run fits in the `availableBytes` the machine has free now, else a sentence
    /// saying so. The budget bounds what a run may ask of the machine; this keeps a run from
    /// starting when other programs already hold the memory it needs, since a run that runs
    /// out part-way ends the whole process (docs/security.md).
    public func availabilityRefusal(availableBytes: Int) -> String? {
        guard totalBytes > availableBytes else { return nil }
        return "the run would need about \(Self.mebibytes(totalBytes)) MiB but only \(Self.mebibytes(availableBytes)) MiB of the "
            + "machine's memory are available now; close other programs, or lower ngf, ndf, batch or size"
    }

    /// nil when the run fits `budgetBytes`, else a sentence for the person who asked for it,
    /// naming the options that make a run smaller.
    public func refusal(budgetBytes: Int) -> String? {
        guard totalBytes > budgetBytes else { return nil }
        return "the run would need about \(description), more than the \(Self.mebibytes(budgetBytes)) MiB allowed for "
            + "training; lower ngf, ndf, batch or size (or numD), or train on fewer pictures"
    }
}

/// Running sums of float counts.
struct MemoryPlan {
    var parameters = 0
    var activations = 0

    mutating func activation(_ floats: Int) { activations += floats }

    /// A k×k convolution from `input` to `output` channels, input side `side`, output side
    /// `outSide`: weights; output, input gradient, columns and their gradient, channel-major
    /// scratch for the output and its gradient.
    mutating func convolution(batch: Int, input: Int, output: Int, side: Int, outSide: Int, kernel: Int = 4) {
        parameters += output * input * kernel * kernel + output
        let columns = batch * outSide * outSide
        activations += batch * output * outSide * outSide + batch * input * side * side
        activations += 2 * input * kernel * kernel * columns + 2 * output * columns
    }

    /// A 4×4 stride-2 transposed convolution from `input` channels at `side` to `output` at 2·side.
    mutating func transposedConvolution(batch: Int, input: Int, output: Int, side: Int) {
        parameters += input * output * 16 + output
        let columns = batch * side * side
        activations += batch * output * 4 * side * side + batch * input * side * side
        activations += 2 * output * 16 * columns + 2 * input * columns
    }

    /// A layer that keeps `buffers` tensors of its input's size (output, gradient, mask or
    /// normalized copy), with `channelParameters` parameters per channel.
    mutating func elementwise(batch: Int, channels: Int, side: Int, buffers: Int, channelParameters: Int = 0) {
        parameters += channelParameters * channels
        activations += buffers * batch * channels * side * side
    }

    /// SAGAN self-attention on `channels` at `side`: query/key (c/8) and value projections, the
    /// N×N attention map and their gradients.
    mutating func attention(batch: Int, channels: Int, side: Int) {
        let positions = side * side
        let reduced = max(1, channels / 8)
        parameters += 2 * (reduced * channels + reduced) + channels * channels + channels + 1
        activations += 2 * batch * positions * positions + 4 * batch * (2 * reduced + 2 * channels) * positions
    }
}

/// The U-Net's layers as `UNetGenerator` builds them, for `TrainingMemory`.
struct GeneratorShapes {
    let config: GeneratorConfig
    init(_ config: GeneratorConfig) { self.config = config }

    func add(to plan: inout MemoryPlan, batch: Int, side: Int) {
        let ngf = config.ngf
        let depth = config.downsamplings
        // (outer, inner) channels from the outermost level inwards.
        var levels = [(config.outputChannels, ngf), (ngf, 2 * ngf), (2 * ngf, 4 * ngf), (4 * ngf, 8 * ngf)]
        levels += Array(repeating: (8 * ngf, 8 * ngf), count: depth - 4)
        var s = side
        for (level, (outer, inner)) in levels.enumerated() {
            let input = level == 0 ? config.inputChannels : outer
            let innermost = level == depth - 1
            plan.elementwise(batch: batch, channels: input, side: s, buffers: 2)  // LeakyReLU
            plan.convolution(batch: batch, input: input, output: inner, side: s, outSide: s / 2)
            plan.elementwise(batch: batch, channels: inner, side: s / 2, buffers: 3, channelParameters: 4)  // norm
            let upInput = innermost ? inner : 2 * inner
            plan.elementwise(batch: batch, channels: upInput, side: s / 2, buffers: 2)  // ReLU
            plan.transposedConvolution(batch: batch, input: upInput, output: outer, side: s / 2)
            plan.elementwise(batch: batch, channels: outer, side: s, buffers: 6, channelParameters: 4)  // norm, dropout
            plan.elementwise(batch: batch, channels: 2 * outer, side: s, buffers: 2)  // skip concatenation
            if config.attentionDepths.contains(level) { plan.attention(batch: batch, channels: outer, side: s) }
            s /= 2
        }
    }
}

/// One PatchGAN's layers as `PatchDiscriminator` builds them, for `TrainingMemory`.
struct DiscriminatorShapes {
    let config: DiscriminatorConfig
    init(_ config: DiscriminatorConfig) { self.config = config }

    func add(to plan: inout MemoryPlan, batch: Int, side: Int) {
        let ndf = config.ndf
        var s = side / 2
        plan.convolution(batch: batch, input: config.inputChannels, output: ndf, side: side, outSide: s)
        plan.elementwise(batch: batch, channels: ndf, side: s, buffers: 2)
        var multiplier = 1
        for n in 1...config.nLayers {
            let previous = multiplier
            multiplier = min(1 << n, 8)
            let outSide = n < config.nLayers ? s / 2 : max(1, s - 1)
            plan.convolution(batch: batch, input: ndf * previous, output: ndf * multiplier, side: s, outSide: outSide)
            plan.elementwise(batch: batch, channels: ndf * multiplier, side: outSide, buffers: 5, channelParameters: 4)
            if config.attention && n == 1 { plan.attention(batch: batch, channels: ndf * multiplier, side: outSide) }
            s = outSide
        }
        plan.convolution(batch: batch, input: ndf * multiplier, output: 1, side: s, outSide: max(1, s - 1))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
