import Foundation
import ImageCodecs

/// The picture an editor connection's previous request decoded, kept so that the next
/// request with new hints skips decoding — and dropped once the connection has been idle for
/// `idleTimeout`, so idle editor tabs do not each hold a decoded picture (about 46 MB at 16
/// megapixels). The connection keeps the picture's encoded bytes, so a request after the drop
/// simply decodes them again.
final class DecodedPictureCache: @unchecked Sendable {
    let idleTimeout: Duration
    private let lock = NSLock()
    private var entry: (version: Int, image: RGBImage)?
    private var lastUsed = ContinuousClock.now

    init(idleTimeout: Duration) { self.idleTimeout = idleTimeout }

    /// The decoded picture of `version`, if it is still kept.
    func image(version: Int) -> RGBImage? {
        lock.withLock {
            lastUsed = .now
            return entry?.version == version ? entry?.image : nil
        }
    }

    func keep(_ image: RGBImage, version: Int) {
        lock.withLock {
            entry = (version, image)
            lastUsed = .now
        }
    }

    /// Whether a decoded picture is kept now.
    var isHoldingPicture: Bool { lock.withLock { entry != nil } }

    /// Drops the picture if it has not been used for `idleTimeout`.
    func dropIfIdle() {
        lock.withLock { if ContinuousClock.now - lastUsed >= idleTimeout { entry = nil } }
    }

    /// Checks for idleness until cancelled (the connection's lifetime).
    func dropWhileIdle() async {
        let interval = min(idleTimeout, .seconds(10))
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            dropIfIdle()
        }
    }
}
