/// The items of a global batch that one rank computes: `first ..< first + count` of
/// `globalCount`. Rank r of R takes the r-th equal part, so the ranks together see exactly
/// the batch one process would, item for item (the same pictures, augmentations and dropout
/// masks), and averaging their gradients gives that process's gradient.
public struct BatchSlice: Sendable, Equatable {
    public let first: Int
    public let count: Int
    public let globalCount: Int

    /// Rank `rank`'s part of a batch of `globalCount` split over `ranks`; nil unless
    /// `globalCount` is a positive multiple of `ranks` (unequal parts would weight the ranks'
    /// gradients unequally).
    public init?(rank: Int, ranks: Int, globalCount: Int) {
        guard ranks > 0, rank >= 0, rank < ranks, globalCount > 0, globalCount % ranks == 0 else { return nil }
        count = globalCount / ranks
        first = rank * count
        self.globalCount = globalCount
    }

    /// The whole batch (one rank).
    public init(whole globalCount: Int) {
        (first, count, self.globalCount) = (0, globalCount, globalCount)
    }

    /// Global slot indices of this rank's items.
    public var slots: Range<Int> { first..<(first + count) }
}
