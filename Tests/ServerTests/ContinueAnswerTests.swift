import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Server

/// `Expect: 100-continue` over a real socket: the client holds its body back until it hears
/// `100 Continue`, as curl does for bodies over 1 MB.
@Suite("100 Continue")
struct ContinueAnswerTests {
    @Test("a request head that expects 100-continue is answered 100 before its body is sent, then the request is answered as any other")
    func answersContinue() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let body = "{}"
            let connection = try RawHTTPClient.Connection(port: port)
            connection.send(
                "POST /api/colorize HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\nExpect: 100-continue\r\n\r\n")
            // Without the 100 nothing comes back until the body arrives (the connection's idle
            // timeout, far longer than this wait, would end it).
            #expect(try await connection.status(within: 20) == 100)
            connection.send(body)
            #expect(try await connection.status(within: 20) == 400)  // no image: the route's own answer
        }
    }

    @Test("a request without the header gets its answer alone, no 100 before it")
    func noContinueUnasked() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let answer = try await RawHTTPClient.post(
                port: port, path: "/api/colorize", headers: ["Host: 127.0.0.1:\(port)", "Content-Type: application/json"],
                body: "{}")
            #expect(answer.status == 400)
            #expect(!answer.head.contains("100 Continue") && !answer.body.contains("100 Continue"))
        }
    }
}
