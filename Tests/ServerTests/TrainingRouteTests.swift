import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Pix2Pix
import Testing

@testable import Server

@Suite("Training dashboard API", .serialized)
struct TrainingRouteTests {
    @Test("GET /api/datasets lists folders with pictures under the data root, with their split")
    func datasets() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let app = try await buildApplication(configuration: fixture.configuration)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/datasets", method: .get) { response in
                #expect(response.status == .ok)
                let list = try JSONDecoder().decode([DatasetInfo].self, from: Data(String(buffer: response.body).utf8))
                // `escape` leaves the root through a symlink and `empty` holds no pictures.
                #expect(list.map(\.name) == ["flat", "tiny"])
                #expect(list.last == DatasetInfo(name: "tiny", pictures: 6, train: 4, validation: 2))
                #expect(list.first?.train == nil && list.first?.pictures == 6)
                expectSecurityHeaders(response)
            }
            try await client.execute(uri: "/api/train/defaults", method: .get) { response in
                let defaults = try JSONDecoder().decode(TrainingOptions.self, from: Data(String(buffer: response.body).utf8))
                #expect(defaults == TrainingOptions())
                #expect(defaults.size == 256 && defaults.steps == 20_000 && defaults.lambdaL1 == 100)
            }
        }
    }

    @Test(
        "POST /api/train/start answers 400 naming the bad field",
        arguments: [
            (#"{"dataset":"tiny","size":"big"}"#, "size"),
            (#"{"dataset":"tiny","size":33,"downs":5}"#, "size"),
            (#"{"dataset":"tiny","downs":4}"#, "downs"),
            (#"{"dataset":"tiny","numD":4}"#, "numD"),
            (#"{"dataset":"tiny","batch":0}"#, "batch"),
            (#"{"dataset":"tiny","lr":-1}"#, "lr"),
            (#"{"dataset":"tiny","steps":1.5}"#, "steps"),
            (#"{"dataset":"tiny","mode":"sepia"}"#, "mode"),
            (#"{"dataset":"tiny","mode":"pix2pix"}"#, "mode"),
            (#"{"dataset":"tiny","ganLoss":"wgan"}"#, "ganLoss"),
            (#"{"dataset":"tiny","attention":"yes"}"#, "attention"),
            (#"{"dataset":"tiny","checkpointEvery":0}"#, "checkpointEvery"),
            (#"{"dataset":"tiny","keep":100000000,"checkpointEvery":1}"#, "keep"),
            (#"{"dataset":"tiny","zeroHints":1.5}"#, "zeroHints"),
            (#"{"dataset":"tiny","coloredBackgrounds":-0.1}"#, "coloredBackgrounds"),
            (#"{"dataset":"tiny","sizee":64}"#, "sizee"),
            (#"{"mode":"lineart"}"#, "dataset"),
            (#"{"dataset":7}"#, "dataset"),
            (#"not json"#, "body"),
            // Paths that leave the data root, or are not datasets.
            (#"{"dataset":"../outside"}"#, "dataset"),
            (#"{"dataset":"tiny/../../outside"}"#, "dataset"),
            (#"{"dataset":"/etc"}"#, "dataset"),
            (#"{"dataset":"escape"}"#, "dataset"),
            (#"{"dataset":"missing"}"#, "dataset"),
            (#"{"dataset":"empty"}"#, "dataset"),
            (#"{"dataset":""}"#, "dataset")
        ])
    func startRejects(body: String, field: String) async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let app = try await buildApplication(configuration: fixture.configuration)
        try await app.test(.router) { client in
            try await client.postJSON("/api/train/start", body) { response in
                #expect(response.status == .badRequest, "\(body)")
                let message = try errorMessage(response)
                #expect(message.hasPrefix("\(field): "), "\(body) → \(message)")
            }
            #expect(try await client.trainingStatus().state == .idle)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.runs).isEmpty)
    }

    @Test("A run too big for the memory budget is refused with 413 naming what to lower; the server stays up")
    func memoryBudget() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        var configuration = fixture.configuration
        configuration.trainingMemoryBudget = 1 << 30
        let app = try await buildApplication(configuration: configuration)
        try await app.test(.router) { client in
            for options in [#""ngf":512,"ndf":512"#, #""batch":256,"size":2048"#, #""size":1024,"ngf":128,"ndf":128"#] {
                let started = Date()
                try await client.postJSON("/api/train/start", #"{"dataset":"tiny",\#(options)}"#) { response in
                    #expect(response.status == .contentTooLarge, "\(options)")
                    let message = try errorMessage(response)
                    #expect(message.hasPrefix("memory: ") && message.contains("lower ngf, ndf, batch or size"), "\(message)")
                }
                #expect(Date().timeIntervalSince(started) < 2, "the refusal must come before anything is allocated")
                #expect(try await client.trainingStatus().state == .idle)
            }
            // A run within the budget starts; without "downs" the U-Net goes down to 1×1 (5 for 32 px).
            try await client.postJSON("/api/train/start", #"{"dataset":"tiny","size":32,"ngf":4,"ndf":4,"batch":2,"steps":1}"#) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            #expect(try await client.waitForIdle().state == .finished)
        }
    }

    @Test("Start → 409 on a second start → stop → stopped; stop when idle is 409")
    func startTwiceAndStop() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let app = try await buildApplication(configuration: fixture.configuration)
        try await app.test(.router) { client in
            let body = #"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":100000,"checkpointEvery":100000}"#
            let started = try await client.postJSON("/api/train/start", body) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(TrainingStatus.self, from: Data(String(buffer: response.body).utf8))
            }
            #expect(started.state.isActive && started.dataset == "tiny" && started.totalSteps == 100_000)
            let run = try #require(started.run)
            #expect(run.hasPrefix("tiny-lineart-"))
            try await client.postJSON("/api/train/start", body) { response in
                #expect(response.status == .conflict)
                #expect((try? errorMessage(response))?.contains("already active") == true)
            }
            try await client.postJSON("/api/train/resume", #"{"run":"\#(run)"}"#) { response in
                #expect(response.status != .ok)
            }
            // Let it take a few steps, then stop: a checkpoint is saved.
            let deadline = Date().addingTimeInterval(60)
            while try await client.trainingStatus().step < 2, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            try await client.postJSON("/api/train/stop", "{}") { response in
                #expect(response.status == .ok)
            }
            let final = try await client.waitForIdle()
            #expect(final.state == .stopped && final.message == "stopped from the dashboard")
            #expect(final.step >= 2)
            try await client.postJSON("/api/train/stop", "{}") { response in
                #expect(response.status == .conflict)
            }
            let checkpoints = TrainingCheckpoint.list(in: "\(fixture.runs)/\(run)/checkpoints")
            #expect(checkpoints.last?.step == final.step)

            try await client.execute(uri: "/api/runs", method: .get) { response in
                let runs = try JSONDecoder().decode([RunInfo].self, from: Data(String(buffer: response.body).utf8))
                #expect(runs.count == 1)
                #expect(runs.first?.name == run && runs.first?.step == final.step && runs.first?.active == false)
            }
            // Resume continues from that checkpoint, to a new total.
            try await client.postJSON("/api/train/resume", #"{"run":"\#(run)","steps":\#(final.step + 2)}"#) { response in
                #expect(response.status == .ok)
            }
            let resumed = try await client.waitForIdle()
            #expect(resumed.state == .finished && resumed.step == final.step + 2, "\(resumed)")
            try await client.postJSON("/api/train/resume", #"{"run":"no-such-run"}"#) { response in
                #expect(response.status == .notFound)
            }
            try await client.postJSON("/api/train/resume", #"{"run":"../x"}"#) { response in
                #expect(response.status == .badRequest && (try? errorMessage(response))?.hasPrefix("run: ") == true)
            }
            // Unknown fields are refused, as for a start.
            try await client.postJSON("/api/train/resume", #"{"run":"\#(run)","stepz":5}"#) { response in
                #expect(response.status == .badRequest && (try? errorMessage(response))?.hasPrefix("stepz: ") == true)
            }
            // A run whose log was written a moment ago by a writer that is gone resumes at once
            // (the old rule refused it for 30 s as "being written by another process").
            try Data().write(to: URL(fileURLWithPath: "\(fixture.runs)/\(run)/events.jsonl"), options: .atomic)
            try await client.postJSON("/api/train/resume", #"{"run":"\#(run)","steps":\#(final.step + 3)}"#) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            #expect(try await client.waitForIdle().step == final.step + 3)
            // An event log that exists but cannot be read is an error, not an empty history.
            let log = "\(fixture.runs)/\(run)/events.jsonl"
            try FileManager.default.removeItem(atPath: log)
            try FileManager.default.createDirectory(atPath: log, withIntermediateDirectories: false)
            try await client.postJSON("/api/train/resume", #"{"run":"\#(run)","steps":\#(final.step + 4)}"#) { response in
                #expect(response.status == .internalServerError)
                #expect((try? errorMessage(response))?.hasPrefix("run: its event log could not be read") == true)
            }
            #expect(try await client.trainingStatus().state == .finished)
        }
    }

    @Test("A finished run publishes as a model the editor lists; samples are served by strict name")
    func publish() async throws {
        let fixture = try TrainingFixture()
        defer { fixture.remove() }
        let app = try await buildApplication(configuration: fixture.configuration)
        try await app.test(.router) { client in
            let body = #"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":2,"checkpointEvery":1,"sampleEvery":1}"#
            let run = try await client.postJSON("/api/train/start", body) { response in
                #expect(response.status == .ok)
                return try JSONDecoder().decode(TrainingStatus.self, from: Data(String(buffer: response.body).utf8)).run ?? ""
            }
            let final = try await client.waitForIdle()
            #expect(final.state == .finished && final.step == 2, "\(final)")

            try await client.execute(uri: "/api/runs/\(run)/samples/step-00000002.png", method: .get) { response in
                #expect(response.status == .ok && response.headers[.contentType] == "image/png")
                #expect(Array(response.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            }
            for bad in ["step-2.png", "step-00000002.png.bak", "..%2Fconfig.json", "config.json", "step-0000000a.png"] {
                try await client.execute(uri: "/api/runs/\(run)/samples/\(bad)", method: .get) { response in
                    #expect(response.status == .notFound, "\(bad)")
                }
            }
            try await client.execute(uri: "/api/runs/..%2F..%2Fdata/samples/step-00000002.png", method: .get) { response in
                #expect(response.status == .notFound)
            }

            try await client.postJSON("/api/train/publish", #"{"run":"\#(run)","name":"fresh-model"}"#) { response in
                #expect(response.status == .ok)
                let model = try JSONDecoder().decode(ModelInfo.self, from: Data(String(buffer: response.body).utf8))
                #expect(model.name == "fresh-model" && model.mode == .lineart && model.resolution == 32)
            }
            try await client.execute(uri: "/api/models", method: .get) { response in
                let models = try JSONDecoder().decode([ModelInfo].self, from: Data(String(buffer: response.body).utf8))
                #expect(models.map(\.name) == ["fresh-model"])
            }
            try await client.postJSON("/api/train/publish", #"{"run":"\#(run)","name":"fresh-model"}"#) { response in
                #expect(response.status == .conflict && (try? errorMessage(response))?.hasPrefix("name: ") == true)
            }
            // A replaced model keeps nothing of the old one (a stale card would describe other weights).
            let staleCard = "\(fixture.models)/fresh-model/MODEL_CARD.md"
            try Data("old card".utf8).write(to: URL(fileURLWithPath: staleCard))
            try await client.postJSON("/api/train/publish", #"{"run":"\#(run)","name":"fresh-model","checkpoint":"latest","replace":true}"#) { response in
                #expect(response.status == .ok)
            }
            #expect(!FileManager.default.fileExists(atPath: staleCard))
            #expect(FileManager.default.fileExists(atPath: "\(fixture.models)/fresh-model/generator.safetensors"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.models).sorted() == ["fresh-model"])
            // The shipped models' names are never written, with or without "replace".
            for name in ["default-lineart", "default-photo", "Default-new"] {
                try await client.postJSON("/api/train/publish", #"{"run":"\#(run)","name":"\#(name)","replace":true}"#) { response in
                    #expect(response.status == .badRequest && (try? errorMessage(response))?.hasPrefix("name: ") == true, "\(name)")
                }
                #expect(!FileManager.default.fileExists(atPath: "\(fixture.models)/\(name)"), "\(name)")
            }
            for (body, status, field) in [
                (#"{"run":"\#(run)","name":"bad name"}"#, HTTPResponse.Status.badRequest, "name"),
                (#"{"run":"\#(run)","name":"x","checkpoint":"first"}"#, .badRequest, "checkpoint"),
                (#"{"run":"nope","name":"x"}"#, .notFound, "run"),
                (#"{"name":"x"}"#, .badRequest, "run")
            ] {
                try await client.postJSON("/api/train/publish", body) { response in
                    #expect(response.status == status, "\(body)")
                    #expect((try? errorMessage(response))?.hasPrefix("\(field): ") == true, "\(body)")
                }
            }
        }
    }
}

@Suite("Training service parts")
struct TrainingServicePartsTests {
    static let losses = try! JSONDecoder().decode(
        StepLosses.self, from: Data(#"{"lossDFake":0.5,"lossDReal":0.5,"lossGGAN":1,"lossGL1":0.1,"lossGFeature":0}"#.utf8))

    static func progress(_ step: Int) -> TrainingEvent {
        .progress(step: step, totalSteps: 100_000, imagesPerSecond: 1, etaSeconds: 1, learningRate: 2e-4, losses: losses)
    }

    @Test("History stays bounded: progress is thinned over the whole run, other events kept")
    func historyThinning() {
        var history = TrainingHistory(maxProgress: 100, maxOthers: 10, maxProgressInSnapshot: 20)
        history.append(.started(step: 0, totalSteps: 100_000, pictures: 4, validationPictures: 2, skipped: 0))
        for step in 1...1000 {
            history.append(Self.progress(step))
            if step % 100 == 0 { history.append(.checkpoint(step: step, path: "c")) }
        }
        let progress = history.events.filter(\.isProgress)
        #expect(progress.count <= 100 && progress.count >= 50)
        #expect(progress.last == Self.progress(1000))
        if case .progress(let first, _, _, _, _, _) = progress.first { #expect(first <= 16) }
        // 10 other events at most: the oldest went first.
        #expect(history.events.count(where: { !$0.isProgress }) == 10)
        #expect(history.events.last { !$0.isProgress } == .checkpoint(step: 1000, path: "c"))
        let snapshot = history.snapshot
        #expect(snapshot.count(where: \.isProgress) <= 21)
        #expect(snapshot.last { $0.isProgress } == Self.progress(1000))
    }

    @Test("A slow client's queue is bounded: newer progress replaces queued progress, then the oldest goes")
    func slowSubscriber() {
        let subscriber = TrainingSubscriber(capacity: 4)
        subscriber.push("started")
        for i in 0..<100 { subscriber.push("progress \(i)", isProgress: true) }
        subscriber.push("checkpoint")
        #expect(subscriber.pending == 3)
        #expect(subscriber.next() == "started")
        #expect(subscriber.drain() == ["progress 99", "checkpoint"])
        #expect(subscriber.dropped == 99)
        for i in 0..<10 { subscriber.push("sample \(i)") }
        #expect(subscriber.pending == 4)
        #expect(subscriber.drain() == ["sample 6", "sample 7", "sample 8", "sample 9"])
        #expect(subscriber.next() == nil)
        subscriber.close()
        subscriber.push("late")
        #expect(subscriber.pending == 0)
    }

    @Test("Client messages: ping → pong, anything else → error")
    func clientMessages() {
        #expect(TrainSocket.reply(to: .text(#"{"type":"ping","version":1}"#)).json.contains(#""type":"pong""#))
        #expect(TrainSocket.reply(to: .text(#"{"type":"ping"}"#)).json.contains(#""type":"pong""#))
        for garbage in ["nope", "[]", #"{"type":"start"}"#, #"{"type":"ping","version":2}"#, "{}"] {
            #expect(TrainSocket.reply(to: .text(garbage)).json.contains(#""type":"error""#), "\(garbage)")
        }
    }
}
