extension SRGB {
    /// The definition `CodeSteps.byte(ofLinear:)` follows: the encoded value times 255, clamped to
    /// 0…255 and rounded half away from zero; 0 for a value that is not finite.
    static func directByte(ofLinear value: Float) -> UInt8 {
        let encodedValue = encoded(value)
        guard encodedValue.isFinite else { return 0 }
        return UInt8(min(max(encodedValue * 255, 0), 255).rounded())
    }
}

/// Where `SRGB.directByte(ofLinear:)` steps up, found once by bisection over the Floats with
/// the definition itself; the code only rises with the value, so looking a value up among
/// these steps gives the definition's answer for every Float.
struct CodeSteps: Sendable {
    /// thresholds[c]: the least Float whose code is c or more (c = 1…255; entry 0 unused).
    let thresholds: [Float]
    /// The code at the start of each bucket (Floats sharing their bits above `bucketShift`)
    /// from the one holding thresholds[1] to the one holding 1.
    let codeAtBucketStart: [UInt8]
    /// The bucket of thresholds[1].
    let firstBucket: Int
    /// Floats in a bucket share every bit above this one: 2⁸ buckets per power of two, where a
    /// bucket spans at most a few codes.
    static let bucketShift: UInt32 = 15

    static let shared = CodeSteps()

    /// The 8-bit code of a linear-light channel: `SRGB.encoded` scaled to 0…255, clamped and
    /// rounded, 0 where the value is not finite — `SRGB.directByte(ofLinear:)` without a power.
    /// The answer is the number of the 255 steps that `value` reaches: a bucket of its Float
    /// bits gives the code at the bucket's start, and the few steps inside the bucket are
    /// compared one by one.
    func byte(ofLinear value: Float) -> UInt8 {
        guard value.isFinite, value >= thresholds[1] else { return 0 }
        guard value < 1 else { return 255 }
        var code = Int(codeAtBucketStart[Int(value.bitPattern >> Self.bucketShift) - firstBucket])
        while code < 255 && value >= thresholds[code + 1] { code += 1 }
        return UInt8(code)
    }

    private init() {
        var thresholds = [Float](repeating: 0, count: 256)
        for code in 1...255 {
            // The least bit pattern in [0, 1] whose code reaches `code`.
            var (low, high) = (Float(0).bitPattern, Float(1).bitPattern)
            while low < high {
                let middle = low + (high - low) / 2
                if Int(SRGB.directByte(ofLinear: Float(bitPattern: middle))) >= code { high = middle } else { low = middle + 1 }
            }
            thresholds[code] = Float(bitPattern: low)
        }
        let first = Int(thresholds[1].bitPattern >> Self.bucketShift)
        let last = Int(Float(1).bitPattern >> Self.bucketShift)
        codeAtBucketStart = (first...last).map { bucket in
            let start = max(Float(bitPattern: UInt32(bucket) << Self.bucketShift), thresholds[1])
            return SRGB.directByte(ofLinear: start)
        }
        (self.thresholds, firstBucket) = (thresholds, first)
    }
}
