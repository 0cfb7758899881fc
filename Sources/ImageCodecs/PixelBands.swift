import Dispatch
import Foundation

/// Per-pixel loops over every core: the pixels split into contiguous bands, one or more per
/// core, each band handed to `body` once. Small pictures stay on the calling thread, where the
/// hand-off would cost more than the work.
enum PixelBands {
    /// Pixels below which a loop is not shared out.
    static let minimumSharedPixels = 1 << 16

    static func forEach(_ count: Int, _ body: (Range<Int>) -> Void) {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, count >= minimumSharedPixels else {
            if count > 0 { body(0..<count) }
            return
        }
        let bands = min(cores, count / (minimumSharedPixels / 2))
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedBody(body: body)
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                shared.body((count * band / bands)..<(count * (band + 1) / bands))
            }
        }
    }
}

/// A loop body the bands share; each call touches its own band.
private struct UncheckedBody: @unchecked Sendable {
    let body: (Range<Int>) -> Void
}

/// A pointer handed to the cores of a `PixelBands` loop, each touching its own band.
struct UncheckedPointer<Pointee>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Pointee>

    init(_ pointer: UnsafeMutablePointer<Pointee>) { self.pointer = pointer }
    init(_ pointer: UnsafePointer<Pointee>) { self.pointer = UnsafeMutablePointer(mutating: pointer) }
}
