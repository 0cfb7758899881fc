/// Whole-tensor arithmetic used by layers, losses and the optimizer. Each runs on both cores
/// for large tensors.
public enum TensorMath {
    /// `out = a + b` (same shapes). `out` may alias `a` or `b`.
    public static func add(_ a: Tensor, _ b: Tensor, into out: Tensor) {
        precondition(a.count == b.count && a.count == out.count, "add: shapes \(a.shape), \(b.shape), \(out.shape)")
        let (pa, pb, po) = (UncheckedSendable(a.data), UncheckedSendable(b.data), UncheckedSendable(out.data))
        Parallel.forEachChunk(a.count) { r in for i in r { po.value[i] = pa.value[i] + pb.value[i] } }
    }

    /// `accumulator += x` (same element count).
    public static func accumulate(_ x: Tensor, into accumulator: Tensor) {
        add(accumulator, x, into: accumulator)
    }

    /// `out = a · s`. `out` may alias `a`.
    public static func scale(_ a: Tensor, by s: Float, into out: Tensor) {
        precondition(a.count == out.count, "scale: shapes \(a.shape), \(out.shape)")
        let (pa, po) = (UncheckedSendable(a.data), UncheckedSendable(out.data))
        Parallel.forEachChunk(a.count) { r in for i in r { po.value[i] = pa.value[i] * s } }
    }

    /// Sum of all elements, accumulated in Double.
    public static func sum(_ a: Tensor) -> Double {
        var total = 0.0
        for i in 0..<a.count { total += Double(a.data[i]) }
        return total
    }

    /// Σ a·b over all elements, accumulated in Double.
    public static func dot(_ a: Tensor, _ b: Tensor) -> Double {
        precondition(a.count == b.count, "dot: shapes \(a.shape), \(b.shape)")
        var total = 0.0
        for i in 0..<a.count { total += Double(a.data[i]) * Double(b.data[i]) }
        return total
    }

    /// Largest |a − b| over all elements.
    public static func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.count == b.count, "maxAbsDifference: shapes \(a.shape), \(b.shape)")
        var worst: Float = 0
        for i in 0..<a.count { worst = max(worst, abs(a.data[i] - b.data[i])) }
        return worst
    }

    /// True when every element is finite.
    public static func allFinite(_ a: Tensor) -> Bool {
        for i in 0..<a.count where !a.data[i].isFinite { return false }
        return true
    }
}

/// Channel concatenation of N×C×H×W tensors, the U-Net skip connection.
public enum ChannelConcat {
    /// `out[:, 0..<Ca] = a`, `out[:, Ca..<Ca+Cb] = b`.
    public static func forward(_ a: Tensor, _ b: Tensor, into out: Tensor) {
        let da = NCHW(a, op: "concat")
        let db = NCHW(b, op: "concat")
        precondition(
            da.n == db.n && da.h == db.h && da.w == db.w,
            "concat: shapes \(a.shape) and \(b.shape) differ outside channels")
        precondition(out.shape == [da.n, da.c + db.c, da.h, da.w], "concat: output shape \(out.shape)")
        let plane = da.plane
        for n in 0..<da.n {
            let dst = out.data + n * (da.c + db.c) * plane
            dst.update(from: a.data + n * da.c * plane, count: da.c * plane)
            (dst + da.c * plane).update(from: b.data + n * db.c * plane, count: db.c * plane)
        }
    }

    /// Splits a gradient of the concatenation into the parts for `a` (first `ca` channels)
    /// and `b`.
    public static func backward(_ dOut: Tensor, channelsA ca: Int, intoA da: Tensor, intoB db: Tensor) {
        let d = NCHW(dOut, op: "concat backward")
        let cb = d.c - ca
        precondition(
            da.count == d.n * ca * d.plane && db.count == d.n * cb * d.plane,
            "concat backward: gradient shapes \(da.shape), \(db.shape) for \(dOut.shape)")
        for n in 0..<d.n {
            let src = dOut.data + n * d.c * d.plane
            (da.data + n * ca * d.plane).update(from: src, count: ca * d.plane)
            (db.data + n * cb * d.plane).update(from: src + ca * d.plane, count: cb * d.plane)
        }
    }
}
