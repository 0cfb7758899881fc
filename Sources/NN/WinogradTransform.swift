/// Winograd's minimal filtering F(m×m, 4×4) (Lavin & Gray 2016, "Fast Algorithms for
/// Convolutional Neural Networks"): an m×m tile of a stride-1 4×4 correlation from one α×α
/// window of the input (α = m + 3) as
///
///     Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
///
/// with α² products per tile instead of 16·m². Over many channels the elementwise product
/// becomes α² independent matrix products (`WinogradConvolution`), the transforms products by
/// the Kronecker matrices below. The matrices come from the Toom–Cook points listed with each
/// (Aᵀ and G evaluate at them, Bᵀ is what makes the identity exact);
/// `scripts/winograd_matrices.py` derives them, and the tests check the identity.
public struct WinogradTransform: Sendable {
    /// m: the output tile's side.
    public let outputTile: Int
    /// α = m + 3: the input window's side.
    public let window: Int
    /// (α², α²): Bᵀ ⊗ Bᵀ, window (row-major α×α) → transformed window.
    public let inputKron: [Float]
    /// (α², 16): G ⊗ G, 4×4 kernel → transformed kernel.
    public let weightKron: [Float]
    /// (m², α²): Aᵀ ⊗ Aᵀ, transformed product → output tile.
    public let outputKron: [Float]

    /// Aᵀ (m×α), G (α×4), Bᵀ (α×α).
    init(aT: [[Double]], g: [[Double]], bT: [[Double]]) {
        outputTile = aT.count
        window = bT.count
        precondition(window == outputTile + 3 && g.count == window && g.allSatisfy { $0.count == 4 })
        inputKron = Self.kronecker(bT)
        weightKron = Self.kronecker(g)
        outputKron = Self.kronecker(aT)
    }

    /// M ⊗ M of a p×q matrix, (p², q²): entry ((u·p + v), (i·q + j)) = M[u][i] · M[v][j].
    private static func kronecker(_ m: [[Double]]) -> [Float] {
        let p = m.count
        let q = m[0].count
        var out = [Float](repeating: 0, count: p * p * q * q)
        for u in 0..<p {
            for v in 0..<p {
                for i in 0..<q {
                    for j in 0..<q { out[(u * p + v) * q * q + i * q + j] = Float(m[u][i] * m[v][j]) }
                }
            }
        }
        return out
    }

    /// F(2×2, 4×4) at the points 0, 1, −1, ½ and ∞: 25 products for 64 (2.56× fewer).
    public static let twoByTwo = WinogradTransform(
        aT: [
            [1, 1, 1, 1, 0],
            [0, 1, -1, 0.5, 1]
        ],
        g: [
            [2, 0, 0, 0],
            [1, 1, 1, 1],
            [-1.0 / 3, 1.0 / 3, -1.0 / 3, 1.0 / 3],
            [-8.0 / 3, -4.0 / 3, -2.0 / 3, -1.0 / 3],
            [0, 0, 0, 1]
        ],
        bT: [
            [0.5, -1, -0.5, 1, 0],
            [0, -0.5, 0.5, 1, 0],
            [0, 0.5, -1.5, 1, 0],
            [0, -1, 0, 1, 0],
            [0, 0.5, -1, -0.5, 1]
        ])

    /// F(3×3, 4×4) at the points 0, 1, −1, 2, −2 and ∞: 36 products for 144 (4× fewer).
    public static let threeByThree = WinogradTransform(
        aT: [
            [1, 1, 1, 1, 1, 0],
            [0, 1, -1, 2, -2, 0],
            [0, 1, 1, 4, 4, 1]
        ],
        g: [
            [0.25, 0, 0, 0],
            [-1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6],
            [-1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6],
            [1.0 / 24, 1.0 / 12, 1.0 / 6, 1.0 / 3],
            [1.0 / 24, -1.0 / 12, 1.0 / 6, -1.0 / 3],
            [0, 0, 0, 1]
        ],
        bT: [
            [4, 0, -5, 0, 1, 0],
            [0, -4, -4, 1, 1, 0],
            [0, 4, -4, -1, 1, 0],
            [0, -2, -1, 2, 1, 0],
            [0, 2, -1, -2, 1, 0],
            [0, 4, 0, -5, 0, 1]
        ])
}
