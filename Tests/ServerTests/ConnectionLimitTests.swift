import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

#if canImport(Glibc)
    import Glibc
#endif

/// What a client can make the server hold by connecting and not finishing, over real sockets.
@Suite("Connections and held request bodies", .serialized)
struct ConnectionLimitTests {
    static func configuration(
        maxConnections: Int = 64, bodyBudget: Int = 3 << 20, idleTimeout: Duration = .seconds(1)
    ) -> ServerConfiguration {
        var configuration = TestConfiguration.server()
        configuration.limits.maxBodyBytes = 1 << 20
        configuration.connections = ConnectionLimits(
            maxConnections: maxConnections, idleTimeout: idleTimeout, maxBufferedBodyBytes: bodyBudget)
        return configuration
    }

    static func stalledUpload(port: Int, length: Int = 1_000_000) throws -> RawHTTPClient.Connection {
        let connection = try RawHTTPClient.Connection(port: port)
        connection.send(
            "POST /api/colorize HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(length)\r\n\r\n{\"image\":\"" + String(repeating: "A", count: 1000))
        return connection
    }

    @Test("Stalled uploads hold at most the body budget (503 beyond it) and are closed after the idle timeout")
    func stalledBodies() async throws {
        let app = try await buildApplication(configuration: Self.configuration(idleTimeout: .seconds(30)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            // Six 1 MB uploads that stop after 1 kB, all at once: three fit the 3 MiB budget and
            // are held, the other three are refused with 503 before their bodies are read. The
            // count, not the order or the timing, is the behaviour: every answer is awaited for
            // 20 s at the same time, so a refusal sent late by a machine busy with the other
            // suites (their CPU-bound tests can hold the cooperative pool for seconds) still
            // counts, while the held uploads stay silent until the 30 s idle timeout.
            let uploads = try (0..<6).map { _ in try Self.stalledUpload(port: port) }
            let answers = try await withThrowingTaskGroup(of: (Int, Int?).self) { group in
                for (index, upload) in uploads.enumerated() {
                    group.addTask { (index, try await upload.status(within: 20)) }
                }
                var answers = [Int?](repeating: nil, count: uploads.count)
                for try await (index, status) in group { answers[index] = status }
                return answers
            }
            #expect(answers.filter { $0 == 503 }.count == 3, "answers to six stalled uploads: \(answers)")
            #expect(answers.filter { $0 == nil }.count == 3, "held uploads get no answer before the idle timeout: \(answers)")
            // The server closes the held ones after 30 s of silence, freeing what they held.
            for (upload, answer) in zip(uploads, answers) where answer == nil {
                #expect(try await upload.closedByServer(within: 25))
            }
            let after = try Self.stalledUpload(port: port, length: 20)
            after.send(String(repeating: "A", count: 10))  // 20 bytes in all: bad JSON, answered 400
            #expect(try await after.status(within: 10) == 400)
        }
    }

    @Test("A half-sent request line or header gets 408 and is closed after the idle timeout; a silent one too")
    func halfSentHead() async throws {
        let app = try await buildApplication(configuration: Self.configuration())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let line = try RawHTTPClient.Connection(port: port)
            line.send("GET /heal")
            let header = try RawHTTPClient.Connection(port: port)
            header.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
            let silent = try RawHTTPClient.Connection(port: port)
            #expect(try await line.status(within: 5) == 408)
            #expect(try await header.status(within: 5) == 408)
            #expect(try await silent.closedByServer(within: 5))
            #expect(try await line.closedByServer(within: 5))
        }
    }

    @Test(
        "Malformed request heads get 400 and the connection is closed",
        arguments: [
            "GARBAGE\r\n\r\n",
            "GET /healthz\r\n\r\n",
            "get /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "GET /healthz HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n",
            "POST /api/colorize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
            "POST /api/colorize HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1e3\r\n\r\n"
        ])
    func malformedHead(request: String) async throws {
        let app = try await buildApplication(configuration: Self.configuration())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let connection = try RawHTTPClient.Connection(port: port)
            connection.send(request)
            #expect(try await connection.status(within: 5) == 400)
            #expect(try await connection.closedByServer(within: 5))
            // A well-formed request still works, on a new connection.
            let good = try RawHTTPClient.Connection(port: port)
            good.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try await good.status(within: 5) == 200)
        }
    }

    /// Run as `tinct serve` runs (`runService`, not the test framework, whose live server drops
    /// the backlog cap) on a free port.
    @Test("Past the connection cap a new connection gets 503 at once; once idle ones are closed, it is served")
    func connectionCap() async throws {
        var configuration = Self.configuration(maxConnections: 4, idleTimeout: .seconds(2))
        configuration.port = try Self.freePort()
        let app = try await buildApplication(configuration: configuration)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        let port = configuration.port
        var up = false
        for _ in 0..<100 where !up {
            up = (try? await RawHTTPClient.get(port: port, path: "/healthz", headers: ["Host: 127.0.0.1"]).status) == 200
            if !up { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(up, "the server did not start")
        try await Task.sleep(for: .milliseconds(300))  // the probe's connection is closed and uncounted
        // Five silent connections at once. Which one the server counts fifth depends on its
        // event loops, so the behaviour is the count and the order of the answers: one 503 sent
        // as it is accepted, before the four others meet the 2 s timeout and get 408.
        let silent = try (0..<5).map { _ in try RawHTTPClient.Connection(port: port) }
        let started = ContinuousClock.now
        let answers = try await withThrowingTaskGroup(of: (Int, Int?, Duration).self) { group in
            for (index, connection) in silent.enumerated() {
                group.addTask { (index, try await connection.status(within: 10), ContinuousClock.now - started) }
            }
            var answers = [(status: Int?, after: Duration)](repeating: (nil, .zero), count: silent.count)
            for try await (index, status, after) in group { answers[index] = (status, after) }
            return answers
        }
        let refusals = answers.filter { $0.status == 503 }
        let timeouts = answers.filter { $0.status == 408 }
        #expect(refusals.count == 1 && timeouts.count == 4, "answers to five silent connections: \(answers)")
        if let refusal = refusals.first, let firstTimeout = timeouts.map(\.after).min() {
            #expect(refusal.after < firstTimeout, "the 503 came after a 408: \(answers)")
        }
        for connection in silent { #expect(try await connection.closedByServer(within: 3)) }
        let later = try RawHTTPClient.Connection(port: port)
        later.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try await later.status(within: 5) == 200)
    }

    /// A TCP port nothing listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw RawHTTPClient.Failure(description: "no free port: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
