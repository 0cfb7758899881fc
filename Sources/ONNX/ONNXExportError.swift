/// Why a generator cannot be written as an ONNX graph.
public enum ONNXExportError: Error, CustomStringConvertible, Equatable {
    /// The network holds a layer this exporter has no ONNX form for (named by its
    /// state_dict path and Swift type), so the graph would not compute what Tinct does.
    case unsupportedLayer(path: String, type: String)
    /// The layer is known but used in a way the graph cannot express.
    case unsupportedUse(path: String, reason: String)
    /// SwiftProtobuf could not serialize the model.
    case serialization(String)

    public var description: String {
        switch self {
        case .unsupportedLayer(let path, let type):
            "cannot export \(path.isEmpty ? "the network" : path): no ONNX form for layer type \(type)"
        case .unsupportedUse(let path, let reason): "cannot export \(path): \(reason)"
        case .serialization(let reason): "could not serialize the ONNX model: \(reason)"
        }
    }
}
