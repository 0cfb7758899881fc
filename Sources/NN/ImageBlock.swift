import Tensors

/// How a convolution's GEMMs walk a batch: one block per image over large planes, where the
/// image's C×L block of the NCHW tensor is used in place (`Layout.gemmPerImage`), else one
/// block over the whole batch in the channel-major scratch (C×N·L; the tensor itself when
/// N = 1). Each block covers `count` columns of the column matrix from `firstColumn`.
struct ImageBlock {
    /// Offset of the block's first element in the tensor (or in the channel-major scratch).
    let offset: Int
    /// Row stride of the block: L per image, N·L over the whole batch.
    let rowStride: Int
    let firstColumn: Int
    let count: Int

    /// The blocks of `n` images of `channels` × `plane` values.
    static func blocks(n: Int, channels: Int, plane: Int) -> [ImageBlock] {
        guard Layout.gemmPerImage(n: n, plane: plane) else {
            return [ImageBlock(offset: 0, rowStride: n * plane, firstColumn: 0, count: n * plane)]
        }
        return (0..<n).map { ImageBlock(offset: $0 * channels * plane, rowStride: plane, firstColumn: $0 * plane, count: plane) }
    }

    /// Runs `body(block, splitsProducts)` for every block. Blocks of several images are
    /// shared out among the cores, each core's products then staying on it (`splitsProducts`
    /// false): one hand-off per layer instead of one per product. A single block runs here,
    /// its products split across the cores.
    static func forEach(_ blocks: [ImageBlock], _ body: (ImageBlock, _ splitsProducts: Bool) -> Void) {
        guard blocks.count > 1 else {
            for block in blocks { body(block, true) }
            return
        }
        Parallel.forEachChunk(blocks.count, costPerItem: Parallel.alwaysShared) { range in
            for index in range { body(blocks[index], false) }
        }
    }

    /// Whether blocks over `n` images need the channel-major scratch and its layout copies.
    static func needChannelMajor(n: Int, plane: Int) -> Bool { n > 1 && !Layout.gemmPerImage(n: n, plane: plane) }
}
