import Foundation
import ImageCodecs
import NN
import Tensors

/// Why a run cannot start.
public enum TrainerError: Error, CustomStringConvertible {
    case invalidConfig([String])
    case noPictures(String)
    case nothingToResume(String)
    case busy(String)

    public var description: String {
        switch self {
        case .invalidConfig(let problems): problems.joined(separator: "; ")
        case .noPictures(let path): "no readable PNG or JPEG pictures under \(path)"
        case .nothingToResume(let path): "no checkpoint to resume in \(path)"
        case .busy(let path): "\(path) is being written by another training run"
        }
    }
}

/// A training run: data, model, the step loop, checkpoints, samples, validation and events.
///
/// Run folder layout: `config.json`, `events.jsonl` (every event, one JSON object per line:
/// `RunEventLog`), `checkpoints/step-XXXXXXXX.safetensors` (the last `keepLast`:
/// `CheckpointRotation`) and `best.safetensors`, `samples/step-XXXXXXXX.png`. Call `run` on a
/// dedicated thread: it blocks until the run ends, is stopped, or fails. In data-parallel
/// training (`DataParallelTraining`) every rank runs a trainer and only rank 0 writes the folder.
public final class Trainer {
    public let config: TrainingConfig
    public let runDirectory: String
    private let emit: (TrainingEvent) -> Void
    private let model: Pix2PixModel
    private var step = 0
    private var bestDeltaE: Double?
    /// Nil on the ranks other than 0 of a data-parallel run: they write nothing.
    private let eventLog: RunEventLog?
    /// This process's part in a data-parallel run; nil when training alone.
    public let dataParallel: DataParallelTraining?
    /// Whether this process writes the run folder (always, unless it is a rank other than 0).
    private var isLeader: Bool { dataParallel?.isLeader ?? true }
    private let rotation: CheckpointRotation
    /// Said at the start of `run` (the event sink is not ready during `init`).
    private var startupWarnings: [String] = []
    /// The run's training examples, for recomputing batch-norm statistics at checkpoints.
    private var examples: (any TrainingExamples)?
    /// Called on the training thread before every step, before the stop request is read; may
    /// block (the web server's training process asks the server here, which lets interactive
    /// colorizations run first and may answer with a stop).
    public var beforeEachStep: (() -> Void)?
    /// Where the last `run`'s wall time went (for `tinct train`'s closing summary).
    public private(set) var times = TrainingTimes()
    /// Held from `init` until `run` returns (taken again by a later `run`): no other trainer,
    /// here or in another process, writes the folder meanwhile.
    private var lock: RunLock?

    /// Prepares a new run, or with `resume` continues the latest checkpoint in `runDirectory`
    /// (its saved config wins; `steps` may extend it). A new run whose config names
    /// `initializedFrom` starts from that checkpoint's networks (same architecture) with fresh
    /// optimizers at step 0: fine-tuning with other options. With `ranks` (a job started by
    /// mpirun), this process trains its slice of every batch as that rank.
    public init(
        config requested: TrainingConfig, runDirectory: String, resume: Bool, steps: Int? = nil,
        ranks: (any Collective)? = nil, events: @escaping (TrainingEvent) -> Void
    ) throws {
        let fm = FileManager.default
        var config = requested
        var restore: (SafetensorsFile, String)?
        if resume {
            guard let latest = TrainingCheckpoint.list(in: "\(runDirectory)/checkpoints").last else {
                throw TrainerError.nothingToResume(runDirectory)
            }
            let file = try SafetensorsFile(contentsOf: latest.path)
            config = try TrainingCheckpoint.read(file, path: latest.path).config
            if let steps { config.steps = steps }
            restore = (file, latest.path)
        }
        guard config.problems.isEmpty else { throw TrainerError.invalidConfig(config.problems) }
        dataParallel = try ranks.map { try DataParallelTraining($0, batch: config.batch) }
        rotation = CheckpointRotation(folder: "\(runDirectory)/checkpoints", keepLast: config.keepLast)
        if dataParallel?.isLeader ?? true {
            for sub in ["", "/checkpoints", "/samples"] {
                try fm.createDirectory(atPath: runDirectory + sub, withIntermediateDirectories: true)
            }
            guard let lock = RunLock(folder: runDirectory) else { throw TrainerError.busy(runDirectory) }
            self.lock = lock
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try AtomicFile.write(try encoder.encode(config), to: "\(runDirectory)/config.json")
            eventLog = RunEventLog(path: "\(runDirectory)/events.jsonl")
            let abandoned = TrainingCheckpoint.removeAbandonedTemporaryFiles(in: [runDirectory, "\(runDirectory)/checkpoints"])
            startupWarnings =
                abandoned.isEmpty
                ? []
                : ["removed \(abandoned.count) partial file(s) left by an interrupted run: \(abandoned.joined(separator: ", "))"]
        } else {
            eventLog = nil
        }

        self.config = config
        self.runDirectory = runDirectory
        self.emit = events
        model = Pix2PixModel(config.model, seed: config.seed)
        if let (file, path) = restore {
            let header = try TrainingCheckpoint.restore(model, from: file, path: path)
            step = header.step
            bestDeltaE = header.bestDeltaE
        } else if let source = config.initializedFrom {
            if ModelInitialization.isModel(source) {
                try ModelInitialization.loadGenerator(into: model, fromModel: source)
            } else {
                try TrainingCheckpoint.loadNetworks(into: model, from: source)
            }
        }
        dataParallel?.attach(to: model)
    }

