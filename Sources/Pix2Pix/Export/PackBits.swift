/// PackBits, the run-length code of TIFF and Photoshop: each run starts with a header byte
/// n read as a signed 8-bit number — 0...127: the next n + 1 bytes are literal; −127...−1:
/// the next byte is repeated 1 − n times (−128 is never written).
public enum PackBits {
    /// Appends `bytes` packed to `output`; returns how many bytes it appended.
    @discardableResult
    public static func pack(_ bytes: ArraySlice<UInt8>, into output: inout [UInt8]) -> Int {
        let before = output.count
        var i = bytes.startIndex
        var literalStart = i
        func flushLiterals(upTo end: Int) {
            var start = literalStart
            while start < end {
                let count = min(128, end - start)
                output.append(UInt8(count - 1))
                output.append(contentsOf: bytes[start..<(start + count)])
                start += count
            }
        }
        while i < bytes.endIndex {
            var run = 1
            while i + run < bytes.endIndex, run < 128, bytes[i + run] == bytes[i] { run += 1 }
            // A run of 3 or more is worth its header; a pair inside literals is not.
            if run >= 3 {
                flushLiterals(upTo: i)
                output.append(UInt8(bitPattern: Int8(1 - run)))
                output.append(bytes[i])
                i += run
                literalStart = i
            } else {
                i += run
            }
        }
        flushLiterals(upTo: bytes.endIndex)
        return output.count - before
    }

    /// Unpacks `packed` (tests read back what `pack` wrote with it).
    /// - Returns: nil when a run goes past the end of the data.
    public static func unpack(_ packed: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        var i = packed.startIndex
        while i < packed.endIndex {
            let header = Int(Int8(bitPattern: packed[i]))
            i += 1
            if header >= 0 {
                guard i + header + 1 <= packed.endIndex else { return nil }
                output.append(contentsOf: packed[i...(i + header)])
                i += header + 1
            } else if header > -128 {
                guard i < packed.endIndex else { return nil }
                output.append(contentsOf: repeatElement(packed[i], count: 1 - header))
                i += 1
            }
        }
        return output
    }
}
