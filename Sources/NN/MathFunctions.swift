#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

// libm entry points under names that do not collide with Swift's own overloads.
@usableFromInline func _tanh(_ x: Double) -> Double { tanh(x) }
@usableFromInline func _exp(_ x: Double) -> Double { exp(x) }
@usableFromInline func _log1p(_ x: Double) -> Double { log1p(x) }
@usableFromInline func _expf(_ x: Float) -> Float { expf(x) }
