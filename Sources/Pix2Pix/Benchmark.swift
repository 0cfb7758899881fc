import Foundation
import NN
import Tensors

/// The benchmark configurations of scripts/bench/torch_pix2pix.py (the repository's copy of
/// ../shared/bench/torch_pix2pix.py, with the planes the modes really use and `photo-128`),
/// reproduced exactly: U-Net generator with batch norm and dropout, 70×70 PatchGAN (nLayers 3),
/// BCE GAN loss, λ_L1 100, Adam 2e-4 (0.5, 0.999). `lineart-128` and `photo-128` are the
/// shapes of the shipped models' training runs (models/default-lineart, models/default-photo).
public struct BenchmarkConfiguration: Sendable {
    public var name: String
    public var size: Int
    public var ngf: Int
    public var ndf: Int
    public var downsamplings: Int
    public var batch: Int
    public var inputChannels: Int
    public var outputChannels: Int

    public static let all: [BenchmarkConfiguration] = [
        .init(name: "pix2pix-256", size: 256, ngf: 64, ndf: 64, downsamplings: 8, batch: 1, inputChannels: 3, outputChannels: 3),
        .init(
            name: "lineart-128", size: 128, ngf: 32, ndf: 32, downsamplings: 7, batch: 4, inputChannels: ColorizationEncoding.inputChannels(.lineart),
            outputChannels: ColorizationEncoding.outputChannels(.lineart)),
        .init(
            name: "lineart-256", size: 256, ngf: 32, ndf: 32, downsamplings: 8, batch: 1, inputChannels: ColorizationEncoding.inputChannels(.lineart),
            outputChannels: ColorizationEncoding.outputChannels(.lineart)),
        .init(
            name: "photo-128", size: 128, ngf: 16, ndf: 32, downsamplings: 6, batch: 4, inputChannels: ColorizationEncoding.inputChannels(.photo),
            outputChannels: ColorizationEncoding.outputChannels(.photo))
    ]

    public var modelConfig: ModelConfig {
        ModelConfig(
            generator: GeneratorConfig(
                inputChannels: inputChannels, outputChannels: outputChannels, ngf: ngf,
                downsamplings: downsamplings, norm: .batch, dropout: true),
            discriminator: DiscriminatorConfig(inputChannels: inputChannels + outputChannels, ndf: ndf, nLayers: 3))
    }
}

/// One configuration's measured figures (the same fields as the PyTorch script's JSON).
public struct BenchmarkResult: Codable, Sendable {
    public var name: String
    public var impl: String
    public var threads: Int
    public var size: Int
    public var ngf: Int
    public var ndf: Int
    public var downs: Int
    public var batch: Int
    public var in_nc: Int
    public var G_params: Int
    /// One inference as the server and `tinct colorize` run it: with int16 products where the
    /// CPU has AVX-512 VNNI (`infer_products` says which), else float32.
    public var infer_ms: Double
    public var infer_products: String
    /// The same inference with float32 products throughout.
    public var infer_float32_ms: Double
    public var step_ms: Double
    public var train_imgs_per_s: Double
    /// Peak resident set size of the process so far, in MiB.
    public var peak_rss_mib: Double
    /// The matrix products' operations in one training step (what Tinct computes; PyTorch's
    /// `step_gflop` also counts the discriminator's weight gradients of the generator's pass,
    /// which Tinct skips), and that figure over the median step time.
    public var step_gflop: Double
    public var step_gflops_per_s: Double
    /// The rate of one 1024×1024×1024 product through the engine's GEMM, on all its threads,
    /// measured in the same process: what the step's rate is a share of.
    public var sgemm_gflops_per_s: Double
    /// The same product on OpenBLAS's own threaded sgemm (as many threads as the engine's
    /// workers, its kernels as OPENBLAS_CORETYPE leaves them): the machine's BLAS for reference.
    public var openblas_sgemm_gflops_per_s: Double
}

