/// Writing the server's own result failed. Kept apart from `ImageCodecError`, which for the
/// client's picture means "your picture is damaged" (400): this one is the server's fault (500).
struct ResultEncodingError: Error {
    let reason: String

    /// Runs `encode`, turning a codec failure into this error.
    static func encoding<T>(_ encode: () throws -> T) throws(ResultEncodingError) -> T {
        do {
            return try encode()
        } catch {
            throw ResultEncodingError(reason: "\(error)")
        }
    }

    var apiError: APIError { APIError(.internalServerError, "result: the server could not encode the result (\(reason))") }
}
