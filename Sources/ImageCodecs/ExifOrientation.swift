/// The EXIF orientation of a JPEG (tag 0x0112 in the first IFD of its APP1 "Exif" segment):
/// how the stored pixels must be turned to show the picture upright, as phones write it and
/// as browsers apply it (`image-orientation: from-image`, the default since 2020).
///
/// Values 1–8 as TIFF defines them: 1 upright, 2 mirrored, 3 turned 180°, 4 flipped, 5
/// transposed, 6 turned 90° clockwise to view, 7 transversed, 8 turned 90° anticlockwise.
/// Every read is bounds-checked: the bytes are the client's.
public enum ExifOrientation: Int, Sendable, CaseIterable {
    case upright = 1
    case mirrored, rotated180, flipped, transposed, rotated90, transversed, rotated270

    /// Whether showing the picture upright swaps its width and height.
    public var swapsSides: Bool { rawValue >= 5 }

    /// The orientation a JPEG declares; `.upright` for PNGs, JPEGs without one, and anything
    /// malformed (a damaged tag must never stop a picture from being read).
    public static func of(_ raw: UnsafeRawBufferPointer) -> ExifOrientation {
        let bytes = raw.bindMemory(to: UInt8.self)
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .upright }
        var offset = 2
        // Walk the marker segments before the image data (SOS, 0xDA).
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            if marker == 0xDA || marker == 0xD9 { break }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { break }
            if marker == 0xE1, let found = fromExifSegment(bytes, start: offset + 4, end: offset + 2 + length) { return found }
            offset += 2 + length
        }
        return .upright
    }

    /// Reads the orientation tag from an APP1 payload `bytes[start..<end]`.
    private static func fromExifSegment(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> ExifOrientation? {
        let exifHeader: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0, 0]  // "Exif\0\0"
        guard end - start >= 14, (0..<6).allSatisfy({ bytes[start + $0] == exifHeader[$0] }) else { return nil }
        let tiff = start + 6
        let littleEndian: Bool
        switch (bytes[tiff], bytes[tiff + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func read16(_ at: Int) -> Int? {
            guard at >= tiff, at + 2 <= end else { return nil }
            let (a, b) = (Int(bytes[at]), Int(bytes[at + 1]))
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func read32(_ at: Int) -> Int? {
            guard let low = read16(littleEndian ? at : at + 2), let high = read16(littleEndian ? at + 2 : at) else { return nil }
            return high << 16 | low
        }
        guard read16(tiff + 2) == 42, let ifdOffset = read32(tiff + 4), let count = read16(tiff + ifdOffset) else { return nil }
        for entry in 0..<min(count, 512) {
            let at = tiff + ifdOffset + 2 + 12 * entry
            guard let tag = read16(at) else { return nil }
            // SHORT (type 3) with one value, stored in the entry's first two value bytes.
            if tag == 0x0112, read16(at + 2) == 3, let value = read16(at + 8) { return ExifOrientation(rawValue: value) ?? .upright }
        }
        return nil
    }
}

extension RGBImage {
    /// The picture turned as `orientation` says, so that it shows upright.
    public func applying(_ orientation: ExifOrientation) -> RGBImage {
        if orientation == .upright { return self }
        let (w, h) = (width, height)
        let (outW, outH) = orientation.swapsSides ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<outH {
                    for x in 0..<outW {
                        // The stored pixel that lands at (x, y) of the upright picture.
                        let (sx, sy): (Int, Int)
                        switch orientation {
                        case .upright: (sx, sy) = (x, y)
                        case .mirrored: (sx, sy) = (w - 1 - x, y)
                        case .rotated180: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case .flipped: (sx, sy) = (x, h - 1 - y)
                        case .transposed: (sx, sy) = (y, x)
                        case .rotated90: (sx, sy) = (y, h - 1 - x)
                        case .transversed: (sx, sy) = (w - 1 - y, h - 1 - x)
                        case .rotated270: (sx, sy) = (w - 1 - y, x)
                        }
                        let from = 3 * (sy * w + sx)
                        let to = 3 * (y * outW + x)
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                    }
                }
            }
        }
        return RGBImage(width: outW, height: outH, pixels: out)
    }
}
