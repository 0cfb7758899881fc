#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The environment variables that change how Tinct computes, read once at first use.
///
/// They exist so that the numerical tests can be run under other summation orders than this
/// machine's OpenBLAS kernel gives (`make test-numerics`): a tolerance that only holds for
/// one kernel then fails here, not on a newcomer's machine with another processor.
/// - `TINCT_GEMM=naive` computes every product with `NaiveGEMM` (sums in `Double`, one order)
///   instead of OpenBLAS; `TINCT_GEMM=naive-float-reversed` with `Float` sums taken in the
///   reverse order of `k` (a worse order than any blocked kernel).
/// - `TINCT_WORKERS=n` splits loops and products into `n` parts instead of one per core.
/// - `TINCT_BLAS_THREADS=n` lets OpenBLAS run its own `n` threads (see `GEMM`).
/// - `TINCT_INFERENCE_PRODUCTS=float32` keeps the convolutions of models that only infer (the
///   server's, `tinct colorize`'s) on float32 products where the CPU would run int16 ones
///   (`Int16Weights`); `int16`, the default, uses those wherever the CPU has AVX-512 VNNI.
public enum NumericsEnvironment {
    /// The value of `name`, or nil when it is unset or empty.
    static func value(_ name: String) -> String? {
        guard let raw = getenv(name) else { return nil }
        let text = String(cString: raw)
        return text.isEmpty ? nil : text
    }

    /// A positive integer from `name`; nil when unset. A value that is not one stops the
    /// process with a message naming the variable (a silently ignored setting would make a
    /// sensitivity run check nothing).
    static func positiveInteger(_ name: String) -> Int? {
        guard let text = value(name) else { return nil }
        guard let n = Int(text), n > 0 else { fatalError("\(name)=\(text): expected a positive integer") }
        return n
    }

    /// The product implementation chosen by `TINCT_GEMM`.
    public static let gemmBackend: GEMMBackend = {
        guard let text = value("TINCT_GEMM") else { return .blas }
        guard let backend = GEMMBackend(rawValue: text) else {
            fatalError("TINCT_GEMM=\(text): expected one of \(GEMMBackend.allCases.map(\.rawValue))")
        }
        return backend
    }()

    /// The products of inference chosen by `TINCT_INFERENCE_PRODUCTS`.
    public static let inferenceProducts: InferenceProducts = {
        guard let text = value("TINCT_INFERENCE_PRODUCTS") else { return .int16 }
        guard let products = InferenceProducts(rawValue: text) else {
            fatalError("TINCT_INFERENCE_PRODUCTS=\(text): expected one of \(InferenceProducts.allCases.map(\.rawValue))")
        }
        return products
    }()
}

/// The products a model that only infers multiplies its convolutions' weights with.
public enum InferenceProducts: String, CaseIterable, Sendable {
    /// 16-bit integer snapshots of the weights, where the CPU has AVX-512 VNNI (`Int16Weights`).
    case int16
    /// The float32 weights, as in training.
    case float32
}

/// How `GEMM.sgemm` computes a product.
public enum GEMMBackend: String, CaseIterable, Sendable {
    /// OpenBLAS's kernel for this processor (the only one used outside tests).
    case blas
    /// `NaiveGEMM`: plain loops, sums in `Double`.
    case naive
    /// `NaiveGEMM` with `Float` sums from the last `k` to the first.
    case naiveFloatReversed = "naive-float-reversed"
}
