import ImageCodecs

/// The layers a colorization is handed over as, and the OpenRaster and Photoshop files that
/// hold them (the same layers in both).
///
/// - Line art (composed on regions): paper, flats, shading (multiply), light (screen), lines
///   — see `LineArtLayers` — and the hints, hidden.
/// - A photo: the picture as it was given (hidden), the colours (the result itself), the
///   hints (hidden).
/// - Anything else: the picture, and the hints (hidden) if there were any.
///
/// In every case the visible layers flatten to `LayeredColorization.picture`.
public enum LayeredExport {
    /// The layers, bottom first.
    public static func layers(_ colorization: LayeredColorization) -> [ExportLayer] {
        let picture = colorization.picture
        var layers: [ExportLayer]
        switch colorization.source {
        case .lineArt(let paint, let guide):
            let split = LineArtLayers(paint: paint, guide: guide)
            layers = [
                ExportLayer(name: "Paper", image: split.paper),
                ExportLayer(name: "Flats", image: split.flats),
                ExportLayer(name: "Shading", image: split.shading, composite: .multiply),
                ExportLayer(name: "Light", image: split.light, composite: .screen),
                ExportLayer(name: "Lines", image: split.lines)
            ]
        case .photo(let input):
            layers = [
                ExportLayer(name: "Photo", image: RGBAImage(opaque: input), isVisible: false),
                ExportLayer(name: "Colours", image: RGBAImage(opaque: picture))
            ]
        case .pictureOnly:
            layers = [ExportLayer(name: "Colours", image: RGBAImage(opaque: picture))]
        }
        if !colorization.hints.isEmpty || isLineArt(colorization) {
            layers.append(
                ExportLayer(
                    name: "Hints", image: hintLayer(colorization.hints, width: picture.width, height: picture.height),
                    isVisible: false))
        }
        return layers
    }

    /// The OpenRaster file of `colorization`.
    public static func openRaster(_ colorization: LayeredColorization) throws -> [UInt8] {
        try OpenRaster.write(layers: layers(colorization), merged: colorization.picture)
    }

    /// The Photoshop file of `colorization`.
    /// - Throws: `ExportError.tooLargeForPhotoshop` for a side over 30,000 pixels.
    public static func photoshop(_ colorization: LayeredColorization) throws(ExportError) -> [UInt8] {
        try PhotoshopDocument.write(layers: layers(colorization), merged: colorization.picture)
    }

    /// The hints painted as the network saw them (`HintRasterizer`), at the picture's
    /// resolution, on a clear layer.
    public static func hintLayer(_ hints: [ColorHint], width: Int, height: Int) -> RGBAImage {
        let planes = HintRasterizer(width: width, height: height).rasterize(hints, sourceWidth: width, sourceHeight: height)
        let plane = width * height
        var layer = RGBAImage(width: width, height: height)
        for i in 0..<plane where planes.hintMask[i] > 0 {
            for c in 0..<3 { layer.pixels[4 * i + c] = LineArtLayers.byte(planes.hintColor[c * plane + i]) }
            layer.pixels[4 * i + 3] = 255
        }
        return layer
    }

    private static func isLineArt(_ colorization: LayeredColorization) -> Bool {
        if case .lineArt = colorization.source { return true }
        return false
    }
}
