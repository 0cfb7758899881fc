import CBLASKernels

/// The OpenBLAS kernel set this process runs (see Sources/CBLASKernels: when OpenBLAS falls
/// back to old kernels on a CPU it does not recognise, Tinct relaunches itself with the set
/// the CPU can run; `OPENBLAS_CORETYPE` in the environment wins unless `TINCT_BLAS_KERNELS=widest`).
public enum BLASKernels {
    /// OpenBLAS's name for the kernels in use ("SkylakeX", "Haswell", …).
    public static var name: String { tinct_blas_kernels().map { String(cString: $0) } ?? "unknown" }

    /// What OpenBLAS had picked by itself, when Tinct replaced it; nil otherwise.
    public static var replaced: String? { tinct_blas_kernels_replaced().map { String(cString: $0) } }

    /// The set Tinct chooses for this CPU when OpenBLAS picked an older one; nil without AVX.
    public static var bestForThisCPU: String? { tinct_blas_kernels_for_cpu().map { String(cString: $0) } }

    /// Whether kernel set `name` uses vector instructions at least as wide as `other`'s.
    public static func kernels(_ name: String, atLeast other: String) -> Bool { tinct_blas_kernels_at_least(name, other) != 0 }

    /// One line for logs: "OpenBLAS kernels: SkylakeX (in place of Prescott, for this CPU)",
    /// or, when OPENBLAS_CORETYPE holds this process to an older set than its CPU runs, how to
    /// lift that.
    public static var summary: String {
        if let replaced { return "OpenBLAS kernels: \(name) (in place of \(replaced), for this CPU)" }
        if let best = bestForThisCPU, !kernels(name, atLeast: best) {
            return "OpenBLAS kernels: \(name), as OPENBLAS_CORETYPE says; this CPU runs \(best) "
                + "(faster): set TINCT_BLAS_KERNELS=widest or unset OPENBLAS_CORETYPE to use them"
        }
        return "OpenBLAS kernels: \(name)"
    }
}
