import Foundation
import Hummingbird
import HummingbirdTesting
import ImageCodecs
import Testing

@testable import Server

@Suite("Models and colorization API")
struct ColorizeRouteTests {
    @Test("GET /api/models lists the valid models with mode and resolution")
    func models() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/models", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                expectSecurityHeaders(response)
                let models = try JSONDecoder().decode([ModelInfo].self, from: Data(String(buffer: response.body).utf8))
                #expect(models.map(\.name) == ["tiny-lineart", "tiny-lineart-legacy", "tiny-photo"])
                #expect(models.map(\.mode) == [.lineart, .lineart, .photo])
                #expect(models.map(\.resolution) == [64, 64, 64])
                #expect(!String(buffer: response.body).contains("path"))
            }
        }
    }

    @Test("GET /api/models with no models folder is an empty list")
    func noModels() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/models", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "[]")
            }
        }
    }

    @Test("Model names are letters, digits, _ and -, 1 to 64 of them")
    func modelNames() {
        #expect(ModelCatalog.isValidName("tiny-lineart_2"))
        #expect(ModelCatalog.isValidName(String(repeating: "a", count: 64)))
        for bad in ["", String(repeating: "a", count: 65), "../x", "a b", "é", "a/b", "a.b"] {
            #expect(!ModelCatalog.isValidName(bad), "\(bad)")
        }
    }

    @Test(
        "POST /api/colorize answers a PNG of the input's size",
        arguments: [(64, 64, "lineart"), (100, 37, "lineart"), (31, 90, "photo")]
    )
    func colorize(width: Int, height: Int, mode: String) async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let image = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: width, height: height))
        let hints = ##"[{"x":3,"y":4,"color":"#ff8800"},{"x":\##(width - 1),"y":\##(height - 1),"color":"#00AAff","r":5}]"##
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: image, mode: mode, hints: hints)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                expectSecurityHeaders(response)
                let decoded = try ImageDecoder.decode(Array(response.body.readableBytesView))
                #expect(decoded.width == width && decoded.height == height)
            }
        }
    }

    @Test("A model can be chosen by name; JPEG input works too")
    func namedModelAndJPEG() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let jpeg = try JPEGEncoder.encode(RGBImage(width: 48, height: 40, red: 200, green: 180, blue: 160), quality: 90)
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: ModelFixtures.base64(jpeg), mode: "photo", model: "tiny-photo")) { response in
                #expect(response.status == .ok)
                let decoded = try ImageDecoder.decode(Array(response.body.readableBytesView))
                #expect(decoded.width == 48 && decoded.height == 40)
            }
        }
    }

    @Test("A line-art model from before the dense hint fill (5 input planes) still colorizes")
    func legacyLineArtModel() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let image = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 50, height: 30))
        let hints = ##"[{"x":3,"y":4,"color":"#ff8800"}]"##
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: image, mode: "lineart", hints: hints, model: "tiny-lineart-legacy")) { response in
                #expect(response.status == .ok)
                let decoded = try ImageDecoder.decode(Array(response.body.readableBytesView))
                #expect(decoded.width == 50 && decoded.height == 30)
            }
        }
    }

    /// Each bad request, and the field its 400 answer must name.
    static let badRequests: [(body: String, field: String)] = {
        let png = (try? ModelFixtures.drawingPNG(width: 20, height: 10)).map(ModelFixtures.base64) ?? ""
        let tooMany = "[" + Array(repeating: ##"{"x":1,"y":1,"color":"#000000"}"##, count: 501).joined(separator: ",") + "]"
        return [
            ("{not json", "body"),
            (##"{"mode":"lineart"}"##, "image"),
            (##"{"image":5,"mode":"lineart"}"##, "image"),
            (ModelFixtures.body(image: "@@not base64@@"), "image"),
            (ModelFixtures.body(image: png, mode: "sepia"), "mode"),
            (##"{"image":"\##(png)"}"##, "mode"),
            (ModelFixtures.body(image: png, hints: ##"[{"x":20,"y":0,"color":"#000000"}]"##), "hints[0]"),
            (ModelFixtures.body(image: png, hints: ##"[{"x":0,"y":-1,"color":"#000000"}]"##), "hints[0]"),
            (ModelFixtures.body(image: png, hints: ##"[{"x":1,"y":1,"color":"#000000"},{"x":1,"y":1,"color":"red"}]"##), "hints[1].color"),
            (ModelFixtures.body(image: png, hints: ##"[{"x":1,"y":1,"color":"#00000g"}]"##), "hints[0].color"),
            (ModelFixtures.body(image: png, hints: ##"[{"x":1.5,"y":1,"color":"#000000"}]"##), "hints[0].x"),
            (ModelFixtures.body(image: png, hints: ##"[{"x":1,"color":"#000000"}]"##), "hints[0].y"),
            (ModelFixtures.body(image: png, hints: ##"[{"x":1,"y":1,"color":"#000000","r":-2}]"##), "hints[0].r"),
            (ModelFixtures.body(image: png, hints: ##"{"x":1}"##), "hints"),
            (ModelFixtures.body(image: png, hints: tooMany), "hints"),
            (ModelFixtures.body(image: png, model: "../etc"), "model"),
            (ModelFixtures.body(image: png, mode: "photo", model: "tiny-lineart"), "model")
        ]
    }()

    @Test("Bad requests are 400 naming the field", arguments: badRequests)
    func badRequest(body: String, field: String) async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.colorize(body) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                expectSecurityHeaders(response)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("\(field):"), "\(message)")
            }
        }
    }

    @Test("A body over the limit is 413")
    func bodyTooLarge() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration(limits: .init(maxBodyBytes: 1000)))
        let image = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 200, height: 200))
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: image + String(repeating: "A", count: 2000))) { response in
                #expect(response.status == .contentTooLarge)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("body:"), "\(message)")
            }
        }
    }

    @Test("A picture over the pixel limit is 413, judged from its header")
    func tooManyPixels() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration(limits: .init(maxPixels: 10_000)))
        let image = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 101, height: 100))
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: image)) { response in
                #expect(response.status == .contentTooLarge)
                let message = try errorMessage(response)
                #expect(message.contains("10100 pixels"), "\(message)")
            }
        }
    }

    @Test("A picture with a side too long for the result's format is 413 before any work, on both routes")
    func sideTooLong() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        // 1×40,000: few pixels, but longer than PNG writers and JPEG allow comfortably.
        let image = ModelFixtures.base64(try PNGEncoder.encode(RGBImage(width: 1, height: 40_000)))
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: image)) { response in
                #expect(response.status == .contentTooLarge)
                let message = try errorMessage(response)
                #expect(message.contains("side longer than the limit of 32768"), "\(message)")
            }
            try await client.execute(
                uri: "/api/lineart", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"image":"\#(image)"}"#)
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test("A result the server cannot encode is its own failure (500), not the client's picture (400)")
    func resultEncodingFailure() {
        do {
            _ = try ResultEncodingError.encoding { () throws -> Int in throw ImageCodecError.outOfMemory(message: "test") }
            Issue.record("no error")
        } catch {
            #expect(error.apiError.status == .internalServerError && error.apiError.message.hasPrefix("result: "))
        }
    }

    @Test("Data that is not a PNG or JPEG is 415", arguments: ["GIF89a\u{1}\u{0}\u{1}\u{0}", "hello, world"])
    func notAnImage(content: String) async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: ModelFixtures.base64(Array(content.utf8)))) { response in
                #expect(response.status == .unsupportedMediaType)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("image:"), "\(message)")
            }
        }
    }

    @Test("A damaged PNG is 400 about the image")
    func damagedImage() async throws {
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        let png = try ModelFixtures.drawingPNG(width: 64, height: 64)
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: ModelFixtures.base64(Array(png.prefix(png.count / 2))))) { response in
                #expect(response.status == .badRequest)
                let message = try errorMessage(response)
                #expect(message.hasPrefix("image:"), "\(message)")
            }
        }
    }

    @Test("An unknown model is 404, and so is a mode with no model")
    func unknownModel() async throws {
        let png = ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 16, height: 16))
        let app = try await buildApplication(configuration: ModelFixtures.configuration())
        try await app.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: png, model: "nope")) { response in
                #expect(response.status == .notFound)
                let message = try errorMessage(response)
                #expect(message.contains("nope"), "\(message)")
            }
        }
        let empty = try await buildApplication(configuration: TestConfiguration.server())
        try await empty.test(.router) { client in
            try await client.colorize(ModelFixtures.body(image: png)) { response in
                #expect(response.status == .notFound)
                let message = try errorMessage(response)
                #expect(message.contains("no lineart model"), "\(message)")
            }
        }
    }

    /// The waiting requests get a deadline long enough for a debug build sharing its cores with
    /// other suites: with the default 5 s, a full run once refused them as overdue before the
    /// gate opened (the deadline has its own test below).
    @Test("A full queue answers 503 with Retry-After, and the waiting requests still finish")
    func busy() async throws {
        let limits = ColorizeLimits(maxQueued: 2, maxQueueDelay: .seconds(300))
        let inference = InferenceService(modelsDirectory: ModelFixtures.directory, limits: limits)
        let app = try await buildApplication(configuration: ModelFixtures.configuration(limits: limits), inference: inference)
        let body = ModelFixtures.body(image: ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 32, height: 32)))
        let gate = DispatchSemaphore(value: 0)
        try await app.test(.router) { client in
            // Occupy the inference thread until the queue has been filled and refused.
            let blocker = Task { try await inference.thread.run(priority: .interactive) { _ in gate.wait() } }
            while !inference.hasInteractiveWork { try await Task.sleep(for: .milliseconds(5)) }
            let waiting = (0..<limits.maxQueued).map { _ in
                Task { try await client.colorize(body) { $0.status } }
            }
            while inference.thread.queuedCount < limits.maxQueued { try await Task.sleep(for: .milliseconds(5)) }
            try await client.colorize(body) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1")
                let message = try errorMessage(response)
                #expect(message.contains("busy"), "\(message)")
            }
            gate.signal()
            try await blocker.value
            for task in waiting { #expect(try await task.value == .ok) }
        }
    }

    /// The default queue bounds, with a deadline long enough for a debug build sharing its
    /// cores with other suites (the deadline has its own test below).
    @Test("A burst waits its turn instead of being refused: 100 simultaneous requests all succeed")
    func burst() async throws {
        var limits = ColorizeLimits()
        limits.maxQueueDelay = .seconds(300)
        let app = try await buildApplication(configuration: ModelFixtures.configuration(limits: limits))
        let body = ModelFixtures.body(image: ModelFixtures.base64(try ModelFixtures.drawingPNG(width: 32, height: 32)))
        try await app.test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<100 { group.addTask { try await client.colorize(body) { $0.status } } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.count == 100 && statuses.allSatisfy { $0 == .ok }, "\(Dictionary(grouping: statuses, by: \.code).mapValues(\.count))")
        }
    }

    @Test("A job that waited past the queue's deadline is refused, and so is one whose wait would be longer")
    func queueDeadline() async throws {
        // Jobs of ≥ 500 ms (a sleep never ends early) against a 950 ms deadline: one job ahead
        // fits, two do not, whatever the machine's load adds (up to 450 ms).
        let thread = InferenceThread<Int>(maxQueued: 10, maxQueueDelay: .milliseconds(950), state: 0)
        _ = try await thread.run(priority: .interactive) { _ in Thread.sleep(forTimeInterval: 0.5) }
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await thread.run(priority: .interactive) { _ in gate.wait() } }
        while !thread.isRunning { try await Task.sleep(for: .milliseconds(5)) }
        // One running (≈500 ms expected) ahead: this one may wait.
        let waiting = Task { try await thread.run(priority: .interactive) { _ in 1 } }
        for _ in 0..<400 where thread.queuedCount < 1 { try await Task.sleep(for: .milliseconds(5)) }
        try #require(thread.queuedCount == 1, "the job behind one running job was not queued")
        // Two jobs ahead exceed the deadline: refused at once (the blocker still holds the thread).
        await #expect(throws: InferenceQueueError.busy) { try await thread.run(priority: .interactive) { _ in 2 } }
        // The blocker overruns; the waiting job is then past its deadline.
        try await Task.sleep(for: .milliseconds(1200))
        gate.signal()
        try await blocker.value
        await #expect(throws: InferenceQueueError.busy) { try await waiting.value }
        #expect(try await thread.run(priority: .interactive) { _ in 3 } == 3)
    }

    @Test("Waiting jobs hold at most the queue's byte budget")
    func queueBytes() async throws {
        let thread = InferenceThread<Int>(maxQueued: 10, maxQueuedBytes: 1000, state: 0)
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await thread.run(priority: .interactive) { _ in gate.wait() } }
        while !thread.isRunning { try await Task.sleep(for: .milliseconds(5)) }
        let first = Task { try await thread.run(priority: .interactive, bytes: 600) { _ in 1 } }
        for _ in 0..<400 where thread.queuedCount < 1 { try await Task.sleep(for: .milliseconds(5)) }
        await #expect(throws: InferenceQueueError.busy) { try await thread.run(priority: .interactive, bytes: 600) { _ in 2 } }
        let small = Task { try await thread.run(priority: .interactive, bytes: 300) { _ in 3 } }
        while thread.queuedCount < 2 { try await Task.sleep(for: .milliseconds(5)) }
        gate.signal()
        try await blocker.value
        let (firstValue, smallValue) = (try await first.value, try await small.value)
        #expect(firstValue == 1 && smallValue == 3)
    }

    @Test("Interactive jobs overtake waiting background jobs")
    func priorities() async throws {
        let thread = InferenceThread<[String]>(maxQueued: 4, state: [])
        let gate = DispatchSemaphore(value: 0)
        let blocker = Task { try await thread.run(priority: .background) { _ in gate.wait() } }
        while !thread.isRunning { try await Task.sleep(for: .milliseconds(5)) }
        let background = Task {
            try await thread.run(priority: .background) { order in
                order.append("background")
                return order
            }
        }
        while thread.queuedCount < 1 { try await Task.sleep(for: .milliseconds(5)) }
        let interactive = Task {
            try await thread.run(priority: .interactive) { order in
                order.append("interactive")
                return order
            }
        }
        while thread.queuedCount < 2 { try await Task.sleep(for: .milliseconds(5)) }
        gate.signal()
        try await blocker.value
        #expect(try await interactive.value == ["interactive"])
        #expect(try await background.value == ["interactive", "background"])
    }
}
