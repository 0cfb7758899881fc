/// Batch/channel transposes between the tensor layout N×C×L and the GEMM layout C×(N·L).
///
/// Convolutions over small planes compute all images of a batch in one GEMM whose columns
/// run over N·L; these copies move data between that layout and NCHW. For N = 1 the layouts
/// coincide and callers skip the copy. Over large planes a convolution runs one GEMM per
/// image instead (`gemmPerImage`), reading and writing each image's C×L block of the NCHW
/// tensor in place and its slice of the column matrix through the leading dimension.
public enum Layout {
    /// Output planes at least this large run one GEMM per image: the copies cost more there
    /// than the smaller GEMMs do (below it, a GEMM over few columns per image reads the whole
    /// weight matrix once for each image).
    public static let perImageMinimumPlane = 256

    /// Whether a convolution over `n` images with `plane` positions runs one GEMM per image.
    public static func gemmPerImage(n: Int, plane: Int) -> Bool { n > 1 && plane >= perImageMinimumPlane }

    /// `dst[c, n·L + l] = src[n, c, l]`.
    public static func batchToChannelMajor(
        _ src: UnsafePointer<Float>, n: Int, c: Int, plane: Int, into dst: UnsafeMutablePointer<Float>
    ) {
        Profiler.measure("batch/channel-major layout") {
            copyPlanes(n: n, c: c, plane: plane) { b, ch in
                (dst + ch * n * plane + b * plane).update(from: src + (b * c + ch) * plane, count: plane)
            }
        }
    }

    /// `dst[n, c, l] = src[c, n·L + l]`.
    public static func channelMajorToBatch(
        _ src: UnsafePointer<Float>, n: Int, c: Int, plane: Int, into dst: UnsafeMutablePointer<Float>
    ) {
        Profiler.measure("batch/channel-major layout") {
            copyPlanes(n: n, c: c, plane: plane) { b, ch in
                (dst + (b * c + ch) * plane).update(from: src + ch * n * plane + b * plane, count: plane)
            }
        }
    }

    /// Runs `copy(image, channel)` for every plane, the channels split over the workers.
    private static func copyPlanes(n: Int, c: Int, plane: Int, _ copy: (Int, Int) -> Void) {
        Parallel.forEachChunk(c, costPerItem: n * plane) { channels in
            for ch in channels {
                for b in 0..<n { copy(b, ch) }
            }
        }
    }
}
