import ImageCodecs
import Tensors
import Testing

@testable import Pix2Pix

/// Reads back what `PhotoshopDocument` writes, field by field as the specification lays
/// them out (a reader written for the test; psd-tools reads the same files in
/// Tests/Browser/test_layers.py).
struct PhotoshopReader {
    struct Layer {
        var name: String
        var blendKey: String
        var isHidden: Bool
        var bounds: [Int]
        var channels: [Int: [UInt8]] = [:]
    }

    let bytes: [UInt8]
    var at = 0
    var width = 0, height = 0, channelCount = 0
    var layers: [Layer] = []
    var merged: [[UInt8]] = []

    init(_ bytes: [UInt8]) throws {
        self.bytes = bytes
        #expect(try ascii(4) == "8BPS")
        #expect(try number(2) == 1)
        at += 6
        channelCount = try number(2)
        height = try number(4)
        width = try number(4)
        #expect(try number(2) == 8 && number(2) == 3, "8 bits, RGB")
        at += try number(4)  // colour mode data
        at += try number(4)  // image resources
        let sectionEnd = try number(4) + at
        let infoEnd = try number(4) + at
        let count = try number(2)
        var channelLengths: [[(id: Int, length: Int)]] = []
        for _ in 0..<count {
            let bounds = try (0..<4).map { _ in try number(4) }
            let channels = try (0..<number(2)).map { _ in (id: Int(Int16(truncatingIfNeeded: try number(2))), length: try number(4)) }
            #expect(try ascii(4) == "8BIM")
            let key = try ascii(4)
            #expect(try number(1) == 255 && number(1) == 0, "opaque, not clipped")
            let flags = try number(1)
            at += 1
            let extraEnd = try number(4) + at
            #expect(try number(4) == 0 && number(4) == 0, "no mask, no blending ranges")
            let nameLength = try number(1)
            let name = try ascii(nameLength)
            at = extraEnd
            layers.append(Layer(name: name, blendKey: key, isHidden: flags & 2 != 0, bounds: bounds))
            channelLengths.append(channels)
        }
        for (index, channels) in channelLengths.enumerated() {
            for channel in channels {
                let end = at + channel.length
                layers[index].channels[channel.id] = try packedPlanes(count: 1)[0]
                #expect(at == end, "channel \(channel.id) of layer \(index): its recorded length")
            }
        }
        #expect(at <= infoEnd && infoEnd - at <= 1, "the layer info ends where its length says (padded to even)")
        at = infoEnd
        #expect(try number(4) == 0, "no global layer mask")
        #expect(at == sectionEnd)
        merged = try packedPlanes(count: channelCount)
        #expect(at == bytes.count, "nothing after the merged image")
    }

    enum Failure: Error { case truncated, badRun }

    mutating func number(_ size: Int) throws -> Int {
        guard at + size <= bytes.count else { throw Failure.truncated }
        defer { at += size }
        return bytes[at..<(at + size)].reduce(0) { $0 << 8 | Int($1) }
    }

    mutating func ascii(_ size: Int) throws -> String {
        guard at + size <= bytes.count else { throw Failure.truncated }
        defer { at += size }
        return String(decoding: bytes[at..<(at + size)], as: UTF8.self)
    }

    /// Compression 1: every row's packed length (2 bytes each), then the rows.
    mutating func packedPlanes(count: Int) throws -> [[UInt8]] {
        #expect(try number(2) == 1, "PackBits")
        let lengths = try (0..<(count * height)).map { _ in try number(2) }
        var planes: [[UInt8]] = []
        for p in 0..<count {
            var plane: [UInt8] = []
            for y in 0..<height {
                let length = lengths[p * height + y]
                guard at + length <= bytes.count, let row = PackBits.unpack(bytes[at..<(at + length)]) else { throw Failure.badRun }
                #expect(row.count == width)
                plane += row
                at += length
            }
            planes.append(plane)
        }
        return planes
    }
}

