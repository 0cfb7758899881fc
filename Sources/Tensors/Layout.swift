/// Batch/channel transposes between the tensor layout N×C×L and the GEMM layout C×(N·L).
///
/// Convolutions compute all images of a batch in one GEMM whose columns run over N·L;
/// these copies move data between that layout and NCHW. For N = 1 the layouts coincide
/// and callers skip the copy.
public enum Layout {
    /// `dst[c, n·L + l] = src[n, c, l]`.
    public static func batchToChannelMajor(
        _ src: UnsafePointer<Float>, n: Int, c: Int, plane: Int, into dst: UnsafeMutablePointer<Float>
    ) {
        let s = UncheckedSendable(src)
        let d = UncheckedSendable(dst)
        Parallel.forEachChunk(c, costPerItem: n * plane) { channels in
            for ch in channels {
                for b in 0..<n {
                    (d.value + ch * n * plane + b * plane).update(from: s.value + (b * c + ch) * plane, count: plane)
                }
            }
        }
    }

    /// `dst[n, c, l] = src[c, n·L + l]`.
    public static func channelMajorToBatch(
        _ src: UnsafePointer<Float>, n: Int, c: Int, plane: Int, into dst: UnsafeMutablePointer<Float>
    ) {
        let s = UncheckedSendable(src)
        let d = UncheckedSendable(dst)
        Parallel.forEachChunk(c, costPerItem: n * plane) { channels in
            for ch in channels {
                for b in 0..<n {
                    (d.value + (b * c + ch) * plane).update(from: s.value + ch * n * plane + b * plane, count: plane)
                }
            }
        }
    }
}
