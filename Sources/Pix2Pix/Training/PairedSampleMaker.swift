import ImageCodecs
import Tensors

/// pix2pix's `resize_and_crop` + flip for one pair: both pictures are resized to
/// `loadSide`×`loadSide`, then cut by one crop and one flip decision drawn once per pair,
/// so input and target stay aligned pixel for pixel (pix2pix `base_dataset.get_params`).
public struct PairAugmentation: Sendable, Equatable {
    /// Top-left corner of the S×S crop in the loadSide square.
    public var x: Int, y: Int
    public var flip: Bool

    public init(x: Int, y: Int, flip: Bool) {
        (self.x, self.y, self.flip) = (x, y, flip)
    }

    /// One draw: crop corner uniform over the valid positions, flip with probability ½.
    public static func draw(loadSide: Int, size: Int, rng: inout SeededGenerator) -> PairAugmentation {
        let positions = UInt64(loadSide - size + 1)
        let x = Int(rng.next() % positions)
        let y = Int(rng.next() % positions)
        return PairAugmentation(x: x, y: y, flip: rng.nextUniform() < 0.5)
    }

    /// The augmented S×S picture.
    public func apply(_ image: RGBImage, loadSide: Int, size: Int) -> RGBImage {
        let cropped = image.resized(width: loadSide, height: loadSide).cropped(x: x, y: y, width: size, height: size)
        return flip ? cropped.mirrored() : cropped
    }
}

/// One paired example at model resolution.
public struct PairedSample: Sendable {
    /// Network input planes, (3, S, S) RGB in [−1, 1].
    public var input: [Float]
    /// Network target planes, (3, S, S) RGB in [−1, 1].
    public var target: [Float]
    /// The pictures those planes encode, S×S.
    public var inputImage: RGBImage
    public var targetImage: RGBImage
}

/// Turns a stored pair into a sample: training samples are augmented (`PairAugmentation`),
/// validation samples are both sides resized to S×S — what `tinct colorize` does with a
/// pix2pix model, so validation scores what users get.
public struct PairedSampleMaker: Sendable {
    public var size: Int
    /// Side both pictures are resized to before the random crop (pix2pix `load_size`).
    public var loadSide: Int

    public init(size: Int, loadSide: Int) {
        precondition(loadSide >= size, "PairedSampleMaker: loadSide \(loadSide) is smaller than the crop \(size)")
        (self.size, self.loadSide) = (size, loadSide)
    }

    /// pix2pix's default load size for a crop of `size` (286 for 256).
    public static func defaultLoadSide(size: Int) -> Int { Int((Double(size) * 286 / 256).rounded()) }

    public func training(_ pair: ImagePair, rng: inout SeededGenerator) -> PairedSample {
        let augmentation = PairAugmentation.draw(loadSide: loadSide, size: size, rng: &rng)
        return encode(
            input: augmentation.apply(pair.input, loadSide: loadSide, size: size),
            target: augmentation.apply(pair.target, loadSide: loadSide, size: size))
    }

    public func validation(_ pair: ImagePair) -> PairedSample {
        encode(input: pair.input.resized(width: size, height: size), target: pair.target.resized(width: size, height: size))
    }

    private func encode(input: RGBImage, target: RGBImage) -> PairedSample {
        let plane = size * size
        var inputPlanes = [Float](repeating: 0, count: 3 * plane)
        var targetPlanes = inputPlanes
        inputPlanes.withUnsafeMutableBufferPointer { ColorizationEncoding.rgbPlanes(input, into: $0.baseAddress!) }
        targetPlanes.withUnsafeMutableBufferPointer { ColorizationEncoding.rgbPlanes(target, into: $0.baseAddress!) }
        return PairedSample(input: inputPlanes, target: targetPlanes, inputImage: input, targetImage: target)
    }
}
