import ArgumentParser
import Dispatch
import Foundation
import NN
import Pix2Pix

/// `tinct train`: trains a colorization (or generic pix2pix) model on a folder of pictures.
/// The training options (`--size`, `--lr`, …) are `TrainingOptions.schema`'s, read by
/// `TrainingFlags`; the options declared here are the command line's own.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a folder of pictures (lineart and photo modes derive inputs on the fly; pix2pix reads pairs).",
        discussion: """
            The run folder gets config.json, events.jsonl, checkpoints/ (last --keep and best.safetensors) \
            and samples/. Ctrl-C or SIGTERM saves a checkpoint and exits; --resume continues exactly.

            \(TrainingFlags.helpSection(title: "TRAINING OPTIONS (the web dashboard's form offers the same):"))

            --mode pix2pix learns a paired translation, input RGB → target RGB. Layouts
            (detected, or --layout):
              side-by-side  one file per pair, A in the left half, B in the right
                            (pix2pix's facades, the anime sketch-colorization pairs)
              folders       DATA/A/ and DATA/B/, files paired by relative path without
                            extension, recursively; unmatched files are counted
            Split: train/ and val/ subfolders when present (DATA/train/, DATA/train/A
            or DATA/A/train), else about 5% of the pairs by a hash of their names.
            --direction AtoB reads A and produces B, BtoA the reverse. Both pictures
            are resized to 1.117 × --size (286 for 256), then cut by one random crop
            and flip. Validation: PSNR and ΔE2000 against the target beside the input
            unchanged (no hints). Direction and layout are saved for --resume.
            """)

    @Option(help: "Folder of PNG/JPEG pictures (recursive), or of pairs for pix2pix; train/ and val/ subfolders are used as the split when present.")
    var data: String?
    @Option(help: "Run folder (created).")
    var out: String
    @Option(help: "Alternatively, the number of passes over the training pictures (overrides --steps).")
    var epochs: Int?
    @Option(
        name: .customLong("test-norm"),
        help:
            "Batch norm at inference: picture (each picture's own statistics, as pix2pix tests) or running (averages over training batches, recomputed at each checkpoint); default: picture at --batch 1, running above."
    )
    var testNorm: InferenceNorm?
    @Option(
        name: .customLong("init-from"),
        help:
            "Fine-tune: start from the networks of this checkpoint (a file, or a run folder's best) instead of random weights; same architecture; optimizers and step start afresh."
    )
    var initFrom: String?
    @Option(
        name: .customLong("memory-limit"),
        help: ArgumentHelp(
            "Most memory the run may need, in MiB (default: half of this machine's); larger runs are refused before they start.", valueName: "MiB"))
    var memoryLimit: Int?
    @Flag(help: "Continue the latest checkpoint in --out (its saved options are used; --steps sets a new total).")
    var resume = false
    @Flag(help: "Print one JSON event per line instead of a progress bar.")
    var json = false
    /// The training options, as typed; ArgumentParser leaves them to `TrainingFlags`.
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("Any of the TRAINING OPTIONS above.", valueName: "training-option"))
    var trainingArguments: [String] = []

    func validate() throws {
        if !resume && data == nil { throw ValidationError("--data is required for a new run") }
        if let data, !FileManager.default.fileExists(atPath: data) { throw ValidationError("--data \(data) does not exist") }
        try Self.refuseProblems(of: try trainingOptions().options)
    }

    /// Throws the first option out of range, named by its flag.
    static func refuseProblems(of options: TrainingOptions) throws {
        if let problem = options.problems.first {
            throw ValidationError(TrainingFlags.describe(field: problem.field, problem: problem.problem))
        }
    }

    /// The training options given on the command line over the defaults, and the names of
    /// those given.
    func trainingOptions() throws -> (options: TrainingOptions, given: [String]) {
        let given = try TrainingFlags.parse(trainingArguments)
        do {
            return (try TrainingOptions(given: given), given.map(\.name))
        } catch {
            throw ValidationError(TrainingFlags.describe(field: error.field, problem: error.problem))
        }
    }

    func run() throws {
        var (options, given) = try trainingOptions()
        // A resumed run keeps its saved options; only a new total of steps applies.
        let steps = given.contains("steps") ? options.steps : nil
        if resume, let ignored = given.first(where: { $0 != "steps" }) {
            FileHandle.standardError.write(
                Data("warning: --\(TrainingFlags.flag(of: ignored)) is ignored with --resume (the run's saved options are used)\n".utf8))
        }
        if let epochs, let data {
            let count =
                options.mode == .pix2pix
                ? PairedFiles(path: data, layout: options.layout ?? PairedLayout.detect(at: data)).train.count
                : ImageFolder.listPictures(under: FileManager.default.fileExists(atPath: "\(data)/train") ? "\(data)/train" : data).count
            options.steps = max(1, epochs * count / options.batch)
        }
        try Self.refuseProblems(of: options)  // again: --epochs may have set the steps
        var config = options.config(dataPath: data ?? "")
        config.pictureStatisticsAtInference = testNorm.map { $0 == .picture }
        if let initFrom {
            guard !resume else { throw ValidationError("--init-from starts a new run; --resume continues one") }
            guard let checkpoint = TrainingCheckpoint.resolve(initFrom) else {
                throw CommandFailure(ModelSourceError.nothingToLoad(folder: DisplayPath.absolute(initFrom)), context: "--init-from")
            }
            config.initializedFrom = checkpoint
        }
        if !resume {
            let memory = TrainingMemory(config: config)
            if let refusal = memory.refusal(budgetBytes: memoryLimit.map { $0 << 20 } ?? TrainingMemory.defaultBudgetBytes) {
                throw CommandFailure(refusal)
            }
            if let free = TrainingMemory.freeDiskBytes(at: out), let refusal = memory.diskRefusal(config: config, freeBytes: free) {
                throw CommandFailure(refusal)
            }
        }
        let progress = ProgressPrinter(json: json)
        let trainer: Trainer
        // Started by mpirun: this process is one rank of a data-parallel run (see DataParallelTraining).
        let ranks: MPICommunicator?
        do {
            ranks = try MPICommunicator.fromLauncher()
            trainer = try Trainer(
                config: config, runDirectory: out, resume: resume,
                steps: resume ? steps : nil, ranks: ranks
            ) { progress.show($0) }
        } catch {
            throw CommandFailure(error)
        }
        defer { ranks?.finalize() }
        progress.paired = trainer.config.mode == .pix2pix
        let firstStep = trainer.currentStep
        let stop = StopSignal()
        let signals = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.stop(reason: sig == SIGINT ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)") }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        do {
            try trainer.run(stop: stop)
        } catch {
            progress.finishLine()
            throw CommandFailure(error, context: "training failed")
        }
        progress.finishLine()
        if trainer.dataParallel?.isLeader ?? true, trainer.times.steps > 0 {
            FileHandle.standardError.write(Data((trainer.times.summary(batch: trainer.config.batch) + "\n").utf8))
        }
        if let parallel = trainer.dataParallel, parallel.isLeader {
            FileHandle.standardError.write(Data((parallel.summary(steps: trainer.currentStep - firstStep) + "\n").utf8))
        }
        if progress.failed { throw ExitCode.failure }
    }
}

