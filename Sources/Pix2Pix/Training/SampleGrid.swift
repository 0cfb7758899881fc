import ImageCodecs
import Tensors

/// A picture of one training example for people to look at: input (lines or lightness with
/// the hints painted on; pix2pix: the input picture), output, target — side by side.
public enum SampleGrid {
    public static func make(input: Tensor, output: Tensor, target: Tensor, mode: ModelMode) -> RGBImage {
        let s = input.shape[2]
        let plane = s * s
        if mode == .pix2pix {
            return sideBySide([input, output, target].map { ColorizationEncoding.image(fromRGBPlanes: $0.data, width: s, height: s) })
        }
        var panels: [RGBImage] = []
        var visible = [UInt8](repeating: 0, count: 3 * plane)
        let inC = input.shape[1]
        let mask = ColorizationEncoding.maskChannel(mode)
        for i in 0..<plane {
            let hinted = input.data[mask * plane + i] > 0
            for c in 0..<3 {
                let v: Float
                if hinted && mode == .lineart {
                    v = (input.data[(1 + c) * plane + i] + 1) * 127.5
                } else if hinted && mode == .photo {
                    v = c == 0 ? 255 : 0  // photo hints are chroma: mark their place
                } else {
                    v = (input.data[i] + 1) * 127.5
                }
                visible[3 * i + c] = ColorizationEncoding.byte(v)
            }
        }
        panels.append(RGBImage(width: s, height: s, pixels: visible))
        switch mode {
        case .lineart:
            for planes in [output, target] {
                let rgb = ColorizationEncoding.lineartRGB(output: planes.data, input: input.data, channels: inC, plane: plane)
                panels.append(rgb.withUnsafeBufferPointer { ColorizationEncoding.image(fromRGBPlanes: $0.baseAddress!, width: s, height: s) })
            }
        case .pix2pix:
            panels.append(ColorizationEncoding.image(fromRGBPlanes: output.data, width: s, height: s))
            panels.append(ColorizationEncoding.image(fromRGBPlanes: target.data, width: s, height: s))
        case .photo:
            let lightness = (0..<plane).map { (input.data[$0] + 1) * 50 }
            let predicted = ColorizationEncoding.photoPrediction(output: output.data, input: input.data, channels: inC, side: s)
            let truth = ColorizationEncoding.photoChroma(output: target.data, input: input.data, channels: inC, plane: plane)
            for chroma in [predicted, truth] {
                panels.append(ColorizationEncoding.image(lightness: lightness[...], chroma: chroma, width: s, height: s))
            }
        }
        return sideBySide(panels)
    }

    /// Panels of one size in a row.
    public static func sideBySide(_ panels: [RGBImage]) -> RGBImage {
        let (width, height) = (panels[0].width, panels[0].height)
        precondition(panels.allSatisfy { $0.width == width && $0.height == height }, "panels differ in size")
        var grid = [UInt8](repeating: 255, count: 3 * width * height * panels.count)
        let rowLength = 3 * width * panels.count
        for (k, panel) in panels.enumerated() {
            for y in 0..<height {
                for x in 0..<(3 * width) { grid[y * rowLength + 3 * width * k + x] = panel.pixels[3 * y * width + x] }
            }
        }
        return RGBImage(width: width * panels.count, height: height, pixels: grid)
    }
}
