import Foundation
import ImageCodecs
import NN
import Pix2Pix
import Tensors
import TestSupport
import Testing

/// Training end to end on tiny data: convergence, exact resume, crash-safe checkpoints,
/// corrupt pictures.
@Suite("Training", .serialized)
struct TrainingTests {
    static func temporaryFolder(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-train-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A folder of small colorful pictures: shapes in distinct colors on white.
    static func makeDataset(count: Int = 6, side: Int = 48, split: Bool = false) -> String {
        let root = temporaryFolder("data")
        let folder = split ? "\(root)/train" : root
        if split {
            for sub in ["train", "val"] { try! FileManager.default.createDirectory(atPath: "\(root)/\(sub)", withIntermediateDirectories: true) }
        }
        var rng = SeededGenerator(seed: 5)
        for i in 0..<count {
            var image = RGBImage(width: side, height: side)
            let color = (UInt8(rng.next() % 200), UInt8(rng.next() % 200), UInt8(rng.next() % 200))
            let (x0, y0) = (Int(rng.next() % 16), Int(rng.next() % 16))
            for y in y0..<(y0 + 24) { for x in x0..<(x0 + 24) { image[x, y] = color } }
            try! image.write(to: "\(folder)/picture-\(i).png")
            if split && i < 2 { try! image.write(to: "\(root)/val/picture-\(i).png") }
        }
        return root
    }

    /// A tiny run of `steps` steps on a fresh dataset, stopped (with a checkpoint) at `pauseAt`.
    static func pausedRun(_ name: String, steps: Int, pauseAt: Int) throws -> (run: String, config: TrainingConfig) {
        let run = temporaryFolder(name)
        let config = tinyConfig(data: makeDataset(), steps: steps)
        try Trainer(config: config, runDirectory: run, resume: false) { _ in }.run(stop: StopSignal(), pauseAt: pauseAt)
        return (run, config)
    }

    static func tinyConfig(data: String, steps: Int) -> TrainingConfig {
        let model = ModelConfig(
            generator: GeneratorConfig(inputChannels: 9, outputChannels: 3, ngf: 4, downsamplings: 5),
            discriminator: DiscriminatorConfig(inputChannels: 12, ndf: 4, nLayers: 2))
        return TrainingConfig(
            mode: .lineart, dataPath: data, size: 32, batch: 2, steps: steps, seed: 9, model: model,
            checkpointEvery: 3, sampleEvery: 2, keepLast: 2, validationPictures: 2)
    }

    /// L1 settles on a plateau near half its start after ~150 steps (the GAN term and batch-1
    /// batch norm keep it there), where one step's value lands on either side of one half
    /// depending on the summation order (0.186–0.201 of 0.402 in the last ten steps with
    /// OpenBLAS and both naive twins). The check is therefore on the mean of the last ten
    /// steps, below 0.6 of the first: a broken gradient anywhere leaves L1 near its start.
    @Test("a generator overfits one pair: L1 falls by more than 40 %")
    func overfitOnePair() {
        let config = ModelConfig(
            generator: GeneratorConfig(inputChannels: 5, outputChannels: 3, ngf: 8, downsamplings: 5, dropout: false),
            discriminator: DiscriminatorConfig(inputChannels: 8, ndf: 8, nLayers: 2), adam: .init(lr: 1e-3))
        let model = Pix2PixModel(config, seed: 3)
        let a = Tensor.randomNormal([1, 5, 32, 32], seed: 1)
        let b = Tensor.randomNormal([1, 3, 32, 32], std: 0.5, seed: 2)
        let first = model.trainingStep(realA: a, realB: b).lossGL1
        let curve = (0..<200).map { _ in model.trainingStep(realA: a, realB: b).lossGL1 }
        let settled = curve.suffix(10).reduce(0, +) / 10
        #expect(settled < 0.6 * first, "L1 went from \(first) to \(settled) (mean of the last ten steps)")
    }

    @Test("N steps, resume, N steps gives exactly the weights of 2N straight steps")
    func exactResume() throws {
        let data = Self.makeDataset()
        let straight = Self.temporaryFolder("straight")
        let resumed = Self.temporaryFolder("resumed")
        let config = Self.tinyConfig(data: data, steps: 6)
        let a = try Trainer(config: config, runDirectory: straight, resume: false) { _ in }
        try a.run(stop: StopSignal())
        let b1 = try Trainer(config: config, runDirectory: resumed, resume: false) { _ in }
        try b1.run(stop: StopSignal(), pauseAt: 3)
        #expect(b1.currentStep == 3)
        let b2 = try Trainer(config: config, runDirectory: resumed, resume: true) { _ in }
        #expect(b2.currentStep == 3)
        try b2.run(stop: StopSignal())
        #expect(b2.currentStep == 6)
        for ((name, p), (_, q)) in zip(a.pix2pix.generator.namedParameters(), b2.pix2pix.generator.namedParameters()) {
            #expect(p.value.scalars == q.value.scalars, "G \(name) differs after resume")
        }
        for (p, q) in zip(a.pix2pix.discriminator.stateDict(), b2.pix2pix.discriminator.stateDict()) {
            #expect(p.tensor.scalars == q.tensor.scalars, "D \(p.name) differs after resume")
        }
    }

    @Test("--init-from: a new run starts from another run's networks at step 0 with its own options; a different architecture is refused")
    func fineTuneFromCheckpoint() throws {
        let data = Self.makeDataset()
        let source = Self.temporaryFolder("source")
        let tuned = Self.temporaryFolder("tuned")
        let first = try Trainer(config: Self.tinyConfig(data: data, steps: 3), runDirectory: source, resume: false) { _ in }
        try first.run(stop: StopSignal())
        let checkpoint = try #require(TrainingCheckpoint.resolve(source))
        #expect(checkpoint.hasSuffix("step-00000003.safetensors"))

        var config = Self.tinyConfig(data: data, steps: 2)
        config.model.lambdaL1 = 300
        config.hints.zeroHintProbability = 0.6
        config.initializedFrom = checkpoint
        let second = try Trainer(config: config, runDirectory: tuned, resume: false) { _ in }
        #expect(second.currentStep == 0)
        for ((name, p), (_, q)) in zip(first.pix2pix.generator.namedParameters(), second.pix2pix.generator.namedParameters()) {
            #expect(p.value.scalars == q.value.scalars, "G \(name) was not taken from the checkpoint")
        }
        #expect(second.pix2pix.optimizerG.step == 0)
        try second.run(stop: StopSignal())
        let saved = try TrainingCheckpoint.read(SafetensorsFile(contentsOf: "\(tuned)/checkpoints/step-00000002.safetensors"), path: "")
        #expect(saved.config.initializedFrom == checkpoint && saved.config.model.lambdaL1 == 300)

        var wider = Self.tinyConfig(data: data, steps: 2)
        wider.model.generator.ngf = 8
        wider.initializedFrom = checkpoint
        #expect(throws: CheckpointError.self) { _ = try Trainer(config: wider, runDirectory: Self.temporaryFolder("wider"), resume: false) { _ in } }
    }

    @Test("a run writes events, samples, checkpoints (last K kept) and validation beside baselines")
    func runFolder() throws {
        let data = Self.makeDataset(split: true)
        let run = Self.temporaryFolder("run")
        var events: [TrainingEvent] = []
        let trainer = try Trainer(config: Self.tinyConfig(data: data, steps: 9), runDirectory: run, resume: false) { events.append($0) }
        try trainer.run(stop: StopSignal())
        let checkpoints = TrainingCheckpoint.list(in: "\(run)/checkpoints").map(\.step)
        #expect(checkpoints == [6, 9])
        #expect(FileManager.default.fileExists(atPath: "\(run)/best.safetensors"))
        #expect(FileManager.default.fileExists(atPath: "\(run)/samples/step-00000002.png"))
        let log = try String(contentsOfFile: "\(run)/events.jsonl", encoding: .utf8).split(separator: "\n")
        let decoded = try log.map { try JSONDecoder().decode(TrainingEvent.self, from: Data($0.utf8)) }
        #expect(decoded == events)
        let validations = events.compactMap { if case .validation(_, let rows, _) = $0 { rows } else { nil } }
        #expect(validations.count == 3)
        #expect(validations.last?.map(\.hints) == Validator.hintCounts)
        #expect(validations.last?.allSatisfy { $0.model.bleed != nil || $0.model.adherence != nil || $0.hints == 0 } == true)
        if case .finished(9) = events.last {} else { Issue.record("last event \(String(describing: events.last))") }
        let exported = try TrainingCheckpoint.exportGenerator(checkpoint: "\(run)/best.safetensors", to: "\(run)/model")
        let colored = try Colorizer(model: exported).colorize(
            RGBImage(width: 50, height: 30), hints: [ColorHint(x: 3, y: 4, red: 255, green: 0, blue: 0, radius: 2)])
        #expect(colored.width == 50 && colored.height == 30)
    }

    @Test("a partial file left by a crash mid-write is never picked up; the previous checkpoint loads")
    func crashDuringCheckpoint() throws {
        let (run, config) = try Self.pausedRun("crash", steps: 6, pauseAt: 3)
        // What a kill -9 during a save leaves: the temporary sibling, partly written.
        let good = try Data(contentsOf: URL(fileURLWithPath: TrainingCheckpoint.list(in: "\(run)/checkpoints").last!.path))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: "\(run)/checkpoints/.step-00000006.safetensors.tmp-1-2"))
        #expect(TrainingCheckpoint.list(in: "\(run)/checkpoints").map(\.step) == [3])
        let resumed = try Trainer(config: config, runDirectory: run, resume: true) { _ in }
        #expect(resumed.currentStep == 3)
        // A truncated checkpoint under a real name is refused with an error, not loaded.
        try good.prefix(good.count - 100).write(to: URL(fileURLWithPath: "\(run)/checkpoints/step-00000004.safetensors"))
        #expect(throws: SafetensorsError.self) { try Trainer(config: config, runDirectory: run, resume: true) { _ in } }
    }

    @Test("after a kill: a torn event-log line is closed, abandoned temporary files are removed on the next start")
    func cleanupAfterKill() throws {
        let (run, config) = try Self.pausedRun("torn", steps: 4, pauseAt: 2)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(run)/events.jsonl"))
        try log.seekToEnd()
        log.write(Data(#"{"type":"progress","st"#.utf8))
        try log.close()
        // pid 0x7FFFFFF0 is above Linux's pid_max: no such process; pid 1 always exists.
        let dead = ".step-00000003.safetensors.tmp-2147483632-7"
        let alive = ".step-00000003.safetensors.tmp-1-7"
        for name in [dead, alive] { try Data("partial".utf8).write(to: URL(fileURLWithPath: "\(run)/checkpoints/\(name)")) }
        var events: [TrainingEvent] = []
        let resumed = try Trainer(config: config, runDirectory: run, resume: true) { events.append($0) }
        try resumed.run(stop: StopSignal())
        let left = try FileManager.default.contentsOfDirectory(atPath: "\(run)/checkpoints").filter { $0.hasPrefix(".") }
        #expect(left == [alive])
        #expect(events.first == .warning(message: "removed 1 partial file(s) left by an interrupted run: \(dead)"))
        let lines = try String(contentsOfFile: "\(run)/events.jsonl", encoding: .utf8).split(separator: "\n")
        let undecodable = lines.filter { (try? JSONDecoder().decode(TrainingEvent.self, from: Data($0.utf8))) == nil }
        #expect(undecodable == [#"{"type":"progress","st"#])
        #expect(lines.last.flatMap { try? JSONDecoder().decode(TrainingEvent.self, from: Data($0.utf8)) } == .finished(step: 4))
    }

    @Test("corrupt and non-picture files are skipped with a reason, never fatal")
    func corruptPictures() throws {
        let data = Self.makeDataset(count: 3)
        try Data("not a picture".utf8).write(to: URL(fileURLWithPath: "\(data)/broken.png"))
        let good = try Data(contentsOf: URL(fileURLWithPath: "\(data)/picture-0.png"))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: "\(data)/truncated.png"))
        try Data().write(to: URL(fileURLWithPath: "\(data)/empty.jpg"))
        let folder = ImageFolder(root: data, maxSide: 64)
        #expect(folder.count == 3)
        #expect(Set(folder.skipped.map(\.path)) == ["broken.png", "truncated.png", "empty.jpg"])
        #expect(folder.skipped.allSatisfy { !$0.reason.isEmpty })
    }

    @Test("batch-norm recalibration: stale running statistics are replaced by ones that fit the weights, deterministically")
    func batchNormRecalibration() throws {
        let folder = ImageFolder(root: Self.makeDataset(), maxSide: 64)
        let examples = ColorizationExamples(pictures: folder, maker: SampleMaker(mode: .lineart, size: 32))
        let generator = Pix2PixModel(Self.tinyConfig(data: "", steps: 1).model, seed: 2).generator  // initialized weights
        var layers: [BatchNorm2d] = []
        generator.visit { _, module in if let bn = module as? BatchNorm2d { layers.append(bn) } }
        // Running averages far from anything the weights produce, as after a bad stretch of GAN training.
        for layer in layers {
            for c in 0..<layer.channels { (layer.runningMean.value.data[c], layer.runningVar.value.data[c]) = (40, 1e4) }
        }
        let weights = generator.stateDict().filter { !$0.name.contains("running") && !$0.name.contains("batches") }.map(\.tensor.scalars)
        var rng = SeededGenerator(seed: 9)
        var planes: [Float] = []
        for index in 0..<4 { planes += examples.trainingPlanes(at: index % examples.count, rng: &rng).input }
        let batch = Tensor(planes, shape: [4, ColorizationEncoding.inputChannels(.lineart), 32, 32])
        generator.setTraining(false)
        GeneratorModel.useBatchStatistics(in: generator, true)
        let withBatchStatistics = generator.forward(batch).scalars
        GeneratorModel.useBatchStatistics(in: generator, false)
        func distance(_ a: [Float]) -> Float { zip(a, withBatchStatistics).map { abs($0 - $1) }.reduce(0, +) / Float(a.count) }
        let stale = distance(generator.forward(batch).scalars)

        BatchNormRecalibration.recalibrate(generator, examples: examples, batches: 8, batchSize: 4, seed: 1)
        let recalibrated = distance(generator.forward(batch).scalars)
        #expect(recalibrated < stale / 2, "mean |difference| from batch statistics: \(recalibrated) after, \(stale) before")
        #expect(layers.allSatisfy { $0.momentum == 0.1 && !$0.isTraining })
        #expect(generator.stateDict().filter { !$0.name.contains("running") && !$0.name.contains("batches") }.map(\.tensor.scalars) == weights)

        let means = layers.map(\.runningMean.value.scalars)
        for layer in layers {
            for c in 0..<layer.channels { (layer.runningMean.value.data[c], layer.runningVar.value.data[c]) = (0, 1) }
        }
        BatchNormRecalibration.recalibrate(generator, examples: examples, batches: 8, batchSize: 4, seed: 1)
        #expect(layers.map(\.runningMean.value.scalars) == means, "the same seed gives the same statistics, whatever came before")
    }

    @Test("batches depend only on seed and step")
    func deterministicBatches() {
        let folder = ImageFolder(root: Self.makeDataset(), maxSide: 64)
        let maker = SampleMaker(mode: .lineart, size: 32)
        let early = BatchLoader(pictures: folder, maker: maker, batchSize: 2, seed: 4, firstStep: 0)
        let late = BatchLoader(pictures: folder, maker: maker, batchSize: 2, seed: 4, firstStep: 5)
        defer {
            early.stop()
            late.stop()
        }
        for step in [5, 6] {
            #expect(early.batch(for: step).input.scalars == late.batch(for: step).input.scalars)
        }
        #expect(early.batch(for: 7).target.scalars != late.batch(for: 8).target.scalars)
    }
}
