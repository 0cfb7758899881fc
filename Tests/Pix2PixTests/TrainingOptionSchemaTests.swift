import Foundation
import NN
import Testing

@testable import Pix2Pix

/// `TrainingOptions.schema` is the one definition of the training options: it covers every
/// stored option, reads and writes each one, validates by it, and a config maps back to it.
@Suite("Training option schema")
struct TrainingOptionSchemaTests {
    /// A valid value other than the default, for each option (set alone, with `downs` and
    /// `mode` chosen so that it is used and valid).
    static func otherValue(_ option: TrainingOption) -> TrainingOption.Value {
        switch (option.kind, option.defaultValue) {
        case (.integer(let range), .integer(let d)):
            // size stays a multiple of 2^downs (downs follows it); one less keeps the others valid.
            return option.name == "size" ? .integer(128) : .integer(range.contains(d - 1) ? d - 1 : d + 1)
        case (.unsigned, .unsigned(let d)): return .unsigned(d &+ 41)
        case (.number(let bounds), .number(let d)): return .number(bounds.contains(d + 0.125) ? d + 0.125 : d / 2)
        case (.flag, .flag(let d)): return .flag(!d)
        case (.choice(let choices, _), .choice(let d)): return .choice(choices.first { $0.value != d }!.value)
        default:
            Issue.record("\(option.name): default \(option.defaultValue) is not of its kind")
            return option.defaultValue
        }
    }

    /// A mode that uses `option`.
    static func mode(for option: TrainingOption) -> ModelMode { option.modes.contains(.lineart) ? .lineart : option.modes[0] }

    @Test("Every stored option has exactly one schema entry, with a unique name and flag")
    func coversEveryProperty() {
        let properties = Mirror(reflecting: TrainingOptions()).children.compactMap(\.label)
        let names = TrainingOptions.schema.map(\.name)
        #expect(Set(properties) == Set(names))
        #expect(names.count == Set(names).count)
        #expect(Set(TrainingOptions.schema.map(\.flag)).count == names.count)
        for option in TrainingOptions.schema {
            #expect(!option.label.isEmpty && option.help.hasSuffix("."), "\(option.name)")
            #expect(!option.modes.isEmpty, "\(option.name)")
        }
    }

    @Test("Flags are the kebab-case names tinct train always had")
    func flags() {
        let flags = Dictionary(uniqueKeysWithValues: TrainingOptions.schema.map { ($0.name, $0.flag) })
        #expect(flags["lambdaL1"] == "lambda-l1" && flags["lambdaFM"] == "lambda-fm" && flags["numD"] == "num-d")
        #expect(flags["nLayers"] == "n-layers" && flags["checkpointEvery"] == "checkpoint-every" && flags["ngf"] == "ngf")
        #expect(flags["coloredBackgrounds"] == "colored-backgrounds" && flags["zeroHints"] == "zero-hints")
    }

