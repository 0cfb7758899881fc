import ImageCodecs
import Pix2Pix

/// Encodes a finished colorization as the format a job asked for. Runs on the inference
/// thread (the layer split is pixel work).
enum ColorizeExport {
    /// - Throws: `ExportError` when the colorization cannot give the format (a transparent
    ///   background without line art), `ResultEncodingError` when encoding fails.
    static func encode(_ result: LayeredColorization, as format: ColorizeFormat) throws -> [UInt8] {
        switch format {
        case .png:
            return try ResultEncodingError.encoding { try PNGEncoder.encode(result.picture, compression: .fast) }
        case .transparentPNG:
            let picture = try TransparentPaper.picture(result)
            return try ResultEncodingError.encoding { try PNGEncoder.encode(picture, compression: .fast) }
        case .openRaster:
            return try ResultEncodingError.encoding { try LayeredExport.openRaster(result) }
        case .photoshop:
            return try LayeredExport.photoshop(result)
        }
    }
}
