import NN
import Tensors

/// Precise batch-norm statistics for a generator trained at batch > 1.
///
/// The running averages that training keeps (momentum 0.1) mix the statistics of the last
/// few dozen steps' weights; in GAN training the weights move quickly, and at some
/// checkpoints those averages no longer fit the weights — the generator's inference output
/// then collapses (we saw validation ΔE jump from 14 to 45 between two checkpoints). Before
/// a checkpoint is validated and saved, the running mean and variance of every batch-norm
/// layer are therefore recomputed as the plain average of the batch statistics over a fixed
/// set of training batches, with the current weights and dropout off ("precise BN",
/// Wu & Johnson 2021, arXiv:2105.07576).
///
/// The batches come from a generator seeded with `seed` alone, so the result does not touch
/// the training's random state and a resumed run recomputes exactly the same statistics.
/// In data-parallel training only rank 0 recalibrates, with its layers' synchronization off.
public enum BatchNormRecalibration {
    public static func recalibrate(
        _ generator: UNetGenerator, examples: any TrainingExamples,
        batches: Int = 25, batchSize: Int, seed: UInt64
    ) {
        guard examples.count > 0, batches > 0, batchSize > 0 else { return }
        var layers: [BatchNorm2d] = []
        generator.visit { _, module in if let bn = module as? BatchNorm2d { layers.append(bn) } }
        guard !layers.isEmpty else { return }
        generator.setTraining(false)  // dropout off
        let saved = layers.map { ($0.momentum, $0.isTraining, $0.collective) }
        for layer in layers { layer.collective = nil }
        var rng = SeededGenerator(seed: seed)
        let (c, s) = (examples.inputChannels, examples.size)
        for k in 0..<batches {
            var planes: [Float] = []
            planes.reserveCapacity(batchSize * c * s * s)
            for _ in 0..<batchSize {
                let index = Int(rng.next() % UInt64(examples.count))
                planes += examples.trainingPlanes(at: index, rng: &rng).input
            }
            // Momentum 1/(k+1) makes the running value the mean over the batches seen so far.
            for layer in layers {
                layer.isTraining = true
                layer.momentum = 1 / Float(k + 1)
            }
            _ = generator.forward(Tensor(planes, shape: [batchSize, c, s, s]))
        }
        for (layer, (momentum, training, collective)) in zip(layers, saved) {
            layer.momentum = momentum
            layer.isTraining = training
            layer.collective = collective
        }
    }
}
