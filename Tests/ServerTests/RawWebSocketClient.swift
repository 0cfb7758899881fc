import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A deliberately bad WebSocket client over a plain blocking socket: it shrinks its receive
/// buffer to the minimum, completes the handshake, then only ever sends — it never reads a
/// reply. Used to show the server neither buffers without bound for such a client nor keeps
/// it forever.
final class RawWebSocketClient: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let fd: Int32

    /// Connects to `127.0.0.1:port` and upgrades `path`.
    init(port: Int, path: String) throws {
        fd = try RawHTTPClient.connectedSocket(port: port) { fd in
            // The smallest receive buffer the kernel allows (it rounds up to a few kilobytes), so
            // the server's writes stall after little data.
            var small: Int32 = 1024
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            // A blocked send wakes up now and then, so the sender can watch its deadline.
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        let request =
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        guard sendAll(Array(request.utf8), until: Date().addingTimeInterval(10)) else { throw Failure(description: "handshake send failed") }
        let response = try readHandshake()
        guard response.hasPrefix("HTTP/1.1 101") else { throw Failure(description: "not upgraded: \(response.prefix(80))") }
    }

    deinit { close(fd) }

    /// Reads the handshake answer byte by byte, so no frame after it is consumed.
    private func readHandshake() throws -> String {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while !bytes.ends(with: [13, 10, 13, 10]) {
            guard recv(fd, &byte, 1, 0) == 1 else { throw Failure(description: "handshake answer cut short") }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Sends one masked text frame, waiting while the server does not read; false when the
    /// connection is gone or `deadline` passed.
    @discardableResult
    func sendText(_ text: String, until deadline: Date) -> Bool {
        sendFrame(opcode: 0x1, fin: true, payload: Array(text.utf8), until: deadline)
    }

    /// Sends one masked frame: `opcode` (1 text, 0 continuation, 9 ping), `fin` unset for a
    /// fragment that more should follow, and of its `payload` only the first `payloadSent`
    /// bytes (all by default) — fewer leaves the frame unfinished, as a stalled client does.
    @discardableResult
    func sendFrame(opcode: UInt8, fin: Bool, payload: [UInt8], payloadSent: Int? = nil, until deadline: Date) -> Bool {
        var frame: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8((payload.count >> shift) & 0xFF)) }
        }
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        frame += mask
        frame += payload.prefix(payloadSent ?? payload.count).enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return sendAll(frame, until: deadline)
    }

    /// Whether the server has closed the connection: a read finds end-of-file or an error
    /// once the data it sent is drained (reading now is fine: the test is over).
    func serverClosed(within seconds: Double) -> Bool {
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return true }
            if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR { return true }
        }
        return false
    }

    private func sendAll(_ bytes: [UInt8], until deadline: Date) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                sent += n
            } else if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                if Date() > deadline { return false }
            } else {
                return false
            }
        }
        return true
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
