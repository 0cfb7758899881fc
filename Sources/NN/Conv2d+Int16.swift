import Synchronization
import Tensors

/// A convolution of a model that only infers, multiplying by a 16-bit snapshot of its weights
/// (`Int16Weights`, on CPUs with AVX-512 VNNI; see `Module.useInt16Products`).
extension Conv2d: Int16ProductSelection {
    public func useInt16Products(_ on: Bool) {
        let depth = weight.value.count / outChannels  // C·KH·KW
        int16Weights =
            on && Int16Weights.available && outChannels > 1
            ? Int16Weights(weight.value.data, transposed: false, rows: outChannels, depth: depth, lda: depth) : nil
        if int16Weights == nil { columnPairs = [] }
    }

    /// y's blocks (`target`) for a stride-2 convolution with an even kernel: the column matrix
    /// written straight as the int16 product's quantized pairs of rows (`Im2Col.im2colInt16`,
    /// half the bytes of the float matrix, no conversion in the product). False where that does
    /// not apply or a product did not run; the caller then computes every block again from the
    /// float column matrix.
    func forwardOnColumnPairs(
        _ x: Tensor, _ g: ConvGeometry, _ weights: Int16Weights, _ largestInput: Float, into target: Tensor
    ) -> Bool {
        guard g.stride == 2, g.kw % 2 == 0, g.kh * g.kw % 2 == 0 else { return false }
        let count = g.patchSize / 2 * g.columns
        if columnPairs.count < count { columnPairs = [Int32](repeating: 0, count: count) }
        return columnPairs.withUnsafeMutableBufferPointer { buffer in
            let pairs = buffer.baseAddress!
            Im2Col.im2colInt16(x.data, g, largest: largestInput, into: pairs)
            let failed = Atomic<Bool>(false)  // blocks of several images run on both cores
            ImageBlock.forEach(ImageBlock.blocks(n: g.n, channels: outChannels, plane: g.outPlane)) { block, splits in
                let out = target.data + block.offset
                prefillBias(out, block)
                let done = GEMM.int16Product(
                    weights, n: block.count, pairsOfB: pairs + block.firstColumn, ldb: g.columns,
                    largestInB: largestInput, addingToC: bias != nil, c: out, ldc: block.rowStride,
                    splitAcrossCores: splits)
                if !done { failed.store(true, ordering: .relaxed) }
            }
            return !failed.load(ordering: .relaxed)
        }
    }
}
