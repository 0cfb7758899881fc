import Foundation
import HTTPTypes
import Hummingbird

/// The bytes of request bodies the server holds for all clients together. Every request that
/// carries a body reserves what it may hold (its `Content-Length`, or the body limit when the
/// length is not declared) before its body is read, and gives it back when its answer is
/// written; a request that finds the budget spent is answered 503 at once, so many half-sent
/// uploads cannot add up to the machine's memory.
final class BodyBudget: @unchecked Sendable {
    /// Bytes all bodies together may hold.
    let capacity: Int
    private let lock = NSLock()
    private var reserved = 0

    init(capacity: Int) { self.capacity = capacity }

    /// Reserves `bytes`; false when that would exceed the capacity.
    func reserve(_ bytes: Int) -> Bool {
        lock.withLock {
            guard reserved + bytes <= capacity else { return false }
            reserved += bytes
            return true
        }
    }

    func release(_ bytes: Int) { lock.withLock { reserved -= bytes } }
}

/// Holds a `BodyBudget` reservation for each request with a body while it is handled.
struct BodyBudgetMiddleware<Context: RequestContext>: RouterMiddleware {
    let budget: BodyBudget
    /// The most one body may be (larger declared lengths are left to the routes' 413).
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let declared = request.headers[.contentLength].flatMap(Int.init)
        // GET, HEAD and the like without a declared body hold nothing.
        guard declared.map({ $0 > 0 }) ?? ![.get, .head, .options].contains(request.method) else {
            return try await next(request, context)
        }
        let bytes = min(declared ?? maxBodyBytes, maxBodyBytes)
        guard budget.reserve(bytes) else {
            throw APIError(
                .serviceUnavailable, "The server is receiving too many uploads at once; try again in a moment.", retryAfter: 1)
        }
        defer { budget.release(bytes) }
        return try await next(request, context)
    }
}
