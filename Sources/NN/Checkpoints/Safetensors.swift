import Foundation
import Tensors

/// What can go wrong reading a safetensors file; each case says what and where.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case truncated(String)
    case malformedHeader(String)
    case unsupportedDType(name: String, dtype: String)
    case badTensor(name: String, reason: String)
    case missingTensor(String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .truncated(let what): "safetensors file is truncated: \(what)"
        case .malformedHeader(let what): "safetensors header is malformed: \(what)"
        case .unsupportedDType(let name, let dtype): "tensor '\(name)' has unsupported dtype \(dtype)"
        case .badTensor(let name, let reason): "tensor '\(name)': \(reason)"
        case .missingTensor(let name): "tensor '\(name)' is missing"
        case .writeFailed(let path, let reason): "cannot write \(path): \(reason)"
        }
    }
}

/// A tensor to be written: its name, values and on-disk element type.
public struct NamedTensor {
    public var name: String
    public var tensor: Tensor
    public var storedAs: StoredType
    public init(_ name: String, _ tensor: Tensor, storedAs: StoredType = .float32) {
        (self.name, self.tensor, self.storedAs) = (name, tensor, storedAs)
    }
}

/// The safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length, a JSON header mapping names to dtype, shape and byte offsets (plus a
/// `__metadata__` string map), then the raw little-endian tensor bytes.
public struct SafetensorsFile: Sendable {
    /// Header entry of one stored tensor.
    public struct Entry: Equatable, Sendable {
        public var dtype: StoredType
        public var shape: [Int]
        public var range: Range<Int>  // bytes within the data section
    }

    /// Largest header Tinct accepts (the format's own reader uses 100 MB).
    public static let maxHeaderBytes = 100_000_000

    public let metadata: [String: String]
    public let entries: [String: Entry]
    private let bytes: Data
    private let dataStart: Int

    /// Tensor names in header order of their offsets (the scales of int8 tensors are part of
    /// their tensor, not listed).
    public var names: [String] {
        entries.filter { !Self.isScale($0.key) }
            .sorted { $0.value.range.lowerBound < $1.value.range.lowerBound }.map(\.key)
    }

    /// Name of the companion tensor that holds an int8 tensor's scales.
    public static func scaleName(of name: String) -> String { name + "#scale" }

    private static func isScale(_ name: String) -> Bool { name.hasSuffix("#scale") }

