import Foundation
import ImageCodecs
import Pix2Pix

extension InferenceService {
    /// The colours the model suggests at the job's point (`Colorizer.suggestColors`).
    /// - Throws: `APIError` (400 naming the field, 404, 413, 415, 503, 500).
    func suggestions(_ job: SuggestionsJob) async throws -> SuggestionsAnswer {
        let model = try resolveModel(named: job.picture.model, mode: job.picture.mode)
        let maxPixels = limits.maxPixels
        return try await runMapped(bytes: job.picture.inputBytes, model: model.name) { loaded in
            let start = ContinuousClock.now
            guard case .encoded(let bytes) = job.picture.source else { preconditionFailure("a suggestions job carries its bytes") }
            let image = try ImageDecoder.decode(bytes, maxPixels: maxPixels)
            let colorizer = try loaded.colorizer(for: model)
            let radius = Colorizer.defaultHintRadius(width: image.width, height: image.height, resolution: colorizer.resolution)
            let hints = job.picture.hints.map { $0.colorHint(defaultRadius: radius) }
            let ranked = try colorizer.suggestColors(for: image, hints: hints, x: job.x, y: job.y, variants: job.variants)
            return SuggestionsAnswer(
                suggestions: ranked.map { .init(color: $0.hex, votes: $0.votes) }, variants: job.variants,
                ms: Self.milliseconds(since: start))
        }
    }

    /// The dominant colours of a reference picture (`ReferencePalette`).
    func palette(of bytes: [UInt8], count: Int) async throws -> PaletteAnswer {
        let maxPixels = limits.maxPixels
        return try await runMapped(bytes: bytes.count, model: nil) { _ in
            let image = try ImageDecoder.decode(bytes, maxPixels: maxPixels)
            let colors = ReferencePalette.colors(of: image, count: count)
            return PaletteAnswer(colors: colors.map { .init(color: $0.hex, share: (Double($0.share) * 1000).rounded() / 1000) })
        }
    }

    /// The area a hint would colour, for every pixel of a drawing (`HintAreaMap`).
    func regions(of bytes: [UInt8]) async throws -> RegionsAnswer {
        let maxPixels = limits.maxPixels
        return try await runMapped(bytes: bytes.count, model: nil) { _ in
            let image = try ImageDecoder.decode(bytes, maxPixels: maxPixels)
            let map = HintAreaMap(lines: lineArt(fromDrawing: image))
            return RegionsAnswer(
                width: map.width, height: map.height, runs: map.runs, pageReach: map.pageReach,
                areas: map.areaCount)
        }
    }

    /// Runs `work` on the inference thread with the editor's priority, turning what it
    /// throws into the answer a client should hear.
    private func runMapped<T: Sendable>(
        bytes: Int, model: String?,
        _ work: @escaping @Sendable (inout LoadedModels) throws -> T
    ) async throws -> T {
        do {
            return try await thread.run(priority: .interactive, bytes: bytes, work)
        } catch let error as SuggestionError {
            throw APIError.badField(error == .noHints ? "model" : "x", error.description)
        } catch let error as ModelLoadError {
            throw APIError(.internalServerError, "model: \"\(model ?? "")\" could not be loaded: \(error.reason)")
        } catch {
            throw Self.answer(to: error)
        }
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }
}

extension ValidHint {
    /// The hint for the colorizer, with `defaultRadius` where the request gave none.
    func colorHint(defaultRadius: Int) -> ColorHint {
        ColorHint(x: x, y: y, red: red, green: green, blue: blue, radius: radius ?? defaultRadius)
    }
}
