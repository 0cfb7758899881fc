import ImageCodecs
import Tensors

/// One training or validation example at model resolution.
public struct ColorizationSample: Sendable {
    /// Network input planes, (inC, S, S) flattened.
    public var input: [Float]
    /// Network target planes, (outC, S, S) flattened.
    public var target: [Float]
    /// The ground-truth picture, S×S.
    public var truth: RGBImage
    /// The hints given to the network (model-resolution coordinates).
    public var hints: [ColorHint]
    /// Line art (lineart mode), 1 = paper.
    public var lines: FloatPlane?
    /// Line art: the regions and the hints spread over them, as the network was given them.
    public var guide: LineArtGuide?
}

/// Turns a stored picture into a sample: augmentation (random scale, crop and horizontal
/// flip, drawn once and applied to input and target alike), line extraction with a random
/// extractor (lineart), and simulated hints.
public struct SampleMaker: Sendable {
    public var mode: ModelMode
    public var size: Int
    public var hints: HintSimulation
    /// Line art: share of training samples whose white background is repainted
    /// (`ColoredBackground`); 0 leaves every sample as drawn.
    public var coloredBackgrounds: Float

    public init(mode: ModelMode, size: Int, hints: HintSimulation = HintSimulation(), coloredBackgrounds: Float = 0) {
        precondition(mode != .pix2pix, "SampleMaker handles lineart and photo; paired data goes through PairedSampleMaker")
        (self.mode, self.size, self.hints, self.coloredBackgrounds) = (mode, size, hints, coloredBackgrounds)
    }

    /// A training sample with random augmentation and a random hint count.
    public func training(_ image: RGBImage, rng: inout SeededGenerator) -> ColorizationSample {
        var truth = augmented(image, rng: &rng)
        // Checked before drawing, so runs without the option keep their random sequence.
        if mode == .lineart && coloredBackgrounds > 0 && rng.chance(coloredBackgrounds) {
            truth = ColoredBackground.repainted(truth, rng: &rng)
        }
        return encode(truth, hintCount: nil, rng: &rng)
    }

    /// A validation sample: no augmentation, exactly `hintCount` hints, fixed by `seed`.
    public func validation(_ image: RGBImage, hintCount: Int, seed: UInt64) -> ColorizationSample {
        var rng = SeededGenerator(seed: seed)
        let truth =
            mode == .lineart
            ? Letterbox(sourceWidth: image.width, sourceHeight: image.height, side: size).place(image)
            : centerCrop(image)
        return encode(truth, hintCount: hintCount, rng: &rng)
    }

    private func encode(_ truth: RGBImage, hintCount: Int?, rng: inout SeededGenerator) -> ColorizationSample {
        let plane = size * size
        var input = [Float](repeating: 0, count: ColorizationEncoding.inputChannels(mode) * plane)
        var target = [Float](repeating: 0, count: ColorizationEncoding.outputChannels(mode) * plane)
        switch mode {
        case .lineart:
            let lines = LineExtractor.random(rng: &rng).extract(from: truth)
            let simulated =
                hintCount.map { hints.simulateHints(count: $0, target: truth, lines: lines, rng: &rng) }
                ?? hints.simulateHints(target: truth, lines: lines, rng: &rng)
            let guide = LineArtGuide(lines: lines, hints: simulated.hints)
            let channels = ColorizationEncoding.inputChannels(mode)
            input.withUnsafeMutableBufferPointer {
                ColorizationEncoding.lineartInput(
                    lines: lines, hints: simulated.planes, fill: guide.fill, channels: channels,
                    into: $0.baseAddress!)
            }
            input.withUnsafeBufferPointer { x in
                target.withUnsafeMutableBufferPointer {
                    ColorizationEncoding.lineartTarget(truth: truth, input: x.baseAddress!, channels: channels, into: $0.baseAddress!)
                }
            }
            return ColorizationSample(input: input, target: target, truth: truth, hints: simulated.hints, lines: lines, guide: guide)
        case .photo, .pix2pix:
            let simulated =
                hintCount.map { hints.simulateHints(count: $0, target: truth, rng: &rng) }
                ?? hints.simulateHints(target: truth, rng: &rng)
            let lab = truth.labPlanes()
            let channels = ColorizationEncoding.inputChannels(mode)
            input.withUnsafeMutableBufferPointer {
                ColorizationEncoding.photoInput(lab: lab, hints: simulated.planes, channels: channels, into: $0.baseAddress!)
            }
            input.withUnsafeBufferPointer { x in
                target.withUnsafeMutableBufferPointer {
                    ColorizationEncoding.photoTarget(lab: lab, input: x.baseAddress!, channels: channels, into: $0.baseAddress!)
                }
            }
            return ColorizationSample(input: input, target: target, truth: truth, hints: simulated.hints, lines: nil, guide: nil)
        }
    }

    /// Line art: pad to a white square, scale to S·[1, 1.3], random crop S×S, random flip.
    /// Photos: a random square crop of 35–100% of the short side, scaled to S, random flip.
    private func augmented(_ image: RGBImage, rng: inout SeededGenerator) -> RGBImage {
        let cropped: RGBImage
        if mode == .lineart {
            let side = Int(Float(size) * (1 + 0.3 * rng.nextUniform()))
            let square = Letterbox(sourceWidth: image.width, sourceHeight: image.height, side: side).place(image)
            cropped = square.cropped(x: Int(rng.next() % UInt64(side - size + 1)), y: Int(rng.next() % UInt64(side - size + 1)), width: size, height: size)
        } else {
            let short = min(image.width, image.height)
            let side = max(1, Int(Float(short) * (0.35 + 0.65 * rng.nextUniform())))
            let x = Int(rng.next() % UInt64(image.width - side + 1))
            let y = Int(rng.next() % UInt64(image.height - side + 1))
            cropped = image.cropped(x: x, y: y, width: side, height: side).resized(width: size, height: size)
        }
        return rng.nextUniform() < 0.5 ? cropped.mirrored() : cropped
    }

    private func centerCrop(_ image: RGBImage) -> RGBImage {
        let short = min(image.width, image.height)
        return image.cropped(x: (image.width - short) / 2, y: (image.height - short) / 2, width: short, height: short).resized(width: size, height: size)
    }
}
