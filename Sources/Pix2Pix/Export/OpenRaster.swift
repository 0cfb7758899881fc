import Foundation
import ImageCodecs
import ZIPFoundation

/// Writes OpenRaster (`.ora`), the open layered format Krita, GIMP and MyPaint read
/// (https://www.openraster.org/baseline/file-layout-spec.html): a zip whose first entry is
/// `mimetype` ("image/openraster", stored uncompressed), then `stack.xml` (the layers, top
/// first), one PNG per layer under `data/`, `mergedimage.png` (the flattened picture) and
/// `Thumbnails/thumbnail.png` (at most 256 pixels a side).
public enum OpenRaster {
    public static let mimeType = "image/openraster"

    /// The file for `layers` (bottom first), all the size of `merged`, the picture they
    /// flatten to.
    public static func write(layers: [ExportLayer], merged: RGBImage) throws -> [UInt8] {
        precondition(
            layers.allSatisfy { $0.image.width == merged.width && $0.image.height == merged.height },
            "every layer must be the picture's size")
        let archive = try Archive(accessMode: .create)
        try add("mimetype", Data(mimeType.utf8), to: archive, compressed: false)
        try add(
            "stack.xml", Data(stackXML(layers: layers, width: merged.width, height: merged.height).utf8), to: archive,
            compressed: true)
        // PNGs are compressed already: stored as they are.
        for (index, layer) in layers.enumerated() {
            try add(path(ofLayer: index), Data(PNGEncoder.encode(layer.image, compression: .fast)), to: archive, compressed: false)
        }
        try add("mergedimage.png", Data(PNGEncoder.encode(merged, compression: .fast)), to: archive, compressed: false)
        let side = max(merged.width, merged.height)
        let scale = min(1, 256 / Double(side))
        let thumbnail = merged.resized(
            width: max(1, Int((Double(merged.width) * scale).rounded())),
            height: max(1, Int((Double(merged.height) * scale).rounded())))
        try add("Thumbnails/thumbnail.png", Data(PNGEncoder.encode(thumbnail)), to: archive, compressed: false)
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return [UInt8](data)
    }

    /// `stack.xml`: one `<layer>` per layer, the top one first as the format asks.
    static func stackXML(layers: [ExportLayer], width: Int, height: Int) -> String {
        var xml = "<?xml version='1.0' encoding='UTF-8'?>\n"
        xml += "<image version=\"0.0.5\" w=\"\(width)\" h=\"\(height)\" xres=\"72\" yres=\"72\">\n"
        xml += "  <stack isolation=\"isolate\" composite-op=\"svg:src-over\" opacity=\"1\" visibility=\"visible\">\n"
        for (index, layer) in layers.enumerated().reversed() {
            xml += "    <layer name=\"\(escaped(layer.name))\" src=\"\(path(ofLayer: index))\" x=\"0\" y=\"0\" opacity=\"1\""
            xml += " visibility=\"\(layer.isVisible ? "visible" : "hidden")\" composite-op=\"\(compositeOp(layer.composite))\"/>\n"
        }
        xml += "  </stack>\n</image>\n"
        return xml
    }

    /// OpenRaster's name of a composite (its `composite-op` attribute).
    static func compositeOp(_ composite: ExportLayer.Composite) -> String {
        switch composite {
        case .normal: "svg:src-over"
        case .multiply: "svg:multiply"
        case .screen: "svg:screen"
        }
    }

    static func path(ofLayer index: Int) -> String { "data/layer\(index).png" }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: ">", with: "&gt;")
    }

    private static func add(_ path: String, _ data: Data, to archive: Archive, compressed: Bool) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count),
            compressionMethod: compressed ? .deflate : .none
        ) { position, size in
            data.subdata(in: Int(position)..<(Int(position) + size))
        }
    }
}
