import ImageCodecs

/// One channel of Float samples, row-major, top row first: the working form of line art,
/// luminance and masks before they become tensors.
///
/// Line art uses the convention 1 = white paper, 0 = ink.
public struct FloatPlane: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Samples, row-major; `count == width * height`.
    public var values: [Float]

    /// Wraps existing samples. `values.count` must equal `width * height`.
    public init(width: Int, height: Int, values: [Float]) {
        precondition(width >= 0 && height >= 0, "negative plane size \(width)x\(height)")
        precondition(
            values.count == width * height, "\(width)x\(height) plane needs \(width * height) values, got \(values.count)")
        self.width = width
        self.height = height
        self.values = values
    }

    /// A plane filled with one value.
    public init(width: Int, height: Int, repeating value: Float) {
        self.init(width: width, height: height, values: [Float](repeating: value, count: width * height))
    }

    /// Gray bytes scaled to [0, 1].
    public init(_ gray: GrayImage) {
        self.init(width: gray.width, height: gray.height, values: gray.pixels.map { Float($0) / 255 })
    }

    /// Luma of a colour image in [0, 1] with the Rec. 601 weights (as `GrayImage(_:)` uses),
    /// computed in Float so no precision is lost before filtering.
    public init(luminanceOf image: RGBImage) {
        var values = [Float](repeating: 0, count: image.pixelCount)
        image.pixels.withUnsafeBufferPointer { rgb in
            for index in values.indices {
                let r = Float(rgb[3 * index])
                let g = Float(rgb[3 * index + 1])
                let b = Float(rgb[3 * index + 2])
                values[index] = (0.299 * r + 0.587 * g + 0.114 * b) / 255
            }
        }
        self.init(width: image.width, height: image.height, values: values)
    }

    /// The sample at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> Float {
        get { values[y * width + x] }
        set { values[y * width + x] = newValue }
    }

    /// Fraction of samples below `threshold` (for line art: the ink coverage).
    public func fraction(below threshold: Float) -> Double {
        guard !values.isEmpty else { return 0 }
        return Double(values.lazy.filter { $0 < threshold }.count) / Double(values.count)
    }
}

extension GrayImage {
    /// Bytes from a plane in [0, 1], clamping and rounding.
    public init(_ plane: FloatPlane) {
        let pixels = plane.values.map { value -> UInt8 in
            guard value.isFinite else { return 0 }
            return UInt8((min(max(value, 0), 1) * 255).rounded())
        }
        self.init(width: plane.width, height: plane.height, pixels: pixels)
    }
}
