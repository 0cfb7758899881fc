import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NN
import Pix2Pix
import Testing

@testable import Server

/// The dashboard's side of `TrainingOptions.schema`: the schema it is served, and the start
/// request decoded and validated by it.
@Suite("Training options schema (HTTP)")
struct TrainingOptionsSchemaTests {
    /// The start request's decoder and the service's range check, as the route applies them.
    static func refusal(_ body: String) -> String? {
        do {
            let request = try Request.decodeJSON(StartTrainingRequest.self, from: Data(body.utf8))
            return request.options.problems.first.map { "\($0.field): \($0.problem)" }
        } catch {
            return error.message
        }
    }

    @Test("GET /api/train/options-schema serves the start request's options in order, with defaults, ranges and choices")
    func served() async throws {
        let app = try await buildApplication(configuration: TestConfiguration.server())
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/train/options-schema", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                expectSecurityHeaders(response)
                let root = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
                #expect(root["version"] as? Int == 1)
                let fields = try #require(root["options"] as? [[String: Any]])
                let byName = Dictionary(uniqueKeysWithValues: fields.map { ($0["name"] as? String ?? "", $0) })
                // Every option of the dashboard's modes, in the schema's order; none for pix2pix only.
                let expected = TrainingOptions.schema.filter { !$0.modes.allSatisfy { $0 == .pix2pix } }.map(\.name)
                #expect(fields.compactMap { $0["name"] as? String } == expected)
                #expect(byName["direction"] == nil && byName["layout"] == nil)
                // Choices come from the enums; the mode offers what the dashboard trains.
                #expect(Self.choiceValues(byName["mode"]) == ["lineart", "photo"])
                #expect(Self.choiceValues(byName["ganLoss"]) == GANLoss.allCases.map(\.rawValue))
                #expect(Self.choiceValues(byName["norm"]) == NormKind.allCases.map(\.rawValue))
                // Defaults are TrainingOptions()'s.
                let defaults = try #require(
                    try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingOptions())) as? [String: Any])
                for field in fields {
                    let name = field["name"] as? String ?? ""
                    #expect("\(field["default"] ?? "nil")" == "\(defaults[name] ?? "nil")", "\(name)")
                    #expect(field["flag"] as? String == TrainingOptions.option(named: name)?.flag)
                    #expect((field["label"] as? String)?.isEmpty == false && (field["help"] as? String)?.isEmpty == false)
                }
                // Ranges and types.
                #expect(byName["size"]?["type"] as? String == "integer")
                #expect(byName["size"]?["minimum"] as? Int == 1 && byName["size"]?["maximum"] as? Int == 2048)
                #expect(byName["checkpointEvery"]?["maximum"] == nil)
                #expect(byName["lr"]?["type"] as? String == "number" && byName["lr"]?["exclusiveMinimum"] as? Bool == true)
                #expect(byName["attention"]?["type"] as? String == "flag")
                #expect(byName["seed"]?["type"] as? String == "integer" && byName["seed"]?["minimum"] as? Int == 0)
                #expect(byName["downs"]?["derivedDefault"] is String)
                #expect(byName["coloredBackgrounds"]?["modes"] as? [String] == ["lineart"])
                #expect(byName["zeroHints"]?["modes"] as? [String] == ["lineart", "photo"])
                #expect(byName["size"]?["advanced"] as? Bool == false && byName["lr"]?["advanced"] as? Bool == true)
            }
        }
    }

    @Test("protocol.js mirrors the schema's version and option types")
    func protocolMirror() throws {
        let url = TestConfiguration.repositoryRoot.appendingPathComponent("Public/js/protocol.js")
        let source = try String(contentsOf: url, encoding: .utf8)
        #expect(source.contains("export const OPTIONS_SCHEMA_VERSION = \(TrainingOptionsSchema.version);"))
        #expect(source.contains(#"export const OPTIONS_SCHEMA_PATH = "/api/train/options-schema";"#))
        for type in TrainingOptionsSchema.Field.FieldType.allCases {
            #expect(source.contains(#"\#(type.rawValue): "\#(type.rawValue)""#), "protocol.js lacks \(type.rawValue)")
        }
    }

    static func choiceValues(_ field: [String: Any]?) -> [String] {
        (field?["choices"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
    }

    @Test("The start request takes every option of the schema, each as its own JSON type")
    func decodesEveryOption() throws {
        for option in TrainingOptions.schema(for: StartTrainingRequest.modes) where option.name != "mode" {
            let (json, expected): (String, TrainingOption.Value) =
                switch option.kind {
                case .integer(let range): ("\(range.lowerBound)", .integer(range.lowerBound))
                case .unsigned: ("18446744073709551615", .unsigned(.max))
                case .number(let bounds): ("\(bounds.maximum ?? 7)", .number(bounds.maximum ?? 7))
                case .flag: ("true", .flag(true))
                case .choice(let choices, _): ("\"\(choices.last!.value)\"", .choice(choices.last!.value))
                }
            let body = #"{"dataset":"tiny","\#(option.name)":\#(json)}"#
            let request = try Request.decodeJSON(StartTrainingRequest.self, from: Data(body.utf8))
            #expect(option.value(in: request.options) == expected, "\(body)")
        }
    }

    @Test("A value of the wrong JSON type is refused naming the field, for every option")
    func wrongTypes() {
        for option in TrainingOptions.schema(for: StartTrainingRequest.modes) {
            let wrong =
                switch option.kind {
                case .integer, .unsigned: #""many""#
                case .number: "true"
                case .flag: "1"
                case .choice: "3"
                }
            let message = Self.refusal(#"{"dataset":"tiny","\#(option.name)":\#(wrong)}"#)
            // The decoder knows every mode (pix2pix is then refused with a pointer to the CLI).
            #expect(message == "\(option.name): \(TrainingOptions.option(named: option.name)!.kind.expectation)")
        }
        #expect(Self.refusal(#"{"dataset":"tiny","steps":1.5}"#) == "steps: expected an integer")
        #expect(Self.refusal(#"{"dataset":"tiny","seed":-1}"#) == "seed: expected a non-negative integer")
    }

    @Test("A value out of range is refused naming the field, for every bounded option")
    func outOfRange() {
        for option in TrainingOptions.schema(for: StartTrainingRequest.modes) {
            let values: [String] =
                switch option.kind {
                case .integer(let range): ["\(range.lowerBound - 1)"] + (range.upperBound == .max ? [] : ["\(range.upperBound + 1)"])
                case .number(let bounds): ["\(bounds.minimumExcluded ? bounds.minimum : bounds.minimum - 1)"] + (bounds.maximum.map { ["\($0 + 1)"] } ?? [])
                case .choice: [#""none-of-these""#]
                case .unsigned, .flag: []
                }
            for value in values {
                let message = Self.refusal(#"{"dataset":"tiny","\#(option.name)":\#(value)}"#)
                #expect(message?.hasPrefix("\(option.name): ") == true, "\(option.name) = \(value) → \(message ?? "accepted")")
            }
        }
    }

    @Test(
        "Unknown fields and options the run's mode does not use are refused by name",
        arguments: [
            (#"{"dataset":"tiny","sizee":64}"#, "sizee: is not a training option"),
            (#"{"dataset":"tiny","direction":"BtoA"}"#, "direction: applies to pix2pix runs only, not lineart"),
            (#"{"dataset":"tiny","layout":"folders"}"#, "layout: applies to pix2pix runs only, not lineart"),
            (#"{"dataset":"tiny","mode":"photo","coloredBackgrounds":0.5}"#, "coloredBackgrounds: applies to lineart runs only, not photo"),
            (
                #"{"dataset":"tiny","mode":"pix2pix","direction":"BtoA"}"#,
                "mode: the dashboard trains lineart and photo models; use `tinct train --mode pix2pix`"
            )
        ])
    func refusedByName(body: String, message: String) {
        #expect(Self.refusal(body) == message)
    }

    @Test("Omitted fields are the defaults; downs follows size")
    func defaults() throws {
        let plain = try Request.decodeJSON(StartTrainingRequest.self, from: Data(#"{"dataset":"tiny"}"#.utf8))
        #expect(plain.options == TrainingOptions())
        let small = try Request.decodeJSON(StartTrainingRequest.self, from: Data(#"{"dataset":"tiny","size":64,"mode":"photo"}"#.utf8))
        #expect(small.options.downs == 6 && small.options.mode == .photo && small.options.problems.isEmpty)
        let nulls = try Request.decodeJSON(StartTrainingRequest.self, from: Data(#"{"dataset":"tiny","size":null}"#.utf8))
        #expect(nulls.options == TrainingOptions())
    }
}
