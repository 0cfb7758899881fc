import CVectorLoops

/// The elementwise loops written in C and compiled once per vector level (Sources/CVectorLoops).
public enum VectorLoops {
    /// The level the loader bound on this CPU: "avx512", "avx2" or "baseline".
    public static var level: String { String(cString: tinct_vector_loops_level()) }
}
