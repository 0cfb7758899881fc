/// Separable resampling of 8-bit interleaved images.
///
/// Each axis is handled on its own: shrinking averages the source area every output pixel
/// covers (a box filter with fractional edge weights, so no source pixel is skipped);
/// enlarging interpolates bilinearly between pixel centres (half-pixel aligned, edges
/// clamped). An axis whose size does not change is copied exactly.
enum Resampling {
    /// Source taps for every destination index along one axis.
    struct Taps {
        /// First source index contributing to destination `i`.
        var first: [Int] = []
        /// Offset of destination `i`'s weights in `weights`; `offset[i + 1]` ends them.
        var offset: [Int] = [0]
        /// Weights for consecutive source indices starting at `first[i]`; each run sums to 1.
        var weights: [Float] = []

        /// Taps mapping `source` samples onto `destination` samples.
        init(source: Int, destination: Int) {
            let scale = Double(source) / Double(destination)
            for index in 0..<destination {
                if destination < source {
                    addArea(index: index, scale: scale, source: source)
                } else {
                    addBilinear(index: index, scale: scale, source: source)
                }
            }
        }

        private mutating func addArea(index: Int, scale: Double, source: Int) {
            let low = Double(index) * scale
            let high = Double(index + 1) * scale
            let start = Int(low.rounded(.down))
            first.append(start)
            var position = start
            // The bound on `position` guards against `high` rounding a hair past the edge.
            while Double(position) < high && position < source {
                let covered = min(high, Double(position + 1)) - max(low, Double(position))
                weights.append(Float(covered / scale))
                position += 1
            }
            offset.append(weights.count)
        }

        private mutating func addBilinear(index: Int, scale: Double, source: Int) {
            let centre = min(max((Double(index) + 0.5) * scale - 0.5, 0), Double(source - 1))
            let left = Int(centre.rounded(.down))
            let fraction = Float(centre - Double(left))
            first.append(left)
            weights.append(1 - fraction)
            if left + 1 < source {
                weights.append(fraction)
            }
            offset.append(weights.count)
        }
    }

    /// Resamples `pixels` (`width × height × channels`, interleaved) to the new size.
    static func resample(
        _ pixels: [UInt8], width: Int, height: Int, channels: Int, toWidth newWidth: Int, height newHeight: Int
    ) -> [UInt8] {
        precondition(newWidth > 0 && newHeight > 0, "cannot resize to \(newWidth)x\(newHeight)")
        precondition(width > 0 && height > 0, "cannot resize an empty \(width)x\(height) image")
        if newWidth == width && newHeight == height { return pixels }

        // Horizontal pass: (height, newWidth, channels) in Float, so rounding happens once.
        let across = Taps(source: width, destination: newWidth)
        var rows = [Float](repeating: 0, count: height * newWidth * channels)
        pixels.withUnsafeBufferPointer { source in
            rows.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let sourceRow = y * width * channels
                    let targetRow = y * newWidth * channels
                    for x in 0..<newWidth {
                        let first = across.first[x]
                        for tap in across.offset[x]..<across.offset[x + 1] {
                            let weight = across.weights[tap]
                            let from = sourceRow + (first + tap - across.offset[x]) * channels
                            for channel in 0..<channels {
                                target[targetRow + x * channels + channel] += weight * Float(source[from + channel])
                            }
                        }
                    }
                }
            }
        }

        // Vertical pass: combine whole rows, then round to bytes.
        let down = Taps(source: height, destination: newHeight)
        let rowLength = newWidth * channels
        return [UInt8](unsafeUninitializedCapacity: newHeight * rowLength) { output, initialized in
            rows.withUnsafeBufferPointer { source in
                var sum = [Float](repeating: 0, count: rowLength)
                for y in 0..<newHeight {
                    for index in 0..<rowLength { sum[index] = 0 }
                    let first = down.first[y]
                    for tap in down.offset[y]..<down.offset[y + 1] {
                        let weight = down.weights[tap]
                        let from = (first + tap - down.offset[y]) * rowLength
                        for index in 0..<rowLength {
                            sum[index] += weight * source[from + index]
                        }
                    }
                    for index in 0..<rowLength {
                        output[y * rowLength + index] = UInt8(min(max(sum[index].rounded(), 0), 255))
                    }
                }
            }
            initialized = newHeight * rowLength
        }
    }
}

extension RGBImage {
    /// This image at a new size: area averaging along an axis that shrinks, bilinear
    /// interpolation along one that grows. Both sizes must be positive.
    public func resized(width newWidth: Int, height newHeight: Int) -> RGBImage {
        RGBImage(
            width: newWidth, height: newHeight,
            pixels: Resampling.resample(
                pixels, width: width, height: height, channels: RGBImage.channels,
                toWidth: newWidth, height: newHeight))
    }
}

extension GrayImage {
    /// This image at a new size, resampled like `RGBImage.resized(width:height:)`.
    public func resized(width newWidth: Int, height newHeight: Int) -> GrayImage {
        GrayImage(
            width: newWidth, height: newHeight,
            pixels: Resampling.resample(
                pixels, width: width, height: height, channels: 1, toWidth: newWidth, height: newHeight))
    }
}
