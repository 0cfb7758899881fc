import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ImageCodecs
import Pix2Pix
import Testing

@testable import Server

/// A data root, runs folder and models folder of their own for each training test:
/// `tiny/train` (4 pictures) and `tiny/val` (2), `flat` (6 pictures, no split), `empty` (none),
/// and `escape`, a symlink to a folder with pictures outside the root.
struct TrainingFixture {
    let base: String
    var dataRoot: String { "\(base)/data" }
    var runs: String { "\(base)/runs" }
    var models: String { "\(base)/models" }

    init(_ label: String = #function) throws {
        let safe = label.filter { $0.isLetter || $0.isNumber }
        base =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("tinct-train-\(safe)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))").path
        let fm = FileManager.default
        try? fm.removeItem(atPath: base)
        for folder in ["data/tiny/train", "data/tiny/val", "data/flat", "data/empty", "outside", "runs", "models"] {
            try fm.createDirectory(atPath: "\(base)/\(folder)", withIntermediateDirectories: true)
        }
        for i in 0..<4 { try Self.picture(seed: i).write(to: URL(fileURLWithPath: "\(dataRoot)/tiny/train/p\(i).png")) }
        for i in 4..<6 { try Self.picture(seed: i).write(to: URL(fileURLWithPath: "\(dataRoot)/tiny/val/p\(i).png")) }
        for i in 0..<6 { try Self.picture(seed: i).write(to: URL(fileURLWithPath: "\(dataRoot)/flat/p\(i).png")) }
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: "\(dataRoot)/empty/readme.txt"))
        try Self.picture(seed: 9).write(to: URL(fileURLWithPath: "\(base)/outside/secret.png"))
        try fm.createSymbolicLink(atPath: "\(dataRoot)/escape", withDestinationPath: "\(base)/outside")
    }

    /// The server configuration pointing at this fixture's folders; runs train in the `tinct`
    /// built beside the tests (a test fails when it is missing).
    var configuration: ServerConfiguration {
        TestConfiguration.requireTinctExecutable()
        var configuration = TestConfiguration.server()
        configuration.dataRoot = dataRoot
        configuration.runsDirectory = runs
        configuration.modelsDirectory = models
        return configuration
    }

    /// Options small enough to train in a second even in a debug build.
    static let tinyOptions = #""size":32,"downs":5,"ngf":4,"ndf":4,"batch":2"#

    /// A 48×40 picture: colored bands with dark outlines, different per seed.
    static func picture(seed: Int) throws -> Data {
        var image = RGBImage(width: 48, height: 40)
        image.withMutablePixels { p in
            for y in 0..<40 {
                for x in 0..<48 {
                    let i = 3 * (y * 48 + x)
                    let band = (x + y * (seed + 1)) / 12 % 3
                    let outline = x % 16 == seed % 16 || y % 13 == seed % 13
                    p[i] = outline ? 20 : UInt8(band == 0 ? 220 : (60 + seed * 20) % 256)
                    p[i + 1] = outline ? 20 : UInt8(band == 1 ? 200 : 90)
                    p[i + 2] = outline ? 20 : UInt8(band == 2 ? 210 : (40 + seed * 25) % 256)
                }
            }
        }
        return Data(try PNGEncoder.encode(image))
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }
}

extension TestClientProtocol {
    /// POSTs `body` as JSON to `uri`.
    func postJSON<Return>(_ uri: String, _ body: String, _ check: @escaping (TestResponse) async throws -> Return) async throws -> Return {
        try await execute(
            uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body), testCallback: check)
    }

    /// `GET /api/train/status`, decoded.
    func trainingStatus() async throws -> TrainingStatus {
        try await execute(uri: "/api/train/status", method: .get) { response in
            try JSONDecoder().decode(TrainingStatus.self, from: Data(String(buffer: response.body).utf8))
        }
    }

    /// Starts a run of 100 000 steps on the fixture's `tiny` dataset, checkpointing every 2
    /// steps, and waits (at most 120 s) for its checkpoint of step 2; returns the run's name
    /// and its checkpoints folder.
    func startLongRun(in fixture: TrainingFixture) async throws -> (run: String, checkpoints: String) {
        let body = #"{"dataset":"tiny",\#(TrainingFixture.tinyOptions),"steps":100000,"checkpointEvery":2}"#
        let run = try await postJSON("/api/train/start", body) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            return try JSONDecoder().decode(TrainingStatus.self, from: Data(String(buffer: response.body).utf8)).run ?? ""
        }
        let checkpoints = "\(fixture.runs)/\(run)/checkpoints"
        let deadline = Date().addingTimeInterval(120)
        while (TrainingCheckpoint.list(in: checkpoints).last?.step ?? 0) < 2, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return (run, checkpoints)
    }

    /// Polls the status until no run is active (at most `seconds`).
    func waitForIdle(seconds: Double = 120) async throws -> TrainingStatus {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let status = try await trainingStatus()
            if !status.state.isActive || Date() > deadline { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