    /// Reads and validates a file.
    public init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw SafetensorsError.unreadable(path: path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    /// Parses and validates `data`: header bound, JSON shape, dtypes, shapes and offsets
    /// (inside the file, matching the shape, not overlapping).
    public init(data: Data) throws {
        guard data.count >= 8 else { throw SafetensorsError.truncated("\(data.count) bytes, need at least 8") }
        var headerLength: UInt64 = 0
        for i in 0..<8 { headerLength |= UInt64(data[data.startIndex + i]) << (8 * UInt64(i)) }
        guard headerLength <= UInt64(Self.maxHeaderBytes) else {
            throw SafetensorsError.malformedHeader("header length \(headerLength) exceeds \(Self.maxHeaderBytes)")
        }
        guard headerLength <= UInt64(data.count - 8) else {
            throw SafetensorsError.truncated("header claims \(headerLength) bytes, file has \(data.count - 8)")
        }
        let start = data.startIndex + 8
        let headerData = data.subdata(in: start..<(start + Int(headerLength)))
        guard let json = try? JSONSerialization.jsonObject(with: headerData), let object = json as? [String: Any] else {
            throw SafetensorsError.malformedHeader("not a JSON object")
        }
        let dataLength = data.count - 8 - Int(headerLength)
        var metadata: [String: String] = [:]
        var entries: [String: Entry] = [:]
        for (name, value) in object {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else { throw SafetensorsError.malformedHeader("__metadata__ is not an object") }
                for (k, v) in map {
                    guard let s = v as? String else { throw SafetensorsError.malformedHeader("metadata '\(k)' is not a string") }
                    metadata[k] = s
                }
                continue
            }
            entries[name] = try Self.parseEntry(name: name, value, dataLength: dataLength)
        }
        var end = 0
        for entry in entries.values.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) where !entry.range.isEmpty {
            guard entry.range.lowerBound >= end else { throw SafetensorsError.malformedHeader("tensor byte ranges overlap") }
            end = entry.range.upperBound
        }
        for (name, entry) in entries where entry.dtype == .int8 {
            guard let scale = entries[Self.scaleName(of: name)], scale.dtype == .float32,
                scale.shape == [entry.shape.first ?? 1]
            else {
                throw SafetensorsError.badTensor(name: name, reason: "int8 tensor without a float32 scale per first-dimension slice")
            }
        }
        self.metadata = metadata
        self.entries = entries
        self.bytes = data
        self.dataStart = start + Int(headerLength)
    }

    private static func parseEntry(name: String, _ value: Any, dataLength: Int) throws -> Entry {
        guard let info = value as? [String: Any] else { throw SafetensorsError.badTensor(name: name, reason: "entry is not an object") }
        guard let dtypeName = info["dtype"] as? String else { throw SafetensorsError.badTensor(name: name, reason: "no dtype") }
        guard let dtype = StoredType(rawValue: dtypeName) else { throw SafetensorsError.unsupportedDType(name: name, dtype: dtypeName) }
        guard let shapeValues = info["shape"] as? [Any], let shape = intArray(shapeValues), shape.allSatisfy({ $0 >= 0 && $0 < 1 << 31 }) else {
            throw SafetensorsError.badTensor(name: name, reason: "shape is not a list of non-negative integers")
        }
        guard let offsetValues = info["data_offsets"] as? [Any], let offsets = intArray(offsetValues), offsets.count == 2,
            offsets[0] >= 0, offsets[0] <= offsets[1]
        else {
            throw SafetensorsError.badTensor(name: name, reason: "data_offsets must be [begin, end] with begin ≤ end")
        }
        guard offsets[1] <= dataLength else {
            throw SafetensorsError.truncated("tensor '\(name)' ends at byte \(offsets[1]) of a \(dataLength)-byte data section")
        }
        var elements = 1
        for d in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow else { throw SafetensorsError.badTensor(name: name, reason: "shape \(shape) overflows") }
            elements = product
        }
        guard elements * dtype.byteSize == offsets[1] - offsets[0] else {
            throw SafetensorsError.badTensor(
                name: name, reason: "shape \(shape) of \(dtypeName) needs \(elements * dtype.byteSize) bytes, offsets give \(offsets[1] - offsets[0])")
        }
        return Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
    }

    private static func intArray(_ values: [Any]) -> [Int]? {
        var result: [Int] = []
        for v in values {
            guard let n = v as? NSNumber, let i = Int(exactly: n.doubleValue) else { return nil }
            result.append(i)
        }
        return result
    }

    /// The named tensor converted to float32.
    public func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else { throw SafetensorsError.missingTensor(name) }
        let t = Tensor(zeros: entry.shape)
        let count = t.count
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress!.advanced(by: dataStart - bytes.startIndex + entry.range.lowerBound)
            switch entry.dtype {
            case .float32:
                for i in 0..<count { t.data[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case .float16:
                for i in 0..<count { t.data[i] = Float(Float16(bitPattern: UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))) }
            case .bfloat16:
                for i in 0..<count {
                    let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                    t.data[i] = Float(bitPattern: UInt32(bits) << 16)
                }
            case .int64:
                for i in 0..<count { t.data[i] = Float(Int64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
            case .int8:
                for i in 0..<count { t.data[i] = Float(base.load(fromByteOffset: i, as: Int8.self)) }
            }
        }
        if entry.dtype == .int8 {
            let scales = try tensor(Self.scaleName(of: name))
            let slice = entry.shape.isEmpty ? count : count / max(entry.shape[0], 1)
            for i in 0..<count { t.data[i] *= scales.data[i / max(slice, 1)] }
        }
        return t
    }

    /// Serializes tensors and metadata; tensors are laid out in the given order.
    public static func encode(_ tensors: [NamedTensor], metadata: [String: String] = [:]) throws -> Data {
        let tensors = tensors.flatMap { item -> [NamedTensor] in
            item.storedAs == .int8 ? [item, NamedTensor(scaleName(of: item.name), int8Scales(item.tensor))] : [item]
        }
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for item in tensors {
            guard header[item.name] == nil else { throw SafetensorsError.badTensor(name: item.name, reason: "written twice") }
            let size = item.tensor.count * item.storedAs.byteSize
            header[item.name] = ["dtype": item.storedAs.rawValue, "shape": item.tensor.shape, "data_offsets": [offset, offset + size]]
            offset += size
        }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }  // pad with spaces
        var out = Data(capacity: 8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(headerBytes)
        for item in tensors {
            let t = item.tensor
            switch item.storedAs {
            case .float32:
                out.append(UnsafeBufferPointer(start: t.data, count: t.count))
            case .float16:
                var half = (0..<t.count).map { Float16(t.data[$0]).bitPattern.littleEndian }
                half.withUnsafeMutableBytes { out.append(contentsOf: $0) }
            case .bfloat16:
                var half = (0..<t.count).map { UInt16(truncatingIfNeeded: t.data[$0].bitPattern >> 16).littleEndian }
                half.withUnsafeMutableBytes { out.append(contentsOf: $0) }
            case .int64:
                var wide = (0..<t.count).map { Int64(t.data[$0]).littleEndian }
                wide.withUnsafeMutableBytes { out.append(contentsOf: $0) }
            case .int8:
                let scales = int8Scales(t)
                let slice = t.count / max(scales.count, 1)
                var narrow = (0..<t.count).map { i -> Int8 in
                    let scale = scales.data[i / max(slice, 1)]
                    return scale > 0 ? Int8(max(-127, min(127, (t.data[i] / scale).rounded()))) : 0
                }
                narrow.withUnsafeMutableBytes { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    /// One scale per slice along the first dimension: the slice's largest magnitude / 127.
    static func int8Scales(_ t: Tensor) -> Tensor {
        let slices = t.shape.first ?? 1
        let slice = t.count / max(slices, 1)
        let scales = Tensor(zeros: [slices])
        for s in 0..<slices {
            var largest: Float = 0
            for i in (s * slice)..<((s + 1) * slice) { largest = max(largest, abs(t.data[i])) }
            scales.data[s] = largest / 127
        }
        return scales
    }

    /// Writes tensors to `path` crash-safely: a temporary file in the same folder is written,
    /// flushed to disk, then renamed over `path`, so a reader sees the old file or the new one,
    /// never a partial file.
    public static func write(_ tensors: [NamedTensor], metadata: [String: String] = [:], to path: String) throws {
        let data = try encode(tensors, metadata: metadata)
        try AtomicFile.write(data, to: path)
    }
}

extension StoredType {
    /// Bytes per element on disk.
    public var byteSize: Int {
        switch self {
        case .float32: 4
        case .float16, .bfloat16: 2
        case .int64: 8
        case .int8: 1
        }
    }
}
