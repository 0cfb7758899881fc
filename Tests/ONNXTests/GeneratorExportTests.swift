import NN
import Pix2Pix
import Testing

@testable import ONNX

/// The structure of exported graphs. What they compute is checked against Tinct with ONNX
/// Runtime by Tests/Interop/test_onnx.py (`make test-interop`); these tests need no runtime.
@Suite("ONNX export")
struct GeneratorExportTests {
    /// A 32-pixel pix2pix generator (ngf 8, 5 downsamplings), untrained.
    static func model(norm: NormKind = .batch, attentionDepths: [Int] = [], batchStatistics: Bool) -> GeneratorModel {
        let config = GeneratorConfig(
            inputChannels: 3, outputChannels: 3, ngf: 8, downsamplings: 5, norm: norm,
            attentionDepths: attentionDepths)
        return GeneratorModel(mode: .pix2pix, generator: UNetGenerator(config), resolution: 32, batchStatistics: batchStatistics)
    }

    /// Batch norm on running statistics; on each picture's own; instance norm with attention at two depths.
    static func models() -> [GeneratorModel] {
        [
            model(batchStatistics: false), model(batchStatistics: true),
            model(norm: .instance, attentionDepths: [1, 3], batchStatistics: true)
        ]
    }

    @Test("every parameter is an initializer under its state_dict name; running statistics too when used")
    func initializersAreTheStateDict() throws {
        for model in Self.models() { try checkInitializers(model) }
    }

    private func checkInitializers(_ model: GeneratorModel) throws {
        let graph = try GeneratorExport.modelProto(of: model, producerVersion: "test").graph
        let names = Set(graph.initializer.map(\.name))
        for (name, parameter) in model.generator.namedParameters() {
            let stored = graph.initializer.first { $0.name == name }
            #expect(stored?.dims == parameter.shape.map(Int64.init), "\(name)")
            #expect(stored?.rawData.count == parameter.value.count * 4, "\(name)")
        }
        let statistics = model.generator.namedBuffers().map(\.name).filter { $0.hasSuffix("running_mean") || $0.hasSuffix("running_var") }
        #expect(statistics.filter(names.contains).count == (model.batchStatistics ? 0 : statistics.count))
    }

    @Test("opset 17; nodes in order, each input defined before use; input and output (N, C, S, S)")
    func graphIsWellFormed() throws {
        for model in Self.models() { try checkGraph(model) }
    }

    private func checkGraph(_ model: GeneratorModel) throws {
        let proto = try GeneratorExport.modelProto(of: model, producerVersion: "test")
        #expect(proto.opsetImport.map(\.version) == [17])
        #expect(proto.irVersion == 8)
        var defined = Set(proto.graph.initializer.map(\.name) + proto.graph.input.map(\.name))
        for node in proto.graph.node {
            #expect(node.input.allSatisfy(defined.contains), "\(node.name) reads an undefined value")
            #expect(node.output.allSatisfy { !defined.contains($0) }, "\(node.name) redefines a value")
            defined.formUnion(node.output)
        }
        let dims = { (value: Onnx_ValueInfoProto) in value.type.tensorType.shape.dim.map { $0.dimParam.isEmpty ? "\($0.dimValue)" : $0.dimParam } }
        #expect(proto.graph.input.map(dims) == [["N", "3", "32", "32"]])
        #expect(proto.graph.output.map(dims) == [["N", "3", "32", "32"]])
        #expect(defined.contains(GeneratorExport.outputName))
        let metadata = Dictionary(uniqueKeysWithValues: proto.metadataProps.map { ($0.key, $0.value) })
        #expect(metadata["tinct.mode"] == "pix2pix" && metadata["tinct.resolution"] == "32")
    }

    @Test("batch norm: running statistics → BatchNormalization, the picture's own → InstanceNormalization")
    func batchNormForms() throws {
        let models = Self.models()
        let count = { (model: GeneratorModel, op: String) in
            try GeneratorExport.modelProto(of: model, producerVersion: "test").graph.node.filter { $0.opType == op }.count
        }
        let batchNorms = models[0].generator.namedParameters().filter { $0.name.hasSuffix(".weight") && $0.parameter.shape.count == 1 }.count
        #expect(try count(models[0], "BatchNormalization") == batchNorms)
        #expect(try count(models[0], "InstanceNormalization") == 0)
        #expect(try count(models[1], "InstanceNormalization") == batchNorms)
        #expect(try count(models[1], "BatchNormalization") == 0)
        #expect(try count(models[2], "Softmax") == 2)
        #expect(try count(models[2], "Dropout") == 0)
    }

    @Test("a layer with no ONNX form stops the export, naming its path and type")
    func unsupportedLayer() {
        #expect(throws: ONNXExportError.unsupportedLayer(path: "model.model.3", type: "AvgPool2d")) {
            try GraphBuilder().lower(AvgPool2d(), GraphValue(name: "input", channels: 3), path: "model.model.3")
        }
    }
}
