import Tensors

/// Why a state dict does not fit a network.
public enum StateDictError: Error, CustomStringConvertible, Equatable {
    case missing([String])
    case unexpected([String])
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missing(let names): "checkpoint lacks \(names.count) tensor(s) the model needs: \(names.prefix(5).joined(separator: ", "))"
        case .unexpected(let names): "checkpoint has \(names.count) tensor(s) the model does not: \(names.prefix(5).joined(separator: ", "))"
        case .shapeMismatch(let name, let expected, let found): "tensor '\(name)' has shape \(found), model expects \(expected)"
        }
    }
}

extension Module {
    /// Parameters and buffers as PyTorch's `state_dict()` lists them, with `prefix` prepended.
    public func stateDict(prefix: String = "") -> [NamedTensor] {
        namedParameters().map { NamedTensor(prefix + $0.name, $0.parameter.value) }
            + namedBuffers().map { NamedTensor(prefix + $0.name, $0.buffer.value, storedAs: $0.buffer.storedAs) }
    }

    /// Loads every parameter and buffer from `lookup(prefix + name)`. With `strict`, names the
    /// file has under `prefix` but the network lacks are an error too (pass `available`).
    public func loadStateDict(
        prefix: String = "", available: [String]? = nil, strict: Bool = true,
        _ lookup: (String) throws -> Tensor?
    ) throws {
        var expected: [(String, Tensor)] = namedParameters().map { ($0.name, $0.parameter.value) }
        expected += namedBuffers().map { ($0.name, $0.buffer.value) }
        var missing: [String] = []
        var loaded: [(Tensor, Tensor)] = []
        for (name, target) in expected {
            guard let source = try lookup(prefix + name) else {
                missing.append(prefix + name)
                continue
            }
            // PyTorch stores num_batches_tracked as a 0-d tensor; accept [] and [1] alike.
            let sameShape = source.shape == target.shape || (source.count == 1 && target.count == 1)
            guard sameShape else { throw StateDictError.shapeMismatch(name: prefix + name, expected: target.shape, found: source.shape) }
            loaded.append((source, target))
        }
        guard missing.isEmpty else { throw StateDictError.missing(missing) }
        if strict, let available {
            let known = Set(expected.map { prefix + $0.0 })
            let extra = available.filter { $0.hasPrefix(prefix) && !known.contains($0) }
            guard extra.isEmpty else { throw StateDictError.unexpected(extra.sorted()) }
        }
        for (source, target) in loaded { target.assign(from: source) }
    }

    /// Loads from a safetensors file's tensors under `prefix`.
    public func load(from file: SafetensorsFile, prefix: String = "", strict: Bool = true) throws {
        try loadStateDict(prefix: prefix, available: file.names, strict: strict) { name in
            file.entries[name] == nil ? nil : try file.tensor(name)
        }
    }
}
