import NN

/// Normalization used inside the networks (pix2pix `--norm`).
public enum NormKind: String, Codable, Sendable, CaseIterable {
    case batch
    case instance
}

/// U-Net generator architecture (pix2pix `unet_256`-style), the paper's names kept:
/// `ngf` filters in the outermost layer, doubling to at most 8·ngf.
public struct GeneratorConfig: Codable, Sendable, Equatable {
    public var inputChannels: Int
    public var outputChannels: Int
    public var ngf: Int
    /// Number of stride-2 downsamplings; the input side must be divisible by 2^downsamplings.
    public var downsamplings: Int
    public var norm: NormKind
    /// Dropout 0.5 in the inner decoder blocks (the `downsamplings − 5` blocks next to the
    /// innermost), as pix2pix.
    public var dropout: Bool
    /// Depths (0 = outermost block) after whose decoder a SAGAN self-attention block sits.
    public var attentionDepths: [Int]

    public init(
        inputChannels: Int = 3, outputChannels: Int = 3, ngf: Int = 64, downsamplings: Int = 8,
        norm: NormKind = .batch, dropout: Bool = true, attentionDepths: [Int] = []
    ) {
        precondition(downsamplings >= 5, "GeneratorConfig: a U-Net needs at least 5 downsamplings, got \(downsamplings)")
        (self.inputChannels, self.outputChannels, self.ngf, self.downsamplings) = (inputChannels, outputChannels, ngf, downsamplings)
        (self.norm, self.dropout, self.attentionDepths) = (norm, dropout, attentionDepths)
    }
}

/// PatchGAN discriminator architecture (pix2pix `basic` = 70×70 with nLayers 3), optionally
/// multi-scale (pix2pixHD), spectrally normalized and with self-attention (SAGAN).
public struct DiscriminatorConfig: Codable, Sendable, Equatable {
    public var inputChannels: Int
    public var ndf: Int
    public var nLayers: Int
    public var norm: NormKind
    /// Number of discriminators, each on an input average-pooled once more than the last
    /// (pix2pixHD `num_D`; any number, for inputs of at least `smallestInputSide`).
    public var scales: Int
    public var spectralNorm: Bool
    /// Put a self-attention block after the second stage of each discriminator.
    public var attention: Bool

    public init(
        inputChannels: Int = 6, ndf: Int = 64, nLayers: Int = 3, norm: NormKind = .batch,
        scales: Int = 1, spectralNorm: Bool = false, attention: Bool = false
    ) {
        precondition(scales >= 1, "DiscriminatorConfig: at least 1 scale, got \(scales)")
        precondition(nLayers >= 1, "DiscriminatorConfig: nLayers must be at least 1")
        (self.inputChannels, self.ndf, self.nLayers, self.norm) = (inputChannels, ndf, nLayers, norm)
        (self.scales, self.spectralNorm, self.attention) = (scales, spectralNorm, attention)
    }
}

extension DiscriminatorConfig {
    /// The smallest input side every scale can judge (a smaller one leaves the coarsest scale
    /// an empty prediction, and its mean loss NaN; training options can refuse such sizes
    /// with it). A PatchGAN maps a side s to
    /// ⌊s/2^nLayers⌋ − 2 logits (nLayers stride-2 convolutions, then two 4×4 stride-1 ones), so
    /// it needs s ≥ 3·2^nLayers; each pooling (3, stride 2, padding 1) maps s to ⌈s/2⌉, so the
    /// input to scale k is that size after k poolings when s > (3·2^nLayers − 1)·2^k.
    public var smallestInputSide: Int { (((3 << nLayers) - 1) << (scales - 1)) + 1 }
}

extension NormKind {
    /// A normalization layer for `channels`, or nil when none is used.
    func makeLayer(channels: Int) -> any Layer {
        switch self {
        case .batch: BatchNorm2d(channels)
        case .instance: InstanceNorm2d()
        }
    }

    /// pix2pix gives convolutions a bias only when the following norm has no affine shift.
    var convolutionsNeedBias: Bool { self == .instance }
}
