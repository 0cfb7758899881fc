import Foundation
import Tensors

/// A tensor flowing through the graph being built: its ONNX name and its channel count
/// (the one dimension the exporter must know; N, H and W are left to the runtime).
struct GraphValue {
    let name: String
    let channels: Int
}

/// Collects the nodes and weights of one ONNX graph in topological order.
///
/// Weights become initializers named by their state_dict path (`model.model.1.weight`), so a
/// reader of the graph finds the same names as in Tinct's and PyTorch's files. Intermediate
/// values are named after the layer that produces them, made unique with a counter.
final class GraphBuilder {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var usedNames: Set<String> = []

    /// Adds a node computing `op` (an operator of the default ONNX domain) and returns the
    /// name of its single output.
    @discardableResult
    func node(_ op: String, _ inputs: [String], attributes: [Onnx_AttributeProto] = [], named hint: String) -> String {
        let output = uniqueName(hint)
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = output
        node.input = inputs
        node.output = [output]
        node.attribute = attributes
        nodes.append(node)
        return output
    }

    /// Adds `tensor` as a float32 initializer with its own shape and returns its name.
    func weight(_ tensor: Tensor, named name: String) -> String {
        weight(tensor.scalars, shape: tensor.shape, named: name)
    }

    /// Adds `values` as a float32 initializer of `shape` and returns its name.
    func weight(_ values: [Float], shape: [Int], named hint: String) -> String {
        precondition(values.count == shape.reduce(1, *), "GraphBuilder: \(values.count) values for shape \(shape)")
        var proto = Onnx_TensorProto()
        proto.name = uniqueName(hint)
        proto.dims = shape.map(Int64.init)
        proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        // raw_data is little-endian by the ONNX spec, as are the machines Swift runs on.
        proto.rawData = values.map(\.bitPattern.littleEndian).withUnsafeBytes { Data($0) }
        initializers.append(proto)
        return proto.name
    }

    /// Adds a 1-D int64 initializer (shapes, axes) and returns its name.
    func int64s(_ values: [Int64], named hint: String) -> String {
        var proto = Onnx_TensorProto()
        proto.name = uniqueName(hint)
        proto.dims = [Int64(values.count)]
        proto.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        proto.int64Data = values
        initializers.append(proto)
        return proto.name
    }

    /// `hint`, or `hint_2`, `hint_3`, … when taken.
    private func uniqueName(_ hint: String) -> String {
        var name = hint
        var suffix = 1
        while usedNames.contains(name) {
            suffix += 1
            name = "\(hint)_\(suffix)"
        }
        usedNames.insert(name)
        return name
    }
}

/// Node attributes, one constructor per kind the exporter uses.
enum Attribute {
    /// An integer attribute (`axis`).
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = Int64(value)
        return a
    }

    /// A list of integers (`kernel_shape`, `strides`, `pads`, `perm`).
    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values.map(Int64.init)
        return a
    }

    /// A float attribute (`epsilon`, `alpha`).
    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = value
        return a
    }
}
