import ImageCodecs

/// Writes Photoshop documents (`.psd`, version 1: RGB, 8 bits a channel), which Photoshop,
/// Krita, GIMP, Affinity and Photopea open with their layers.
///
/// The file (Adobe's "Photoshop File Formats Specification", all numbers big-endian):
/// header (`8BPS`, version 1, 3 channels, height, width, depth 8, mode RGB), an empty
/// colour-mode section, an empty image-resources section, the layer and mask section — one
/// record per layer, bottom first (bounds = the whole picture, channels alpha, red, green,
/// blue, the blend mode key, opacity, the hidden flag, the name), then each layer's channels
/// PackBits-compressed row by row — and last the flattened picture (the "merged image" a
/// reader shows without compositing), PackBits-compressed as well.
public enum PhotoshopDocument {
    /// The media type of a `.psd` file.
    public static let mimeType = "image/vnd.adobe.photoshop"
    /// The longest side a `.psd` may have (larger pictures need the `.psb` variant).
    public static let maximumSide = 30_000

    /// The file for `layers` (bottom first), all the size of `merged`, the picture they
    /// flatten to.
    /// - Throws: `ExportError.tooLargeForPhotoshop` when a side is over `maximumSide`.
    public static func write(layers: [ExportLayer], merged: RGBImage) throws(ExportError) -> [UInt8] {
        let (width, height) = (merged.width, merged.height)
        guard width <= maximumSide, height <= maximumSide else { throw .tooLargeForPhotoshop(width: width, height: height) }
        precondition(
            layers.allSatisfy { $0.image.width == width && $0.image.height == height },
            "every layer must be the picture's size")
        var file = BigEndianBytes()
        file.append(ascii: "8BPS")
        file.append(UInt16(1))
        file.append(zeros: 6)
        file.append(UInt16(3))  // channels of the merged image: red, green, blue
        file.append(UInt32(height))
        file.append(UInt32(width))
        file.append(UInt16(8))  // bits per channel
        file.append(UInt16(3))  // colour mode: RGB
        file.append(UInt32(0))  // colour-mode data: none (RGB has no palette)
        file.append(UInt32(0))  // image resources: none
        let layerSection = layerAndMaskSection(layers, width: width, height: height)
        file.append(UInt32(layerSection.count))
        file.bytes += layerSection
        // The merged image: compression 1 (PackBits), every row's packed length, then the rows.
        let planes = (0..<3).map { c in plane(of: merged.pixels, channel: c, stride: 3) }
        let packed = packRows(planes, width: width, height: height)
        file.append(UInt16(1))
        for length in packed.rowLengths { file.append(UInt16(length)) }
        file.bytes += packed.data
        return file.bytes
    }

    /// Photoshop's four-letter key of a blend mode.
    static func blendModeKey(_ composite: ExportLayer.Composite) -> String {
        switch composite {
        case .normal: "norm"
        case .multiply: "mul "
        case .screen: "scrn"
        }
    }

    /// The layer and mask information section (without its own length): the layer info
    /// (count, records, channel data; padded to an even length), then an empty global mask.
    private static func layerAndMaskSection(_ layers: [ExportLayer], width: Int, height: Int) -> [UInt8] {
        // Channel ids in the order they are written: −1 is transparency.
        let channels: [(id: Int16, offset: Int)] = [(-1, 3), (0, 0), (1, 1), (2, 2)]
        var records = BigEndianBytes()
        var channelData = BigEndianBytes()
        for layer in layers {
            records.append(Int32(0))  // top
            records.append(Int32(0))  // left
            records.append(Int32(height))  // bottom
            records.append(Int32(width))  // right
            records.append(UInt16(channels.count))
            for channel in channels {
                let packed = packRows([plane(of: layer.image.pixels, channel: channel.offset, stride: 4)], width: width, height: height)
                // Compression 1, the rows' lengths, the rows.
                channelData.append(UInt16(1))
                for length in packed.rowLengths { channelData.append(UInt16(length)) }
                channelData.bytes += packed.data
                records.append(channel.id)
                records.append(UInt32(2 + 2 * height + packed.data.count))
            }
            records.append(ascii: "8BIM")
            records.append(ascii: blendModeKey(layer.composite))
            records.append(UInt8(255))  // opacity
            records.append(UInt8(0))  // clipping: base
            // Flags: bit 1 set = hidden; bit 3 says bit 4 is meaningful (it is 0: the pixels matter).
            records.append(UInt8(layer.isVisible ? 0x08 : 0x0A))
            records.append(UInt8(0))  // filler
            let name = pascalName(layer.name)
            records.append(UInt32(4 + 4 + name.count))
            records.append(UInt32(0))  // no layer mask
            records.append(UInt32(0))  // no blending ranges
            records.bytes += name
        }
        var info = BigEndianBytes()
        info.append(Int16(layers.count))
        info.bytes += records.bytes
        info.bytes += channelData.bytes
        if info.bytes.count % 2 == 1 { info.append(UInt8(0)) }
        var section = BigEndianBytes()
        section.append(UInt32(info.bytes.count))
        section.bytes += info.bytes
        section.append(UInt32(0))  // global layer mask: none
        return section.bytes
    }

    /// A layer name as Photoshop stores it: a length byte and at most 255 bytes of text,
    /// padded to a multiple of 4. Characters outside ASCII become '?'.
    static func pascalName(_ name: String) -> [UInt8] {
        let text = name.unicodeScalars.prefix(255).map { $0.isASCII ? UInt8($0.value) : UInt8(ascii: "?") }
        var bytes = [UInt8(text.count)] + text
        while bytes.count % 4 != 0 { bytes.append(0) }
        return bytes
    }

    /// One channel of interleaved pixels.
    private static func plane(of pixels: [UInt8], channel: Int, stride: Int) -> [UInt8] {
        let count = pixels.count / stride
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer[i] = pixels[stride * i + channel] }
            initialized = count
        }
    }

    /// Every row of every plane, PackBits-packed one after another, with each row's length.
    private static func packRows(_ planes: [[UInt8]], width: Int, height: Int) -> (rowLengths: [Int], data: [UInt8]) {
        var lengths: [Int] = []
        lengths.reserveCapacity(planes.count * height)
        var data: [UInt8] = []
        for plane in planes {
            for y in 0..<height { lengths.append(PackBits.pack(plane[(y * width)..<((y + 1) * width)], into: &data)) }
        }
        return (lengths, data)
    }
}

/// Bytes appended in big-endian order, as Photoshop's format stores numbers.
struct BigEndianBytes {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(ascii text: String) { bytes.append(contentsOf: Array(text.utf8)) }

    mutating func append(zeros count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }
}
