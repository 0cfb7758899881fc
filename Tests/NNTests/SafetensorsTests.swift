import Foundation
import NN
import Tensors
import TestSupport
import Testing

@Suite("Safetensors")
struct SafetensorsTests {
    static func tempPath(_ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tinct-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name).path
    }

    @Test("round trip of every dtype with metadata")
    func roundTrip() throws {
        let a = Tensor([1, -2.5, 3.25, 1e-3, 65504, -0.0], shape: [2, 3])
        let counter = Tensor([42], shape: [])
        let path = Self.tempPath("round.safetensors")
        try SafetensorsFile.write(
            [
                NamedTensor("a", a), NamedTensor("half", a, storedAs: .float16),
                NamedTensor("brain", a, storedAs: .bfloat16), NamedTensor("n", counter, storedAs: .int64)
            ],
            metadata: ["tinct.format": "1"], to: path)
        let file = try SafetensorsFile(contentsOf: path)
        #expect(file.metadata["tinct.format"] == "1")
        #expect(try file.tensor("a").scalars == a.scalars)
        #expect(try file.tensor("half").scalars == [1, -2.5, 3.25, Float(Float16(1e-3)), 65504, 0])
        #expect(try file.tensor("brain").shape == [2, 3])
        #expect(try file.tensor("n").scalars == [42])
        #expect(try file.tensor("n").shape == [])
        #expect(file.entries["n"]?.dtype == .int64)
    }

    @Test("int8: each first-dimension slice within half a step of its own scale; scales are not listed as tensors")
    func int8RoundTrip() throws {
        var rng = SeededGenerator(seed: 3)
        // Slices of very different magnitude, as conv filters are; one all-zero slice.
        let weights = Tensor(
            (0..<(4 * 3 * 2 * 2)).map { i in
                let slice = i / 12
                return slice == 3 ? 0 : (Float(rng.nextUniform()) * 2 - 1) * [0.01, 1, 40][slice]
            }, shape: [4, 3, 2, 2])
        let path = Self.tempPath("int8.safetensors")
        try SafetensorsFile.write([NamedTensor("w", weights, storedAs: .int8), NamedTensor("b", Tensor([1, 2], shape: [2]))], to: path)
        let file = try SafetensorsFile(contentsOf: path)
        #expect(file.names == ["w", "b"])
        #expect(file.entries["w"]?.dtype == .int8)
        let back = try file.tensor("w")
        #expect(back.shape == [4, 3, 2, 2])
        for slice in 0..<4 {
            let values = (0..<12).map { weights.data[slice * 12 + $0] }
            let step = (values.map(abs).max() ?? 0) / 127
            for i in 0..<12 {
                #expect(abs(back.data[slice * 12 + i] - values[i]) <= step / 2 + 1e-7, "slice \(slice) element \(i)")
            }
        }
        #expect((36..<48).allSatisfy { back.data[$0] == 0 })
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count < 48 * 2 + 400, "int8 data should take a byte per value")
    }

    @Test("reads files written by PyTorch's safetensors, int64 counters included")
    func readsPyTorch() throws {
        let file = try SafetensorsFile(contentsOf: FixturePaths.path("Tests/Pix2PixTests/Fixtures/torch_generator.safetensors"))
        #expect(file.entries["model.model.0.weight"]?.shape == [8, 3, 4, 4])
        #expect(file.entries["model.model.1.model.2.num_batches_tracked"]?.dtype == .int64)
        #expect(try file.tensor("model.model.1.model.2.num_batches_tracked").scalars == [3])
    }

    static func withHeader(_ json: String, dataBytes: Int = 0) -> Data {
        var data = Data()
        var n = UInt64(json.utf8.count).littleEndian
        withUnsafeBytes(of: &n) { data.append(contentsOf: $0) }
        data.append(Data(json.utf8))
        data.append(Data(count: dataBytes))
        return data
    }

    @Test(
        "malformed files fail with a clear error",
        arguments: [
            ("empty", Data()),
            ("short", Data([1, 2, 3])),
            ("huge header length", Data([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])),
            ("header longer than file", Data([100, 0, 0, 0, 0, 0, 0, 0, 0x7b])),
            ("not JSON", withHeader("nope")),
            ("JSON array", withHeader("[1,2]")),
            ("unknown dtype", withHeader(#"{"a":{"dtype":"Q8","shape":[1],"data_offsets":[0,1]}}"#, dataBytes: 1)),
            ("negative shape", withHeader(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, dataBytes: 4)),
            ("offsets past end", withHeader(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 8)),
            ("size mismatch", withHeader(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, dataBytes: 8)),
            ("reversed offsets", withHeader(#"{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}"#, dataBytes: 8)),
            (
                "overlap",
                withHeader(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, dataBytes: 12)
            ),
            ("metadata not strings", withHeader(#"{"__metadata__":{"a":1}}"#)),
            ("int8 without scales", withHeader(#"{"a":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}}"#, dataBytes: 2)),
            (
                "int8 scales of the wrong shape",
                withHeader(
                    #"{"a":{"dtype":"I8","shape":[2,1],"data_offsets":[0,2]},"a#scale":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#, dataBytes: 6)
            ),
            ("shape overflow", withHeader(#"{"a":{"dtype":"F32","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,4]}}"#, dataBytes: 4))
        ])
    func malformed(name: String, data: Data) {
        do {
            _ = try SafetensorsFile(data: data)
            Issue.record("\(name): accepted")
        } catch let error as SafetensorsError {
            #expect(!error.description.isEmpty)
        } catch {
            Issue.record("\(name): unexpected error type \(error)")
        }
    }

    @Test("a missing file is a clear error")
    func missingFile() {
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(contentsOf: "/nonexistent/x.safetensors") }
    }

    @Test("every truncation of a valid file is rejected, never a crash")
    func truncations() throws {
        let data = try SafetensorsFile.encode([NamedTensor("w", Tensor([1, 2, 3, 4], shape: [2, 2]))], metadata: ["k": "v"])
        for length in 0..<data.count {
            #expect(throws: SafetensorsError.self) { try SafetensorsFile(data: data.prefix(length)) }
        }
        #expect(try SafetensorsFile(data: data).tensor("w").scalars == [1, 2, 3, 4])
    }
}