    /// Logs `event` to `events.jsonl` and hands it to the listener. A log that cannot be
    /// written (disk full) is reported once as a warning; events still reach the listener.
    private func report(_ event: TrainingEvent) {
        guard isLeader else { return }
        if let failure = eventLog?.append(event) {
            emit(.warning(message: "events.jsonl can no longer be written (\(failure)); events are still reported here"))
        }
        emit(event)
    }

    /// Trains until `config.steps` (or `pauseAt`, which saves a checkpoint as a stop does),
    /// a stop request, or a non-finite loss.
    public func run(stop: StopSignal, pauseAt: Int? = nil) throws {
        if isLeader && lock == nil {
            guard let taken = RunLock(folder: runDirectory) else { throw TrainerError.busy(runDirectory) }
            lock = taken
        }
        defer { lock = nil }
        for message in startupWarnings { report(.warning(message: message)) }
        startupWarnings = []
        times = TrainingTimes()
        let data = times.measure(.readingPictures) { RunData(config) }
        for message in data.warnings { report(.warning(message: message)) }
        guard data.examples.count > 0 else { throw TrainerError.noPictures(config.dataPath) }
        examples = data.examples
        let loader = BatchLoader(
            examples: data.examples, batchSize: config.batch, seed: config.seed, firstStep: step,
            slice: dataParallel?.slice)
        defer { loader.stop() }
        let loopStart = ProcessInfo.processInfo.systemUptime
        defer {
            times.loopSeconds = ProcessInfo.processInfo.systemUptime - loopStart
            (times.loaderBatches, times.loaderSeconds) = loader.preparedAhead
        }
        let validator = data.validation
        report(
            .started(
                step: step, totalSteps: config.steps, pictures: data.examples.count,
                validationPictures: validator.count, skipped: data.skippedCount))

        model.setTraining(true)
        var lastSaved = step
        var rate = 0.0
        var lastReport = Date.distantPast
        // The ETA follows the recent wall-clock pace, checkpoints and validation included.
        var remaining = RemainingTimeEstimator()
        remaining.record(step: step, at: ProcessInfo.processInfo.systemUptime)
        while step < config.steps {
            // First, so a stop that arrives while it waits (the dashboard's answer) ends the run here.
            beforeEachStep?()
            if let pauseAt, step >= pauseAt { stop.stop(reason: "paused at step \(pauseAt)") }
            if let reason = agreedStopReason(stop) {
                if step > lastSaved { guard saveOnLeader(validator: nil) else { return } }
                report(.stopped(step: step, reason: reason))
                return
            }
            let started = Date()
            let lr = config.schedule.rate(at: step)
            model.setLearningRate(lr)
            reseedDropout(step: step)
            let batch = times.measure(.waitingForData) { loader.batch(for: step) }
            var losses = times.measure(.trainingSteps) { model.trainingStep(realA: batch.input, realB: batch.target) }
            if let dataParallel { losses = dataParallel.average(losses) }
            let values = [losses.lossDFake, losses.lossDReal, losses.lossGGAN, losses.lossGL1, losses.lossGFeature]
            guard values.allSatisfy(\.isFinite) else {
                report(.failed(step: step, message: "a loss became \(values.first { !$0.isFinite }!) at step \(step + 1); the last good checkpoint is kept"))
                return
            }
            step += 1
            times.steps += 1
            let imagesPerSecond = Double(config.batch) / Date().timeIntervalSince(started)
            rate = rate == 0 ? imagesPerSecond : 0.9 * rate + 0.1 * imagesPerSecond
            remaining.record(step: step, at: ProcessInfo.processInfo.systemUptime)
            if Date().timeIntervalSince(lastReport) >= 0.5 || step == config.steps {
                lastReport = Date()
                let eta =
                    remaining.remainingSeconds(totalSteps: config.steps)
                    ?? Double(config.steps - step) * Double(config.batch) / max(rate, 1e-9)
                report(.progress(step: step, totalSteps: config.steps, imagesPerSecond: rate, etaSeconds: eta, learningRate: lr, losses: losses))
            }
            if isLeader && (step % config.sampleEvery == 0 || step == config.steps) {
                times.measure(.samples) { writeSample(batch) }
            }
            if step % config.checkpointEvery == 0 || step == config.steps {
                guard saveOnLeader(validator: validator) else { return }
                lastSaved = step
            }
        }
        report(.finished(step: step))
    }

