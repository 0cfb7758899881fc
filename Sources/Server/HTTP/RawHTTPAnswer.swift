import HTTPTypes
import Hummingbird
import NIOCore

/// An HTTP/1.1 answer as the bytes written straight to a connection's socket, for the answers
/// given outside Hummingbird's HTTP pipeline: before it (a malformed or late first request
/// head, `FirstRequestGuardHandler`) or instead of what a library would send (a refused
/// WebSocket upgrade, `UpgradeRefusalHandler`). The connection is always closed after it.
enum RawHTTPAnswer {
    /// `status`, `headers` and `body`, with `Content-Length` and `Connection: close` set here.
    static func bytes(status: HTTPResponse.Status, headers: HTTPFields, body: ByteBuffer) -> ByteBuffer {
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        for field in headers where field.name != .contentLength && field.name != .connection && field.name != .transferEncoding {
            head += "\(field.name.rawName): \(field.value)\r\n"
        }
        head += "Content-Length: \(body.readableBytes)\r\nConnection: close\r\n\r\n"
        var bytes = ByteBuffer(string: head)
        var body = body
        bytes.writeBuffer(&body)
        return bytes
    }

    /// An API error as `{"error": …}` with its status (and `Retry-After`, when it has one).
    static func bytes(of error: APIError) -> ByteBuffer {
        bytes(status: error.status, headers: error.headers, body: error.body)
    }

    /// A response the router produced, its body collected.
    static func bytes(of response: Response) async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await response.body.write(collector)
        return bytes(status: response.status, headers: response.headers, body: collector.buffer)
    }

    /// Gathers a response body's buffers (refusals are a few hundred bytes).
    private final class BodyCollector: ResponseBodyWriter {
        var buffer = ByteBuffer()

        func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            self.buffer.writeBuffer(&buffer)
        }

        func write(contentsOf buffers: some Sequence<ByteBuffer>) async throws {
            for buffer in buffers { try await write(buffer) }
        }

        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