/// Shows training events in the terminal: a progress bar with step/total, img/s, ETA and
/// losses; other events on their own lines.
final class ProgressPrinter: @unchecked Sendable {
    let json: Bool
    /// The run is pix2pix: validation rows have no hints and one baseline.
    var paired = false
    private(set) var failed = false
    private var barShown = false

    init(json: Bool) { self.json = json }

    func show(_ event: TrainingEvent) {
        if json {
            if let line = try? JSONEncoder().encode(event) { FileHandle.standardOutput.write(line + Data("\n".utf8)) }
            if case .failed = event { failed = true }
            return
        }
        switch event {
        case .progress(let step, let total, let rate, let eta, _, let l):
            let width = 24
            let filled = total > 0 ? width * step / total : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line = String(
                format: "\r%@ %d/%d  %.2f img/s  ETA %@  G_GAN %.3f G_L1 %.4f D_real %.3f D_fake %.3f",
                bar, step, total, rate, Self.duration(eta), l.lossGGAN, l.lossGL1, l.lossDReal, l.lossDFake)
            FileHandle.standardError.write(Data(line.utf8))
            barShown = true
        case .started(let step, let total, let pictures, let val, let skipped):
            let unit = paired ? "pairs" : "pictures"
            say("training from step \(step) to \(total) on \(pictures) \(unit) (\(val) for validation, \(skipped) files skipped)")
            if val < ValidationSplit.fewPictures {
                say(
                    "warning: only \(val) validation \(unit): the validation figures will be mostly noise"
                        + (val == 0 ? " (none: no validation and no best.safetensors)" : "")
                        + "; hold out more with a val/ folder beside train/ (at least \(ValidationSplit.fewPictures)), or add pictures (1 in \(ValidationSplit.oneIn) is held out)"
                )
            }
        case .checkpoint(let step, let path): say("checkpoint at step \(step): \(path)")
        case .sample: break
        case .validation(let step, let rows, let n) where paired:
            say("validation at step \(step) on \(n) pairs (PSNR dB / ΔE2000 against the target; no hints):")
            for r in rows {
                say(
                    String(
                        format: "  model %.2f / %.2f | input unchanged %.2f / %.2f %@", r.model.psnr, r.model.deltaE,
                        r.inputUnchanged.psnr, r.inputUnchanged.deltaE, r.modelWins ? "(model beats the input)" : ""))
            }
        case .validation(let step, let rows, let n):
            let edgeAware = rows.contains { $0.edgeAwareFill != nil }
            say(
                "validation at step \(step) on \(n) pictures (PSNR dB / ΔE2000; model | input unchanged | nearest-hint fill"
                    + (edgeAware ? " | edge-aware fill):" : "):"))
            for r in rows {
                let edge = r.edgeAwareFill.map { String(format: " | %.2f / %.2f", $0.psnr, $0.deltaE) } ?? ""
                say(
                    String(
                        format: "  %2d hints: %.2f / %.2f | %.2f / %.2f | %.2f / %.2f%@ %@", r.hints, r.model.psnr, r.model.deltaE,
                        r.inputUnchanged.psnr, r.inputUnchanged.deltaE, r.nearestHintFill.psnr, r.nearestHintFill.deltaE, edge,
                        r.modelWins ? "(model beats every baseline)" : ""))
            }
        case .warning(let message): say("warning: \(message)")
        case .stopped(let step, let reason): say("stopped at step \(step): \(reason); checkpoint saved")
        case .finished(let step): say("finished at step \(step)")
        case .failed(_, let message):
            failed = true
            say("error: \(message)")
        }
    }

    func finishLine() {
        if barShown {
            FileHandle.standardError.write(Data("\n".utf8))
            barShown = false
        }
    }

    private func say(_ text: String) {
        finishLine()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds)
        return s >= 3600 ? String(format: "%dh%02dm", s / 3600, s % 3600 / 60) : String(format: "%dm%02ds", s / 60, s % 60)
    }
}

/// A run refused before it starts: printed alone (not as a usage error), exit status 1.
extension GANLoss: ExpressibleByArgument {}
extension PairDirection: ExpressibleByArgument {}
extension PairedLayout: ExpressibleByArgument {}

/// `--test-norm`: which statistics batch norm uses when the model colorizes.
enum InferenceNorm: String, ExpressibleByArgument, CaseIterable {
    case picture, running
}
