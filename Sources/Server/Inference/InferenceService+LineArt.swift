import ImageCodecs
import Pix2Pix

extension InferenceService {
    /// Extracts line art from `job`'s picture on the inference thread (a 16-megapixel picture
    /// takes seconds of blurring, which must not stall the request handlers), queued with the
    /// editor's priority behind the same bound as colorizations.
    /// - Returns: a grayscale PNG of the picture's size.
    /// - Throws: `APIError` (400 damaged picture, 413, 415, 503 busy) or `CancellationError`.
    func extractLines(_ job: LineArtJob) async throws -> [UInt8] {
        let maxPixels = limits.maxPixels
        do {
            return try await thread.run(priority: .interactive, bytes: job.bytes.count) { _ in
                let picture = try ImageDecoder.decode(job.bytes, maxPixels: maxPixels)
                var extractor = LineExtractor.forPicture(width: picture.width, height: picture.height, style: job.style)
                extractor.thickness = job.thickness
                let lines = GrayImage(extractor.extractKeepingColorEdges(from: picture))
                return try ResultEncodingError.encoding { try PNGEncoder.encode(lines, compression: .fast) }
            }
        } catch let error as ResultEncodingError {
            throw error.apiError
        } catch {
            throw Self.answer(to: error)
        }
    }
}
