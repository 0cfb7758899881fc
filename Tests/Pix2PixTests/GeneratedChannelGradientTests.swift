import NN
import Pix2Pix
import Tensors
import Testing

/// The generator's update needs D's input gradient for the generated channels only: with
/// `inputGradientStartChannel` the discriminator computes just those, and they must be the
/// same as the last channels of the full input gradient (also with one filter in the first
/// layer, ndf 1, whose convolution takes the one-channel path).
struct GeneratedChannelGradientTests {
    @Test(
        "a discriminator's input gradient from a start channel on equals those channels of the full gradient",
        arguments: [(1, false, 3, 16), (3, false, 6, 16), (2, true, 9, 16), (3, true, 11, 16), (2, false, 9, 1)])
    func trailingChannels(scales: Int, spectralNorm: Bool, start: Int, ndf: Int) {
        let config = DiscriminatorConfig(
            inputChannels: 12, ndf: ndf, nLayers: 2, norm: .batch, scales: scales, spectralNorm: spectralNorm,
            attention: false)
        var rng = SeededGenerator(seed: 31)
        let discriminator = MultiscaleDiscriminator(config, rng: &rng)
        NetworkGradientCheckTests.randomize(discriminator, seed: 32)
        discriminator.setComputesParameterGradients(false)
        // Spectral norm's power iteration runs in training forwards; evaluation keeps u and v,
        // so both passes see the same weights.
        discriminator.setTraining(false)
        let x = NetworkGradientCheckTests.input([2, 12, 72, 64], seed: 33)

        func inputGradient(from channel: Int) -> Tensor {
            discriminator.inputGradientStartChannel = channel
            let outputs = discriminator.forward(x)
            let seeds = outputs.enumerated().map { k, output in
                Tensor.randomNormal(output.prediction.shape, seed: 40 + UInt64(k))
            }
            return discriminator.backward(seeds)!.copy()
        }
        let full = inputGradient(from: 0)
        let part = inputGradient(from: start)
        #expect(full.shape == [2, 12, 72, 64])
        #expect(part.shape == [2, 12 - start, 72, 64])
        var worst: Float = 0
        let plane = 72 * 64
        for n in 0..<2 {
            for c in start..<12 {
                for i in 0..<plane {
                    let expected = full.data[(n * 12 + c) * plane + i]
                    let got = part.data[(n * (12 - start) + c - start) * plane + i]
                    worst = max(worst, abs(got - expected) / (1e-3 + abs(expected)))
                }
            }
        }
        #expect(worst < 1e-4, "largest relative difference \(worst)")
    }
}
