/// Follows the frame boundaries of a client's WebSocket byte stream (RFC 6455 §5.2) without
/// keeping any payload, to tell whether a message is still arriving: a frame's header or
/// payload is incomplete, or a fragmented message has had its first frames but not its last.
struct WebSocketFrameTracker {
    /// The current frame's header bytes so far (at most 14).
    private var header: [UInt8] = []
    /// Payload bytes of the current frame still to come.
    private var payloadLeft: UInt64 = 0
    /// A text or binary frame without FIN arrived and its final continuation has not.
    private var fragmentedMessageOpen = false

    /// Whether the client is in the middle of a message (or of a control frame).
    var isMidMessage: Bool { !header.isEmpty || payloadLeft > 0 || fragmentedMessageOpen }

    /// Moves past `bytes`, the next bytes the client sent.
    mutating func consume(_ bytes: some Collection<UInt8>) {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if payloadLeft > 0 {
                let available = bytes.distance(from: index, to: bytes.endIndex)
                let skipped = Int(min(UInt64(available), payloadLeft))
                payloadLeft -= UInt64(skipped)
                index = bytes.index(index, offsetBy: skipped)
                continue
            }
            header.append(bytes[index])
            index = bytes.index(after: index)
            if let length = Self.headerLength(header), header.count == length { headerEnded() }
        }
    }

    /// The full length of a frame header from its first bytes (2, plus 2 or 8 for an extended
    /// length, plus 4 for a mask key), or nil before its second byte.
    static func headerLength(_ header: [UInt8]) -> Int? {
        guard header.count >= 2 else { return nil }
        let extended =
            switch header[1] & 0x7F {
            case 126: 2
            case 127: 8
            default: 0
            }
        return 2 + extended + (header[1] & 0x80 != 0 ? 4 : 0)
    }

    private mutating func headerEnded() {
        let fin = header[0] & 0x80 != 0
        let opcode = header[0] & 0x0F
        let short = header[1] & 0x7F
        payloadLeft =
            switch short {
            case 126: UInt64(header[2]) << 8 | UInt64(header[3])
            case 127: header[2..<10].reduce(0) { $0 << 8 | UInt64($1) }
            default: UInt64(short)
            }
        // Control frames (opcode 8 and up) may come between a message's fragments.
        if opcode == 0 {
            if fin { fragmentedMessageOpen = false }
        } else if opcode < 8 {
            fragmentedMessageOpen = !fin
        }
        header.removeAll(keepingCapacity: true)
    }
}
