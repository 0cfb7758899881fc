/// The ranks of a data-parallel job, as the layers and optimizers that synchronize see them.
///
/// Every rank must make the same calls in the same order (they are collective): a rank that
/// calls alone waits for the others forever. `MPICommunicator` is the one implementation
/// that spans processes; a job of one rank needs none (the layers then skip synchronization).
public protocol Collective: AnyObject {
    /// This process's index, 0 ..< `size`; rank 0 is the one that writes files.
    var rank: Int { get }
    /// The number of ranks.
    var size: Int { get }
    /// Replaces each of the `count` values with its sum over all ranks.
    func sum(_ values: UnsafeMutablePointer<Float>, count: Int)
    /// Replaces each of the `count` values with its sum over all ranks.
    func sum(_ values: UnsafeMutablePointer<Double>, count: Int)
}

extension Collective {
    /// Sums over all ranks of an array of doubles (small vectors: statistics, losses, flags).
    public func sum(_ values: [Double]) -> [Double] {
        var result = values
        result.withUnsafeMutableBufferPointer { sum($0.baseAddress!, count: $0.count) }
        return result
    }
}
