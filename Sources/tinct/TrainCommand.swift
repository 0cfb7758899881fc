import ArgumentParser
import Dispatch
import Foundation
import NN
import Pix2Pix

/// `tinct train`: trains a colorization (or generic pix2pix) model on a folder of pictures.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a folder of pictures (lineart and photo modes derive inputs on the fly; pix2pix reads pairs).",
        discussion: """
            The run folder gets config.json, events.jsonl, checkpoints/ (last --keep and best.safetensors) \
            and samples/. Ctrl-C or SIGTERM saves a checkpoint and exits; --resume continues exactly.

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

    /// The options' defaults, shared with the web dashboard.
    static let defaults = TrainingOptions()

    @Option(help: "Folder of PNG/JPEG pictures (recursive), or of pairs for pix2pix; train/ and val/ subfolders are used as the split when present.")
    var data: String?
    @Option(help: "What to learn: lineart (lines + hints → RGB), photo (lightness + hints → chroma) or pix2pix (paired pictures, A → B).")
    var mode: ModelMode = Self.defaults.mode
    @Option(help: "pix2pix: AtoB (the left half or A/ is the input) or BtoA.")
    var direction: PairDirection = Self.defaults.direction
    @Option(help: "pix2pix: side-by-side or folders (A/ and B/); detected when omitted.")
    var layout: PairedLayout?
    @Option(help: "Run folder (created).")
    var out: String
    @Option(help: "Side of the square training crops; a multiple of 2^downs.")
    var size: Int = Self.defaults.size
    @Option(help: "Generator filters in the outermost layer (pix2pix ngf).")
    var ngf: Int = Self.defaults.ngf
    @Option(help: "Discriminator filters in the first layer (pix2pix ndf).")
    var ndf: Int = Self.defaults.ndf
    @Option(help: "U-Net downsamplings (default: down to 1×1, log2 of --size, 5–10: 8 for 256 px).")
    var downs: Int?
    @Option(help: "Pictures per step.")
    var batch: Int = Self.defaults.batch
    @Option(help: "Total optimization steps (lr constant for the first half, then linear decay to 0; default \(Self.defaults.steps)). With --resume: the new total.")
    var steps: Int?
    @Option(help: "Alternatively, the number of passes over the training pictures (overrides --steps).")
    var epochs: Int?
    @Option(name: .customLong("num-d"), help: "Discriminator scales (pix2pixHD multi-scale), 1–3.")
    var numD: Int = Self.defaults.numD
    @Option(help: "PatchGAN layers of each discriminator.")
    var nLayers: Int = Self.defaults.nLayers
    @Flag(help: "Add a SAGAN self-attention block to G (at 32×32) and to each D.")
    var attention = false
    @Flag(help: "Spectral normalization of the discriminator's convolutions.")
    var spectralNorm = false
    @Option(help: "Normalization in the networks: batch or instance.")
    var norm: NormKind = Self.defaults.norm
    @Option(help: "GAN objective: vanilla (BCE), lsgan or hinge.")
    var ganLoss: GANLoss = Self.defaults.ganLoss
    @Option(name: .customLong("lambda-l1"), help: "Weight of the L1 loss.")
    var lambdaL1: Float = Self.defaults.lambdaL1
    @Option(name: .customLong("lambda-fm"), help: "Weight of pix2pixHD feature matching (0 = off; 10 in the paper).")
    var lambdaFM: Float = Self.defaults.lambdaFM
    @Option(help: "Adam learning rate.")
    var lr: Float = Self.defaults.lr
    @Option(help: "Random seed (data order, augmentation, hints, dropout, initialization).")
    var seed: UInt64 = Self.defaults.seed
    @Option(help: "Steps between checkpoints (with validation).")
    var checkpointEvery: Int = Self.defaults.checkpointEvery
    @Option(help: "Steps between sample grids.")
    var sampleEvery: Int = Self.defaults.sampleEvery
    @Option(help: "Checkpoints to keep besides the best.")
    var keep: Int = Self.defaults.keep
    @Option(help: "Validation pictures per checkpoint.")
    var valPictures: Int = Self.defaults.valPictures
    @Option(name: .customLong("zero-hints"), help: "Fraction of training samples given no hints (the rest get a geometric number, mean 8).")
    var zeroHints: Float = Self.defaults.zeroHints
    @Option(name: .customLong("colored-backgrounds"), help: "Line art: fraction of training samples whose white background is repainted with a random colour or gradient, so the model is asked to follow hints placed on open space (pictures with a coloured backdrop). Experimental; default 0.")
    var coloredBackgrounds: Float = Self.defaults.coloredBackgrounds
    @Option(name: .customLong("test-norm"), help: "Batch norm at inference: picture (each picture's own statistics, as pix2pix tests) or running (averages over training batches, recomputed at each checkpoint); default: picture at --batch 1, running above.")
    var testNorm: InferenceNorm?
    @Option(name: .customLong("init-from"), help: "Fine-tune: start from the networks of this checkpoint (a file, or a run folder's best) instead of random weights; same architecture; optimizers and step start afresh.")
    var initFrom: String?
    @Option(name: .customLong("memory-limit"), help: ArgumentHelp("Most memory the run may need, in MiB (default: half of this machine's); larger runs are refused before they start.", valueName: "MiB"))
    var memoryLimit: Int?
    @Flag(help: "Continue the latest checkpoint in --out (its saved options are used; --steps may extend it).")
    var resume = false
    @Flag(help: "Print one JSON event per line instead of a progress bar.")
    var json = false

    func validate() throws {
        if !resume && data == nil { throw ValidationError("--data is required for a new run") }
        if let data, !FileManager.default.fileExists(atPath: data) { throw ValidationError("--data \(data) does not exist") }
        guard (1...3).contains(numD) else { throw ValidationError("--num-d must be 1, 2 or 3") }
        if let downs, !(5...10).contains(downs) { throw ValidationError("--downs must be between 5 and 10") }
    }

    func run() throws {
        var options = TrainingOptions()
        (options.mode, options.size, options.ngf, options.ndf) = (mode, size, ngf, ndf)
        options.downs = downs ?? TrainingOptions.defaultDowns(forSize: size)
        (options.batch, options.numD, options.nLayers, options.attention) = (batch, numD, nLayers, attention)
        (options.spectralNorm, options.norm, options.ganLoss) = (spectralNorm, norm, ganLoss)
        (options.lambdaL1, options.lambdaFM, options.lr, options.seed) = (lambdaL1, lambdaFM, lr, seed)
        (options.checkpointEvery, options.sampleEvery, options.keep, options.valPictures) = (checkpointEvery, sampleEvery, keep, valPictures)
        (options.steps, options.direction, options.layout, options.zeroHints) = (steps ?? Self.defaults.steps, direction, layout, zeroHints)
        options.coloredBackgrounds = coloredBackgrounds
        if let epochs, let data {
            let count = mode == .pix2pix
                ? PairedFiles(path: data, layout: layout ?? PairedLayout.detect(at: data)).train.count
                : ImageFolder.listPictures(under: FileManager.default.fileExists(atPath: "\(data)/train") ? "\(data)/train" : data).count
            options.steps = max(1, epochs * count / batch)
        }
        if let problem = options.problems.first {
            throw ValidationError("\(problem.field): \(problem.problem)")
        }
        var config = options.config(dataPath: data ?? "")
        config.pictureStatisticsAtInference = testNorm.map { $0 == .picture }
        if let initFrom {
            guard !resume else { throw ValidationError("--init-from starts a new run; --resume continues one") }
            guard let checkpoint = TrainingCheckpoint.resolve(initFrom) else { throw ValidationError("--init-from: no checkpoint in \(initFrom)") }
            config.initializedFrom = checkpoint
        }
        if !resume {
            let memory = TrainingMemory(config: config)
            if let refusal = memory.refusal(budgetBytes: memoryLimit.map { $0 << 20 } ?? TrainingMemory.defaultBudgetBytes) {
                throw TrainingRefused(message: refusal)
            }
            if let free = TrainingMemory.freeDiskBytes(at: out), let refusal = memory.diskRefusal(config: config, freeBytes: free) {
                throw TrainingRefused(message: refusal)
            }
        }
        let progress = ProgressPrinter(json: json)
        let trainer: Trainer
        do {
            trainer = try Trainer(config: config, runDirectory: out, resume: resume,
                                  steps: resume ? steps : nil) { progress.show($0) }
        } catch {
            throw ValidationError("\(error)")
        }
        progress.paired = trainer.config.mode == .pix2pix
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
            throw ValidationError("training failed: \(error)")
        }
        progress.finishLine()
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
            let width = 24, filled = total > 0 ? width * step / total : 0
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line = String(format: "\r%@ %d/%d  %.2f img/s  ETA %@  G_GAN %.3f G_L1 %.4f D_real %.3f D_fake %.3f",
                              bar, step, total, rate, Self.duration(eta), l.lossGGAN, l.lossGL1, l.lossDReal, l.lossDFake)
            FileHandle.standardError.write(Data(line.utf8))
            barShown = true
        case .started(let step, let total, let pictures, let val, let skipped):
            let unit = paired ? "pairs" : "pictures"
            say("training from step \(step) to \(total) on \(pictures) \(unit) (\(val) for validation, \(skipped) files skipped)")
        case .checkpoint(let step, let path): say("checkpoint at step \(step): \(path)")
        case .sample: break
        case .validation(let step, let rows, let n) where paired:
            say("validation at step \(step) on \(n) pairs (PSNR dB / ΔE2000 against the target; no hints):")
            for r in rows {
                say(String(format: "  model %.2f / %.2f | input unchanged %.2f / %.2f %@", r.model.psnr, r.model.deltaE,
                           r.inputUnchanged.psnr, r.inputUnchanged.deltaE, r.modelWins ? "(model beats the input)" : ""))
            }
        case .validation(let step, let rows, let n):
            say("validation at step \(step) on \(n) pictures (PSNR dB / ΔE2000; model | input unchanged | nearest-hint fill):")
            for r in rows {
                say(String(format: "  %2d hints: %.2f / %.2f | %.2f / %.2f | %.2f / %.2f %@", r.hints, r.model.psnr, r.model.deltaE,
                           r.inputUnchanged.psnr, r.inputUnchanged.deltaE, r.nearestHintFill.psnr, r.nearestHintFill.deltaE,
                           r.modelWins ? "(model beats both)" : ""))
            }
        case .warning(let message): say("warning: \(message)")
        case .stopped(let step, let reason): say("stopped at step \(step): \(reason); checkpoint saved")
        case .finished(let step): say("finished at step \(step)")
        case .failed(_, let message): failed = true; say("error: \(message)")
        }
    }

    func finishLine() {
        if barShown { FileHandle.standardError.write(Data("\n".utf8)); barShown = false }
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
struct TrainingRefused: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension GANLoss: ExpressibleByArgument {}
extension PairDirection: ExpressibleByArgument {}
extension PairedLayout: ExpressibleByArgument {}

/// `--test-norm`: which statistics batch norm uses when the model colorizes.
enum InferenceNorm: String, ExpressibleByArgument, CaseIterable {
    case picture, running
}
