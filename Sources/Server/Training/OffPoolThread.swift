import Foundation

/// Blocking file work (reading a long event log, listing runs, exporting a model) run on a
/// fresh OS thread, so it never holds one of the cooperative pool's few threads (two here).
enum OffPoolThread {
    /// Runs `body` on a new thread named `name` and returns its result.
    static func run<T: Sendable>(named name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
            thread.name = name
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

extension TrainingService {
    /// `OffPoolThread.run` under its former name, for callers not yet moved (dataset uploads).
    static func onThread<T: Sendable>(named name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await OffPoolThread.run(named: name, body)
    }
}
