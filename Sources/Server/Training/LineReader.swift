import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads newline-ended lines from a file descriptor (a pipe between the server and a training
/// process), blocking. A line longer than `maxLineBytes` is skipped whole rather than held, so
/// a misbehaving writer cannot make the reader hold unbounded memory.
final class LineReader {
    private let descriptor: Int32
    private let maxLineBytes: Int
    private var buffer: [UInt8] = []
    /// Where the unread part of `buffer` starts.
    private var start = 0
    /// Skipping the rest of an over-long line.
    private var discarding = false
    private var ended = false
    /// Whether a last line without a newline is returned (text for people) or dropped (a
    /// report whose writer was cut off mid-line).
    private let keepsLastLine: Bool

    init(descriptor: Int32, maxLineBytes: Int = 16 << 20, keepsLastLine: Bool = false) {
        (self.descriptor, self.maxLineBytes, self.keepsLastLine) = (descriptor, maxLineBytes, keepsLastLine)
    }

    /// The next line without its newline, or nil at the end of the input.
    func next() -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[start..<newline]
                start = newline + 1
                if discarding {
                    discarding = false
                    continue
                }
                return line
            }
            if buffer.count - start > maxLineBytes {
                discarding = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            guard !ended, fill() else {
                guard keepsLastLine, !discarding, start < buffer.count else { return nil }
                defer { (buffer, start) = ([], 0) }
                return buffer[start...]
            }
        }
    }

    /// Reads more bytes; false at the end of the input or on an error.
    private func fill() -> Bool {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count < 0, errno == EINTR { continue }
            ended = true
            return false
        }
    }
}
