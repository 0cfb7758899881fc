import CImageCodecs

/// Runs one shim call with a message buffer and turns a failing status into a typed error.
struct CodecCall {
    /// Which format a failure is reported against.
    let format: ImageFormat
    /// The limit a `TINCT_ERR_TOO_LARGE` refers to (decoders only).
    var maxPixels = 0

    private var message = [CChar](repeating: 0, count: Int(TINCT_MESSAGE_CAPACITY))

    init(format: ImageFormat, maxPixels: Int = 0) {
        self.format = format
        self.maxPixels = maxPixels
    }

    /// Calls `body` with the message buffer and its capacity, then throws on failure.
    /// `size` supplies the dimensions a size-related failure reports.
    mutating func run(
        size: () -> (width: Int, height: Int) = { (0, 0) },
        _ body: (UnsafeMutablePointer<CChar>, Int) -> tinct_status
    ) throws(ImageCodecError) {
        let status = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
        if status == TINCT_OK { return }
        throw error(for: status, size: size())
    }

    private func error(for status: tinct_status, size: (width: Int, height: Int)) -> ImageCodecError {
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        switch status {
        case TINCT_ERR_EMPTY: return .emptyData
        case TINCT_ERR_TRUNCATED: return .truncated(format, message: text)
        case TINCT_ERR_TOO_LARGE: return .tooLarge(width: size.width, height: size.height, maxPixels: maxPixels)
        case TINCT_ERR_ZERO_SIZE: return .zeroSize(width: size.width, height: size.height)
        case TINCT_ERR_OUT_OF_MEMORY: return .outOfMemory(message: text)
        case TINCT_ERR_UNSUPPORTED: return .unsupported(format, message: text)
        default: return .corrupt(format, message: text)
        }
    }
}
