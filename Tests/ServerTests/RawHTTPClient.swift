import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Sends one request written byte for byte — any `Host`, `Origin` or content type, as a
/// browser on another site or a rebound DNS name would send it — over a real socket to
/// 127.0.0.1, and reads the answer until the server closes. The blocking socket work runs on
/// a thread of its own: on the cooperative pool (two threads here) it would starve the
/// server's handlers of the threads they need to answer.
enum RawHTTPClient {
    struct Answer: Sendable {
        let status: Int
        let head: String
        let body: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// POSTs `body` to `path` with the given header lines (`Name: value`, no CRLF).
    static func post(port: Int, path: String, headers: [String], body: String) async throws -> Answer {
        let bytes = Array(body.utf8)
        let head =
            (["POST \(path) HTTP/1.1"] + headers + ["Content-Length: \(bytes.count)", "Connection: close"])
            .joined(separator: "\r\n") + "\r\n\r\n"
        return try await exchange(port: port, request: Array(head.utf8) + bytes)
    }

    /// GETs `path` with the given header lines.
    static func get(port: Int, path: String, headers: [String]) async throws -> Answer {
        let head = (["GET \(path) HTTP/1.1"] + headers + ["Connection: close"]).joined(separator: "\r\n") + "\r\n\r\n"
        return try await exchange(port: port, request: Array(head.utf8))
    }

    /// A blocking socket connected to 127.0.0.1:`port`, reads timing out after 60 s (a bound on a
    /// server that never answers, not a latency check: inside a full `swift test` on 2 cores the
    /// server's threads once waited more than 10 s for a core and the cross-site checks failed);
    /// `beforeConnect` may set further options (a receive buffer size must be set before).
    static func connectedSocket(port: Int, beforeConnect: (Int32) -> Void = { _ in }) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        beforeConnect(fd)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "connect: \(errno)")
        }
        return fd
    }

    /// Sends `request` and reads everything the server answers.
    static func exchange(port: Int, request: [UInt8]) async throws -> Answer {
        try await onOwnThread { try blockingExchange(port: port, request: request) }
    }

    /// Runs `work` on a new thread and hands back its result.
    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private static func blockingExchange(port: Int, request: [UInt8]) throws -> Answer {
        let fd = try connectedSocket(port: port)
        defer { close(fd) }
        var offset = 0
        while offset < request.count {
            let sent = request[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw Failure(description: "send: \(errno)") }
            offset += sent
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw Failure(description: "no answer head: \(text.prefix(80))") }
        let head = String(text[..<split.lowerBound])
        let statusWord = head.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        guard let status = statusWord else { throw Failure(description: "no status: \(head.prefix(80))") }
        return Answer(status: status, head: head, body: String(text[split.upperBound...]))
    }
}

extension RawHTTPClient {
    /// Asks to upgrade `path` to a WebSocket with the given further header lines and reads
    /// the answer until the server closes: for refused upgrades (an accepted one stays open).
    static func refusedUpgrade(port: Int, path: String, headers: [String]) async throws -> Answer {
        let head =
            ([
                "GET \(path) HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"
            ] + headers)
            .joined(separator: "\r\n") + "\r\n\r\n"
        return try await exchange(port: port, request: Array(head.utf8))
    }

    /// Sends `request` and returns the status of the answer's head alone (for upgrades, whose
    /// connection stays open after the head).
    static func exchangeHead(port: Int, request: [UInt8]) async throws -> Int {
        try await onOwnThread { try blockingExchangeHead(port: port, request: request) }
    }

    private static func blockingExchangeHead(port: Int, request: [UInt8]) throws -> Int {
        let fd = try connectedSocket(port: port)
        defer { close(fd) }
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while !bytes.ends(with: [13, 10, 13, 10]) {
            guard recv(fd, &byte, 1, 0) == 1 else { break }
            bytes.append(byte)
        }
        let head = String(decoding: bytes, as: UTF8.self)
        guard let status = head.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw Failure(description: "no status: \(head.prefix(80))")
        }
        return status
    }
}

extension RawHTTPClient {
    /// A connection kept open by the test: it sends what it is told and stalls in between, as
    /// a slow or hostile client does.
    final class Connection: @unchecked Sendable {
        let fd: Int32

        init(port: Int) throws { fd = try RawHTTPClient.connectedSocket(port: port) }

        deinit { close(fd) }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        /// The status of the answer's head if one arrives within `seconds`; nil when none does
        /// (or the server closed the connection first).
        func status(within seconds: Double) async throws -> Int? {
            try await RawHTTPClient.onOwnThread { [fd] in
                var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var bytes: [UInt8] = []
                var byte: UInt8 = 0
                while !bytes.ends(with: [13, 10, 13, 10]) {
                    guard recv(fd, &byte, 1, 0) == 1 else { return nil }
                    bytes.append(byte)
                }
                return String(decoding: bytes, as: UTF8.self).split(separator: " ").dropFirst().first.flatMap { Int($0) }
            }
        }

        /// Whether the server closes the connection within `seconds` (anything it sends first is skipped).
        func closedByServer(within seconds: Double) async throws -> Bool {
            try await RawHTTPClient.onOwnThread { [fd] in
                let deadline = Date().addingTimeInterval(seconds)
                var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 4096)
                while Date() < deadline {
                    let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { return true }
                }
                return false
            }
        }
    }
}
