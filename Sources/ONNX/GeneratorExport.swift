import Foundation
import Pix2Pix
import SwiftProtobuf

/// Writes the generator of a Tinct model as a standard ONNX model (opset 17, IR version 8),
/// for serving stacks such as ONNX Runtime, OpenVINO or Triton.
///
/// The graph is the raw generator in evaluation, exactly `GeneratorModel.run`: input
/// `input` (N, C, S, S) float32 NCHW with S the model's resolution, output `output`
/// (N, OC, S, S) float32 in [−1, 1] (tanh). Building the input planes from a picture and
/// hints, and composing the output into a picture, stay Tinct's (`ColorizationEncoding`);
/// the model's `metadata_props` carry what a client needs to do the same (mode,
/// resolution, generator configuration). Weights are stored as float32 whatever the
/// model file held (float16 and int8 weights are expanded as Tinct expands them).
public enum GeneratorExport {
    /// The ONNX operator set the graph is written against.
    public static let opsetVersion: Int64 = 17
    /// The ONNX IR version that goes with opset 17.
    public static let irVersion: Int64 = 8
    public static let inputName = "input"
    public static let outputName = "output"

    /// The serialized ONNX model of `model`'s generator.
    /// - Parameter producerVersion: Tinct's version, recorded in the model.
    /// - Throws: `ONNXExportError` when the network holds a layer with no ONNX form.
    public static func onnxData(of model: GeneratorModel, producerVersion: String) throws(ONNXExportError) -> Data {
        let proto = try modelProto(of: model, producerVersion: producerVersion)
        do {
            return try proto.serializedBytes()
        } catch {
            throw .serialization("\(error)")
        }
    }

    static func modelProto(of model: GeneratorModel, producerVersion: String) throws(ONNXExportError) -> Onnx_ModelProto {
        let config = model.config
        let builder = GraphBuilder()
        let input = GraphValue(name: inputName, channels: config.inputChannels)
        let result = try builder.lower(model.generator.model, input, path: "model")
        builder.node("Identity", [result.name], named: outputName)

        var graph = Onnx_GraphProto()
        graph.name = "tinct-\(model.mode.rawValue)-generator"
        graph.node = builder.nodes
        graph.initializer = builder.initializers
        graph.input = [imageValue(inputName, channels: config.inputChannels, side: model.resolution)]
        graph.output = [imageValue(outputName, channels: config.outputChannels, side: model.resolution)]

        var proto = Onnx_ModelProto()
        proto.irVersion = irVersion
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = opsetVersion
        proto.opsetImport = [opset]
        proto.producerName = "tinct"
        proto.producerVersion = producerVersion
        proto.docString = documentation(of: model)
        proto.metadataProps = metadata(of: model).map { key, value in
            var entry = Onnx_StringStringEntryProto()
            (entry.key, entry.value) = (key, value)
            return entry
        }
        proto.graph = graph
        return proto
    }

    /// A float32 (N, channels, side, side) value, N left to the runtime.
    private static func imageValue(_ name: String, channels: Int, side: Int) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = [Dimension.named("N"), Dimension.sized(channels), Dimension.sized(side), Dimension.sized(side)]
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        var value = Onnx_ValueInfoProto()
        value.name = name
        value.type = type
        return value
    }

    private enum Dimension {
        static func named(_ name: String) -> Onnx_TensorShapeProto.Dimension {
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimParam = name
            return d
        }

        static func sized(_ size: Int) -> Onnx_TensorShapeProto.Dimension {
            var d = Onnx_TensorShapeProto.Dimension()
            d.dimValue = Int64(size)
            return d
        }
    }

    /// Key–value pairs a client reads to prepare inputs as Tinct does, sorted by key.
    static func metadata(of model: GeneratorModel) -> [(String, String)] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configJSON = (try? encoder.encode(model.config)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return [
            ("tinct.generator", configJSON),
            ("tinct.mode", model.mode.rawValue),
            ("tinct.normalization", model.batchStatistics ? "per-picture-statistics" : "running-statistics"),
            ("tinct.resolution", String(model.resolution))
        ]
    }

    private static func documentation(of model: GeneratorModel) -> String {
        let config = model.config
        return """
            Tinct \(model.mode.rawValue) generator (pix2pix U-Net, ngf \(config.ngf), \(config.downsamplings) \
            downsamplings, \(config.norm.rawValue) norm\(config.attentionDepths.isEmpty ? "" : ", self-attention at depths \(config.attentionDepths)")) \
            in evaluation. input: float32 (N, \(config.inputChannels), \(model.resolution), \(model.resolution)) planes \
            as Tinct's ColorizationEncoding builds them; output: float32 (N, \(config.outputChannels), \
            \(model.resolution), \(model.resolution)) in [-1, 1].\
            \(model.batchStatistics ? " Batch norm uses each picture's own statistics (pix2pix test-time behaviour)." : "")
            """
    }
}