    /// This process's stop request or, in data-parallel training, any rank's (a collective
    /// call, so that all ranks stop at the same step).
    private func agreedStopReason(_ stop: StopSignal) -> String? {
        let own = stop.requested
        guard let dataParallel else { return own }
        return dataParallel.anyRank(own != nil) ? (own ?? "another rank was stopped") : nil
    }

    /// Saves a checkpoint on the leader (other ranks write nothing); in data-parallel training
    /// every rank then learns whether it worked, so that all stop when it did not.
    private func saveOnLeader(validator: (any ValidationSet)?) -> Bool {
        let saved = isLeader ? saveCheckpointOrReport(validator: validator) : true
        guard let dataParallel else { return saved }
        return !dataParallel.anyRank(!saved)
    }

    /// Saves a checkpoint; when that fails (typically a full disk) reports `failed` — naming
    /// the step, the reason and the checkpoint that is still intact — and returns false: the
    /// run stops there rather than train on with nothing saved. Checkpoints are written to a
    /// temporary file and renamed, so a failed save leaves the previous ones as they were.
    private func saveCheckpointOrReport(validator: (any ValidationSet)?) -> Bool {
        do {
            try saveCheckpoint(validator: validator)
            return true
        } catch {
            let previous = TrainingCheckpoint.list(in: "\(runDirectory)/checkpoints").last
            let kept =
                previous.map { "the checkpoint of step \($0.step) is intact; free some disk space and resume" }
                ?? "no earlier checkpoint exists"
            report(
                .failed(
                    step: step,
                    message: "the checkpoint of step \(step) could not be saved (\(FileErrorReason.sentence(for: error))); training stopped, \(kept)"))
            return false
        }
    }

    /// Validates (when given a validator), writes the checkpoint, keeps the last K and the best.
    private func saveCheckpoint(validator: (any ValidationSet)?) throws {
        var improved = false
        if !config.inferenceUsesBatchStatistics, let examples {
            // Inference will use the running statistics: make them fit the current weights.
            times.measure(.batchNormRecalibration) {
                BatchNormRecalibration.recalibrate(
                    model.generator, examples: examples, batchSize: config.batch,
                    seed: BatchLoader.mix(config.seed, 0xB17C))
            }
            model.generator.setTraining(true)
        }
        if let validator, validator.count > 0 {
            model.generator.setTraining(false)
            GeneratorModel.useBatchStatistics(in: model.generator, config.inferenceUsesBatchStatistics)
            let rows = times.measure(.validation) { validator.evaluate(model.generator) }
            GeneratorModel.useBatchStatistics(in: model.generator, false)
            model.generator.setTraining(true)
            report(.validation(step: step, rows: rows, pictures: validator.count))
            if let score = rows.last?.model.deltaE, score < (bestDeltaE ?? .infinity) {
                bestDeltaE = score
                improved = true
            }
        }
        let folder = "\(runDirectory)/checkpoints"
        let path = "\(folder)/\(TrainingCheckpoint.fileName(step: step))"
        try times.measure(.checkpointWriting) {
            try TrainingCheckpoint.save(model, config: config, step: step, bestDeltaE: bestDeltaE, to: path)
            let best = "\(runDirectory)/best.safetensors"
            if improved && !TrainingCheckpoint.linkSecondName(of: path, as: best) {
                try TrainingCheckpoint.save(model, config: config, step: step, bestDeltaE: bestDeltaE, to: best)
            }
        }
        report(.checkpoint(step: step, path: path))
        for failure in rotation.removeOld() { report(.warning(message: failure)) }
    }

    /// Writes the sample grid of `batch` (its first item: input, output, target).
    private func writeSample(_ batch: TrainingBatch) {
        let path = "\(runDirectory)/samples/" + String(format: "step-%08d.png", step)
        let grid = SampleGrid.make(input: firstItem(batch.input), output: firstItem(model.fakeB!), target: firstItem(batch.target), mode: config.mode)
        do {
            try grid.write(to: path)
            report(.sample(step: step, path: path))
        } catch {
            report(.warning(message: "could not write sample \(path): \(error)"))
        }
    }

    /// Dropout masks depend only on (seed, step), so a resumed run draws the same masks.
    private func reseedDropout(step: Int) {
        var index: UInt64 = 0
        model.generator.visit { _, module in
            if let dropout = module as? Dropout {
                dropout.rng = SeededGenerator(seed: BatchLoader.mix(config.seed, UInt64(step), index, 0xD0))
                index += 1
            }
        }
    }

    private func firstItem(_ t: Tensor) -> Tensor {
        let per = t.count / t.shape[0]
        let item = Tensor(zeros: [1] + t.shape.dropFirst())
        item.data.update(from: t.data, count: per)
        return item
    }

    /// The current step (after construction: the resumed step).
    public var currentStep: Int { step }
    /// The networks being trained.
    public var pix2pix: Pix2PixModel { model }
}