@Suite("Photoshop export")
struct PhotoshopDocumentTests {
    @Test("PackBits round-trips runs, literals, long runs and single bytes", arguments: [0, 1, 2, 3, 127, 128, 129, 300, 1000])
    func packBitsRoundTrip(length: Int) throws {
        var generator = SeededGenerator(seed: UInt64(length))
        var bytes: [UInt8] = []
        while bytes.count < length {
            // Runs of one value (up to 300 long) between stretches of noise.
            let value = UInt8(truncatingIfNeeded: generator.next())
            let run = Int(generator.next() % 300) + 1
            bytes +=
                generator.next() % 2 == 0
                ? Array(repeating: value, count: run)
                : (0..<min(run, 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        }
        bytes = Array(bytes.prefix(length))
        var packed: [UInt8] = []
        let written = PackBits.pack(bytes[...], into: &packed)
        #expect(written == packed.count)
        #expect(PackBits.unpack(packed[...]) == bytes)
        #expect(packed.count <= length + (length + 127) / 128, "never more than one header per 128 bytes over the data")
    }

    @Test("a run of 1000 equal bytes packs into 8 runs of at most 128")
    func longRun() {
        var packed: [UInt8] = []
        PackBits.pack(Array(repeating: 7, count: 1000)[...], into: &packed)
        #expect(packed.count == 16)
        #expect(PackBits.unpack(packed[...]) == Array(repeating: 7, count: 1000))
    }

    @Test("layers, blend modes, visibility, names and pixels read back; the merged image is the picture")
    func readBack() throws {
        let (paint, guide, picture) = LayerExportTests.colorization()
        let colorization = LayeredColorization(
            picture: picture, source: .lineArt(paint: paint, guide: guide),
            hints: [LayerExportTests.red, LayerExportTests.onPage])
        let layers = LayeredExport.layers(colorization)
        let file = try LayeredExport.photoshop(colorization)
        let read = try PhotoshopReader(file)
        #expect((read.width, read.height, read.channelCount) == (LayerExportTests.width, LayerExportTests.height, 3))
        #expect(read.layers.map(\.name) == ["Paper", "Flats", "Shading", "Light", "Lines", "Hints"], "bottom first")
        #expect(read.layers.map(\.blendKey) == ["norm", "norm", "mul ", "scrn", "norm", "norm"])
        #expect(read.layers.map(\.isHidden) == [false, false, false, false, false, true])
        for (layer, written) in zip(read.layers, layers) {
            #expect(layer.bounds == [0, 0, LayerExportTests.height, LayerExportTests.width])
            for (id, offset) in [(-1, 3), (0, 0), (1, 1), (2, 2)] {
                let expected = stride(from: offset, to: written.image.pixels.count, by: 4).map { written.image.pixels[$0] }
                #expect(layer.channels[id] == expected, "\(layer.name), channel \(id)")
            }
        }
        for c in 0..<3 {
            #expect(read.merged[c] == stride(from: c, to: picture.pixels.count, by: 3).map { picture.pixels[$0] })
        }
        // A file this mostly flat packs well below its raw size.
        let raw = layers.count * 4 * picture.pixelCount + 3 * picture.pixelCount
        print("psd: \(file.count) bytes for \(raw) bytes of channels")
        #expect(file.count < raw)
    }

    @Test("names: ASCII kept, others '?', padded to a multiple of 4 with the length byte")
    func names() {
        #expect(PhotoshopDocument.pascalName("Lines") == [5] + Array("Lines".utf8) + [0, 0])
        #expect(PhotoshopDocument.pascalName("Té") == [2, UInt8(ascii: "T"), UInt8(ascii: "?"), 0])
        #expect(PhotoshopDocument.pascalName("abc").count == 4)
    }

    @Test("a side over 30,000 pixels is refused, naming the limit")
    func tooLarge() {
        let wide = RGBImage(width: 30_001, height: 1)
        let layer = ExportLayer(name: "Colours", image: RGBAImage(opaque: wide))
        #expect(throws: ExportError.tooLargeForPhotoshop(width: 30_001, height: 1)) {
            try PhotoshopDocument.write(layers: [layer], merged: wide)
        }
    }
}
