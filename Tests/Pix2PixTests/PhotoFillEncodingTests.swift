import Foundation
import ImageCodecs
import NN
import Pix2Pix
import Tensors
import Testing

@Suite("Photo encoding with the dense hint fill")
struct PhotoFillEncodingTests {
    @Test("photo input: every pixel's fill is the chroma of a hint; target + fill gives back the truth's chroma")
    func fillAndResidualRoundTrip() {
        let size = 32
        let plane = size * size
        var picture = RGBImage(width: size, height: size)
        for y in 0..<size { for x in 0..<size { picture[x, y] = (UInt8(8 * x), UInt8(200 - 5 * y), 90) } }
        let red = ColorHint(x: 4, y: 4, red: 220, green: 30, blue: 30, radius: 1)
        let blue = ColorHint(x: 27, y: 26, red: 20, green: 40, blue: 230, radius: 1)
        let planes = HintRasterizer(width: size, height: size).rasterize([red, blue])
        let lab = picture.labPlanes()
        let channels = ColorizationEncoding.inputChannels(.photo)
        #expect(channels == 6)
        var input = [Float](repeating: .nan, count: channels * plane)
        var target = [Float](repeating: .nan, count: 2 * plane)
        input.withUnsafeMutableBufferPointer { ColorizationEncoding.photoInput(lab: lab, hints: planes, channels: channels, into: $0.baseAddress!) }
        input.withUnsafeBufferPointer { x in
            target.withUnsafeMutableBufferPointer {
                ColorizationEncoding.photoTarget(lab: lab, input: x.baseAddress!, channels: channels, into: $0.baseAddress!)
            }
        }
        let redLab = LabColor.rgbToLab(220 / 255, 30 / 255, 30 / 255)
        let blueLab = LabColor.rgbToLab(20 / 255, 40 / 255, 230 / 255)
        // On this smooth picture the top-left corner takes the red hint, the bottom-right the blue one.
        #expect(abs(input[4 * plane] * ColorizationEncoding.chromaScale - redLab.a) < 0.01)
        #expect(abs(input[5 * plane + plane - 1] * ColorizationEncoding.chromaScale - blueLab.b) < 0.01)
        let chroma = input.withUnsafeBufferPointer { x in
            target.withUnsafeBufferPointer {
                ColorizationEncoding.photoChroma(output: $0.baseAddress!, input: x.baseAddress!, channels: channels, plane: plane)
            }
        }
        for i in 0..<plane {
            #expect(abs(chroma[i] * ColorizationEncoding.chromaScale - lab[plane + i]) < 1e-3)
            #expect(abs(chroma[plane + i] * ColorizationEncoding.chromaScale - lab[2 * plane + i]) < 1e-3)
        }
    }

    @Test("no hints: the fill is zero and the target is the chroma itself")
    func noHintsNoFill() {
        let size = 16
        let plane = size * size
        var picture = RGBImage(width: size, height: size)
        for y in 0..<size { for x in 0..<size { picture[x, y] = (UInt8(10 * x), 80, UInt8(12 * y)) } }
        let lab = picture.labPlanes()
        var input = [Float](repeating: .nan, count: 6 * plane)
        var target = [Float](repeating: .nan, count: 2 * plane)
        input.withUnsafeMutableBufferPointer {
            ColorizationEncoding.photoInput(lab: lab, hints: HintPlanes(width: size, height: size), channels: 6, into: $0.baseAddress!)
        }
        input.withUnsafeBufferPointer { x in
            target.withUnsafeMutableBufferPointer { ColorizationEncoding.photoTarget(lab: lab, input: x.baseAddress!, channels: 6, into: $0.baseAddress!) }
        }
        #expect(input[(4 * plane)...].allSatisfy { $0 == 0 })
        for i in 0..<plane { #expect(abs(target[i] * ColorizationEncoding.chromaScale - lab[plane + i]) < 1e-4) }
    }

    @Test("the prediction drops texture on flat lightness and keeps corrections along its edges")
    func predictionSmoothsUnderLightness() {
        let side = 24
        let plane = side * side
        // Lightness: dark left half, light right half. One hint colors the whole fill.
        var input = [Float](repeating: 0, count: 6 * plane)
        for i in 0..<plane {
            input[i] = i % side < 12 ? -0.6 : 0.6
            input[4 * plane + i] = 0.2
            input[5 * plane + i] = -0.1
        }
        input[3 * plane] = 1  // the hint's pixel
        // Network output: a ±0.05 checkerboard everywhere, plus a +0.1 correction of a* on the light half.
        var output = [Float](repeating: 0, count: 2 * plane)
        for i in 0..<plane {
            let texture: Float = (i % side + i / side) % 2 == 0 ? 0.05 : -0.05
            output[i] = texture + (i % side < 12 ? 0 : 0.1)
            output[plane + i] = texture
        }
        let chroma = output.withUnsafeBufferPointer { y in
            input.withUnsafeBufferPointer { x in
                ColorizationEncoding.photoPrediction(output: y.baseAddress!, input: x.baseAddress!, channels: 6, side: side)
            }
        }
        for row in 6..<18 {
            for col in [3, 6, 11, 12, 17, 20] {
                let i = row * side + col
                #expect(abs(chroma[i] - (col < 12 ? 0.2 : 0.3)) < 0.01, "a* at (\(col), \(row))")
                #expect(abs(chroma[plane + i] + 0.1) < 0.01, "b* at (\(col), \(row))")
            }
        }
    }

    @Test("a photo model from before the fill (4 input channels) still loads and colorizes; a wrong channel count is refused")
    func legacyPhotoModelsStillWork() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-legacy-photo-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let legacy = UNetGenerator(GeneratorConfig(inputChannels: 4, outputChannels: 2, ngf: 4, downsamplings: 5))
        try GeneratorModel(mode: .photo, generator: legacy, resolution: 32).save(folder: "\(folder)/legacy")
        let colorizer = Colorizer(model: try GeneratorModel.load(path: "\(folder)/legacy"))
        var picture = RGBImage(width: 40, height: 30)
        for y in 0..<30 { for x in 0..<40 { picture[x, y] = (UInt8(5 * x), UInt8(7 * y), 100) } }
        let result = try colorizer.colorize(picture, hints: [ColorHint(x: 3, y: 3, red: 200, green: 0, blue: 0, radius: 2)])
        #expect(result.width == 40 && result.height == 30)

        let wrong = UNetGenerator(GeneratorConfig(inputChannels: 5, outputChannels: 2, ngf: 4, downsamplings: 5))
        try GeneratorModel(mode: .photo, generator: wrong, resolution: 32).save(folder: "\(folder)/wrong")
        #expect(throws: ModelFileError.self) { try GeneratorModel.load(path: "\(folder)/wrong") }
    }
}