    @Test("The defaults are within every range; JSON keys are the schema's names")
    func defaults() throws {
        #expect(TrainingOptions().problems.isEmpty)
        for option in TrainingOptions.schema { #expect(option.problem(with: option.defaultValue) == nil, "\(option.name)") }
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingOptions())) as? [String: Any]
        // `layout` is nil by default, so absent.
        #expect(Set(json?.keys.map { $0 } ?? []).union(["layout"]) == Set(TrainingOptions.schema.map(\.name)))
    }

    @Test("Each option is written and read back where it lives")
    func setAndRead() throws {
        for option in TrainingOptions.schema {
            let value = Self.otherValue(option)
            #expect(value != option.defaultValue, "\(option.name)")
            var given: [(name: String, value: TrainingOption.Value)] = [("mode", .choice(Self.mode(for: option).rawValue))]
            if option.name != "mode" { given.append((option.name, value)) } else { given = [(option.name, value)] }
            let options = try TrainingOptions(given: given)
            #expect(option.value(in: options) == value, "\(option.name)")
            // The others keep their defaults.
            for other in TrainingOptions.schema where other.name != option.name && other.name != "mode" && other.derivedDefault == nil {
                #expect(other.value(in: options) == other.defaultValue, "\(option.name) changed \(other.name)")
            }
            #expect(options.problems.isEmpty, "\(option.name) = \(value): \(options.problems)")
        }
    }

    @Test("Options → config → options is the identity for the options a mode uses", arguments: ModelMode.allCases)
    func configRoundTrip(mode: ModelMode) throws {
        for option in TrainingOptions.schema where option.modes.contains(mode) && option.name != "mode" {
            var options = try TrainingOptions(given: [("mode", .choice(mode.rawValue)), (option.name, Self.otherValue(option))])
            if mode == .pix2pix && options.layout == nil { options.layout = .folders }
            let config = options.config(dataPath: "/nonexistent")
            #expect(TrainingOptions(config) == options, "\(mode) \(option.name)")
            #expect(config.problems.isEmpty, "\(mode) \(option.name): \(config.problems)")
        }
    }

    @Test("Out-of-range values are reported under the option's name, in schema order")
    func problemsNameTheField() throws {
        for option in TrainingOptions.schema {
            var options = TrainingOptions()
            let bad: TrainingOption.Value
            switch option.kind {
            case .integer(let range): bad = .integer(range.lowerBound - 1)
            case .number(let bounds): bad = .number(bounds.minimumExcluded ? bounds.minimum : bounds.minimum - 1)
            case .unsigned, .flag, .choice: continue
            }
            try option.set(bad, in: &options)
            #expect(options.problems.first?.field == option.name, "\(option.name): \(options.problems)")
            #expect(option.problem(with: bad) != nil)
        }
        var nan = TrainingOptions()
        nan.lr = .nan
        #expect(nan.problems.map(\.field) == ["lr"])
        var size = TrainingOptions()
        size.size = 33
        #expect(size.problems.map(\.field) == ["size"])
        #expect(size.problems[0].problem.contains("multiple of 256"))
    }

    @Test("Given options: unknown names, wrong kinds and options the mode does not use are refused by name")
    func givenRefusals() {
        func refusal(_ given: [(name: String, value: TrainingOption.Value)]) -> TrainingOptionError? {
            do {
                _ = try TrainingOptions(given: given)
                return nil
            } catch { return error }
        }
        #expect(refusal([("sizee", .integer(64))])?.field == "sizee")
        #expect(refusal([("size", .number(64))]) == TrainingOptionError(field: "size", problem: "expected an integer"))
        #expect(refusal([("ganLoss", .choice("wgan"))])?.problem == #"must be one of "vanilla", "lsgan", "hinge""#)
        #expect(refusal([("ganLoss", .choice(nil))])?.field == "ganLoss")
        #expect(refusal([("direction", .choice("BtoA"))])?.problem == "applies to pix2pix runs only, not lineart")
        #expect(refusal([("mode", .choice("photo")), ("coloredBackgrounds", .number(0.5))])?.field == "coloredBackgrounds")
        #expect(refusal([("mode", .choice("pix2pix")), ("direction", .choice("BtoA")), ("layout", .choice(nil))]) == nil)
    }

    @Test("downs follows size unless given", arguments: [(64, nil, 6), (256, nil, 8), (32, nil, 5), (128, 5, 5)])
    func derivedDowns(size: Int, downs: Int?, expected: Int) throws {
        var given: [(name: String, value: TrainingOption.Value)] = [("size", .integer(size))]
        if let downs { given.append(("downs", .integer(downs))) }
        let options = try TrainingOptions(given: given)
        #expect(options.downs == expected)
        #expect(try TrainingOptions(given: []).downs == TrainingOptions().downs)
    }

    @Test("A saved config is checked against the same ranges as new options")
    func configProblems() {
        var config = TrainingOptions().config(dataPath: "/nonexistent")
        config.steps = 0
        config.keepLast = 1000
        #expect(config.problems == ["steps: must be between 1 and 100000000", "keep: must be between 1 and 100"])
        config = TrainingOptions().config(dataPath: "/nonexistent")
        config.coloredBackgrounds = 2
        #expect(config.problems == ["coloredBackgrounds: must be between 0 and 1"])
    }

    @Test("Command-line text parses to each kind's values")
    func parseText() throws {
        let option = { (name: String) in TrainingOptions.option(named: name)! }
        #expect(try option("size").parse("128") == .integer(128))
        #expect(try option("lr").parse("2e-4") == .number(2e-4))
        #expect(try option("seed").parse("18446744073709551615") == .unsigned(.max))
        #expect(try option("attention").parse("true") == .flag(true))
        #expect(try option("ganLoss").parse("hinge") == .choice("hinge"))
        #expect(throws: TrainingOptionError(field: "size", problem: "expected an integer")) { try option("size").parse("1.5") }
        #expect(throws: TrainingOptionError.self) { try option("seed").parse("-1") }
        #expect(throws: TrainingOptionError.self) { try option("norm").parse("layer") }
    }

    @Test("The schema for some modes keeps the options they use and offers only those modes")
    func schemaForModes() {
        let dashboard = TrainingOptions.schema(for: [.lineart, .photo])
        #expect(!dashboard.contains { $0.name == "direction" || $0.name == "layout" })
        #expect(dashboard.count == TrainingOptions.schema.count - 2)
        guard case .choice(let modes, _) = dashboard.first(where: { $0.name == "mode" })?.kind else {
            Issue.record("no mode choice")
            return
        }
        #expect(modes.map(\.value) == ["lineart", "photo"])
        #expect(dashboard.first { $0.name == "coloredBackgrounds" }?.modes == [.lineart])
    }
}
