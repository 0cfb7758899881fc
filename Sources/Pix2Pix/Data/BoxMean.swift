import Tensors

/// Every pixel's mean over the `(2·radius + 1)²` window centred on it, cropped at the borders
/// (the divisor is the number of pixels actually inside), for the price of a few passes
/// whatever the radius: window sums along each row by a running sum, then window sums of
/// those down each column by a second running sum. Both sums run in Double, so adding the
/// entering value and taking away the leaving one over a 6000-pixel row loses nothing a
/// Float result would show. Rows, then blocks of columns, are shared out among the cores.
public enum BoxMean {
    /// The means of `plane`'s window around each pixel.
    public static func of(_ plane: FloatPlane, radius: Int) -> FloatPlane {
        var means = [Float](repeating: 0, count: plane.values.count)
        var rowSums = [Float](repeating: 0, count: plane.values.count)
        plane.values.withUnsafeBufferPointer { values in
            means.withUnsafeMutableBufferPointer { out in
                rowSums.withUnsafeMutableBufferPointer { scratch in
                    compute(
                        of: values.baseAddress!, width: plane.width, height: plane.height, radius: radius,
                        scratch: scratch.baseAddress!, into: out.baseAddress!)
                }
            }
        }
        return FloatPlane(width: plane.width, height: plane.height, values: means)
    }

    /// The window means of `values` (`width × height` pixels, row-major), or of the products
    /// values[i]·factors[i], into `means`; `scratch` holds `width × height` floats (the row sums).
    public static func compute(
        of values: UnsafePointer<Float>, times factors: UnsafePointer<Float>? = nil, width: Int, height: Int,
        radius: Int, scratch: UnsafeMutablePointer<Float>, into means: UnsafeMutablePointer<Float>
    ) {
        precondition(radius >= 0, "box radius must not be negative, got \(radius)")
        guard width > 0, height > 0 else { return }
        let (source, multipliers) = (UncheckedSendable(values), factors.map(UncheckedSendable.init))
        let (rows, out) = (UncheckedSendable(scratch), UncheckedSendable(means))
        Parallel.forEachChunk(height, costPerItem: width) { band in
            if let multipliers {
                sumAlongRows(band, width: width, radius: radius, into: rows.value) { source.value[$0] * multipliers.value[$0] }
            } else {
                sumAlongRows(band, width: width, radius: radius, into: rows.value) { source.value[$0] }
            }
        }
        Parallel.forEachChunk(width, costPerItem: height) { columns in
            sumDownColumns(columns, width: width, height: height, radius: radius, rows: rows.value, into: out.value)
        }
    }

    /// The window sums of rows `band` (each entry x the sum of `value` over columns
    /// max(x − r, 0) … min(x + r, W − 1) of its row) into `sums`, four rows at a time: each
    /// row's running sum is a chain of dependent additions, and four chains side by side keep
    /// the adder busy. Every row's sum is the same as alone.
    @inline(__always)
    private static func sumAlongRows(
        _ band: Range<Int>, width: Int, radius: Int, into sums: UnsafeMutablePointer<Float>, value: (Int) -> Float
    ) {
        var y = band.lowerBound
        while y < band.upperBound {
            let rowCount = min(4, band.upperBound - y)
            // Rows past the band's end repeat its last row; their sums are not stored.
            let starts = SIMD4<Int>((0..<4).map { (y + min($0, rowCount - 1)) * width })
            @inline(__always) func column(_ x: Int) -> SIMD4<Double> {
                SIMD4(
                    Double(value(starts[0] + x)), Double(value(starts[1] + x)), Double(value(starts[2] + x)),
                    Double(value(starts[3] + x)))
            }
            var sum = SIMD4<Double>.zero
            for x in 0..<min(radius, width) { sum += column(x) }
            for x in 0..<width {
                if x + radius < width { sum += column(x + radius) }
                if x - radius - 1 >= 0 { sum -= column(x - radius - 1) }
                for row in 0..<rowCount { sums[starts[row] + x] = Float(sum[row]) }
            }
            y += rowCount
        }
    }

    /// The means of `columns`, from the row sums: a running sum of them down each column,
    /// divided by the window's cropped size.
    private static func sumDownColumns(
        _ columns: Range<Int>, width: Int, height: Int, radius: Int, rows: UnsafePointer<Float>,
        into means: UnsafeMutablePointer<Float>
    ) {
        let (first, count) = (columns.lowerBound, columns.count)
        var sums = [Double](repeating: 0, count: count)
        var inverseWidths = [Double](repeating: 0, count: count)
        for index in 0..<count {
            let x = first + index
            inverseWidths[index] = 1 / Double(min(x + radius + 1, width) - max(x - radius, 0))
        }
        sums.withUnsafeMutableBufferPointer { sums in
            inverseWidths.withUnsafeBufferPointer { inverseWidths in
                for y in 0..<min(radius, height) {
                    let row = rows + y * width + first
                    for index in 0..<count { sums[index] += Double(row[index]) }
                }
                for y in 0..<height {
                    let inverseHeight = 1 / Double(min(y + radius + 1, height) - max(y - radius, 0))
                    let target = means + y * width + first
                    // The row entering the window below, and the one leaving it above, if any.
                    let entering = y + radius < height ? rows + (y + radius) * width + first : nil
                    let leaving = y - radius - 1 >= 0 ? rows + (y - radius - 1) * width + first : nil
                    switch (entering, leaving) {
                    case (let entering?, let leaving?):
                        for index in 0..<count {
                            sums[index] = (sums[index] + Double(entering[index])) - Double(leaving[index])
                            target[index] = Float(sums[index] * inverseWidths[index] * inverseHeight)
                        }
                    case (let entering?, nil):
                        for index in 0..<count {
                            sums[index] += Double(entering[index])
                            target[index] = Float(sums[index] * inverseWidths[index] * inverseHeight)
                        }
                    case (nil, let leaving?):
                        for index in 0..<count {
                            sums[index] -= Double(leaving[index])
                            target[index] = Float(sums[index] * inverseWidths[index] * inverseHeight)
                        }
                    case (nil, nil):
                        for index in 0..<count { target[index] = Float(sums[index] * inverseWidths[index] * inverseHeight) }
                    }
                }
            }
        }
    }
}