/// Times inference and training steps as the PyTorch reference does: two warm-up calls,
/// then the median of `repeat` timed calls.
public enum Benchmark {
    public static func run(_ c: BenchmarkConfiguration, repeat count: Int = 5) -> BenchmarkResult {
        let (model, a, b, single) = setUp(c)
        model.generator.setTraining(false)
        let float32Ms = medianMilliseconds(count + 2) { _ = model.generator.forward(single) }
        model.generator.useInt16Products(true)
        let inferMs = medianMilliseconds(count + 2) { _ = model.generator.forward(single) }
        model.generator.useInt16Products(false)
        model.setTraining(true)
        let stepMs = medianMilliseconds(count) { model.trainingStep(realA: a, realB: b) }
        _ = profiled { model.trainingStep(realA: a, realB: b) }
        let stepGflop = Double(Profiler.productFlops) / 1e9
        return BenchmarkResult(
            name: c.name, impl: "tinct", threads: Parallel.workers, size: c.size, ngf: c.ngf, ndf: c.ndf,
            downs: c.downsamplings, batch: c.batch, in_nc: c.inputChannels, G_params: model.generator.parameterCount,
            infer_ms: (inferMs * 10).rounded() / 10, infer_products: Int16Weights.available ? "int16" : "float32",
            infer_float32_ms: (float32Ms * 10).rounded() / 10, step_ms: (stepMs * 10).rounded() / 10,
            train_imgs_per_s: ((Double(c.batch) / (stepMs / 1000)) * 100).rounded() / 100,
            peak_rss_mib: ResourceUsage.peakResidentMiB,
            step_gflop: (stepGflop * 100).rounded() / 100, step_gflops_per_s: (stepGflop / (stepMs / 1000)).rounded(),
            sgemm_gflops_per_s: sgemmRate(side: 1024, repeat: count).rounded(),
            openblas_sgemm_gflops_per_s: sgemmRate(side: 1024, repeat: count, openBLASThreads: Parallel.workers).rounded())
    }

    /// GFLOP/s of a side×side×side product (median of `repeat` after two warm-ups), through
    /// the engine's GEMM or, given `openBLASThreads`, on OpenBLAS's own threaded sgemm.
    public static func sgemmRate(side: Int, repeat count: Int, openBLASThreads: Int? = nil) -> Double {
        let a = [Float](repeating: 0.5, count: side * side)
        var c = [Float](repeating: 0, count: side * side)
        let ms = a.withUnsafeBufferPointer { pa in
            c.withUnsafeMutableBufferPointer { pc in
                medianMilliseconds(count) {
                    if let threads = openBLASThreads {
                        GEMM.openBLASReference(
                            m: side, n: side, k: side, a: pa.baseAddress!, b: pa.baseAddress!, c: pc.baseAddress!,
                            threads: threads)
                    } else {
                        GEMM.sgemm(
                            transA: false, transB: false, m: side, n: side, k: side, a: pa.baseAddress!, lda: side,
                            b: pa.baseAddress!, ldb: side, c: pc.baseAddress!, ldc: side)
                    }
                }
            }
        }
        return 2 * pow(Double(side), 3) / (ms / 1000) / 1e9
    }

    /// Where the time goes (`Profiler.report`): in one inference as the server runs it (the mean
    /// of `inferences` calls after a warm-up, per call) and in one training step after a warm-up step.
    public static func profile(_ c: BenchmarkConfiguration, inferences: Int = 10) -> (inference: [Profiler.Row], step: [Profiler.Row]) {
        let (model, a, b, single) = setUp(c)
        model.generator.setTraining(false)
        model.generator.useInt16Products(true)
        _ = model.generator.forward(single)
        let inference = profiled { for _ in 0..<inferences { _ = model.generator.forward(single) } }
            .map { (name: $0.name, seconds: $0.seconds / Double(inferences), calls: $0.calls / inferences) }
        model.generator.useInt16Products(false)
        model.setTraining(true)
        model.trainingStep(realA: a, realB: b)
        return (inference, profiled { model.trainingStep(realA: a, realB: b) })
    }

    private static func profiled(_ body: () -> Void) -> [Profiler.Row] {
        Profiler.reset()
        Profiler.enabled = true
        body()
        Profiler.enabled = false
        return Profiler.report
    }

    /// The configuration's model (seed 0), a batch of inputs and targets, and one input alone.
    private static func setUp(_ c: BenchmarkConfiguration) -> (model: Pix2PixModel, a: Tensor, b: Tensor, single: Tensor) {
        let model = Pix2PixModel(c.modelConfig, seed: 0)
        var rng = SeededGenerator(seed: 1)
        let a = randomTensor([c.batch, c.inputChannels, c.size, c.size], &rng)
        let b = randomTensor([c.batch, c.outputChannels, c.size, c.size], &rng)
        let single = Tensor(Array(a.scalars.prefix(c.inputChannels * c.size * c.size)), shape: [1, c.inputChannels, c.size, c.size])
        return (model, a, b, single)
    }

    private static func randomTensor(_ shape: [Int], _ rng: inout SeededGenerator) -> Tensor {
        let t = Tensor(zeros: shape)
        for i in 0..<t.count { t.data[i] = rng.nextNormal() }
        return t
    }

    private static func medianMilliseconds(_ count: Int, _ body: () -> Void) -> Double {
        body()
        body()
        var times: [Double] = []
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return times[times.count / 2]
    }
}

/// Process resource figures.
public enum ResourceUsage {
    /// Peak resident set size (ru_maxrss) in MiB.
    public static var peakResidentMiB: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10
    }
}
