import Foundation
import NN
import Tensors

/// One rank's part in a data-parallel training run (`mpirun -np N tinct train`).
///
/// Every rank holds the same networks and draws the same global batch for each step from the
/// same seed, but computes only its `slice` of it; the gradients are averaged over the ranks
/// before each optimizer update (one all-reduce per network), and batch norm takes its
/// statistics over the global batch (synchronized batch norm: plain per-rank statistics would
/// normalize each slice differently from the whole batch — pix2pix's README warns about this).
/// So N ranks × batch b compute what one process computes at batch N·b, up to the order of
/// the sums. `--batch` is the global batch. Rank 0, the leader, alone writes the run folder.
public final class DataParallelTraining {
    private let counter: CountingCollective
    /// This rank's items of each global batch.
    public let slice: BatchSlice

    /// Rank `collective.rank`'s part of a run at global batch `batch`; throws unless `batch`
    /// is a multiple of the number of ranks.
    public init(_ collective: any Collective, batch: Int) throws {
        guard let slice = BatchSlice(rank: collective.rank, ranks: collective.size, globalCount: batch) else {
            throw TrainerError.invalidConfig([
                "--batch \(batch) is the global batch and must be a multiple of the \(collective.size) ranks (each rank computes batch ÷ ranks pictures)"
            ])
        }
        self.slice = slice
        counter = CountingCollective(collective)
    }

    public var rank: Int { counter.rank }
    public var ranks: Int { counter.size }
    /// Rank 0 writes checkpoints, events and samples.
    public var isLeader: Bool { counter.rank == 0 }
    /// Bytes this rank has contributed to all-reduces so far.
    public var bytesReduced: Int { counter.bytes }
    /// All-reduces so far (each costs at least one network round trip).
    public var reductions: Int { counter.calls }
    /// Bytes each rank contributes per step to the gradient averages of G and D.
    public private(set) var gradientBytesPerStep = 0

    /// Synchronizes `model`'s batch norm, slices its dropout masks, and averages its
    /// optimizers' gradients over the ranks.
    public func attach(to model: Pix2PixModel) {
        for network in [model.generator, model.discriminator] as [any Module] {
            network.visit { _, module in
                (module as? BatchNorm2d)?.collective = counter
                (module as? Dropout)?.batchSlice = slice
            }
        }
        for optimizer in [model.optimizerG, model.optimizerD] {
            let averager = GradientAverager(optimizer.parameters, over: counter)
            optimizer.gradientAverager = averager
            gradientBytesPerStep += averager.bytesPerReduce
        }
    }

    /// One line for the end of a run of `steps` steps: the ranks, and the bytes each rank
    /// all-reduced per step (gradients; batch-norm sums, losses and stop flags).
    public func summary(steps: Int) -> String {
        let perStep = steps > 0 ? bytesReduced / steps : 0
        let calls = steps > 0 ? Double(reductions) / Double(steps) : 0
        return "data-parallel: \(ranks) ranks × \(slice.count) pictures per step; all-reduced per step and rank: "
            + "\(perStep) bytes in \(String(format: "%.1f", calls)) all-reduces (gradients of G and D \(gradientBytesPerStep) bytes; "
            + "batch-norm sums, losses and flags the rest)"
    }

    /// Whether `flag` holds on any rank (a collective call: every rank asks together).
    public func anyRank(_ flag: Bool) -> Bool {
        counter.sum([flag ? 1 : 0])[0] > 0
    }

    /// The losses averaged over the ranks: the losses of the global batch, the same on every
    /// rank (so a non-finite loss stops all ranks at the same step).
    public func average(_ losses: StepLosses) -> StepLosses {
        let values = [losses.lossDFake, losses.lossDReal, losses.lossGGAN, losses.lossGL1, losses.lossGFeature]
        let mean = counter.sum(values.map(Double.init)).map { Float($0 / Double(ranks)) }
        return StepLosses(lossDFake: mean[0], lossDReal: mean[1], lossGGAN: mean[2], lossGL1: mean[3], lossGFeature: mean[4])
    }
}

/// A collective that counts the bytes passed through it.
private final class CountingCollective: Collective {
    let base: any Collective
    private(set) var bytes = 0
    private(set) var calls = 0

    init(_ base: any Collective) { self.base = base }

    var rank: Int { base.rank }
    var size: Int { base.size }

    func sum(_ values: UnsafeMutablePointer<Float>, count: Int) {
        bytes += count * MemoryLayout<Float>.size
        calls += 1
        base.sum(values, count: count)
    }

    func sum(_ values: UnsafeMutablePointer<Double>, count: Int) {
        bytes += count * MemoryLayout<Double>.size
        calls += 1
        base.sum(values, count: count)
    }
}
