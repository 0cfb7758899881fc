import ArgumentParser
import Foundation
import Pix2Pix
import Testing

@testable import tinct

/// `tinct train`'s training flags are `TrainingOptions.schema`'s: each option is exactly one
/// flag, parsed to the option's value, listed once in `--help`, never shadowed by the
/// command's own options.
@Suite("tinct train flags")
struct TrainCommandTests {
    /// An existing folder for `--data`.
    static let data = FileManager.default.temporaryDirectory.path

    static func command(_ arguments: [String]) throws -> TrainCommand {
        try TrainCommand.parse(["--data", data, "--out", "\(data)/tinct-no-run"] + arguments)
    }

    /// The error message `tinct train` prints for `arguments`, or nil when they parse.
    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try command(arguments)
            return nil
        } catch {
            return TrainCommand.message(for: error)
        }
    }

    /// Command-line text of a valid value other than the default, and that value.
    static func otherValue(_ option: TrainingOption) -> (text: String?, value: TrainingOption.Value) {
        switch (option.kind, option.defaultValue) {
        case (.integer(let range), .integer(let d)):
            let v = option.name == "size" ? 128 : (range.lowerBound == d ? d + 1 : range.lowerBound)
            return ("\(v)", .integer(v))
        case (.unsigned, _): return ("7", .unsigned(7))
        case (.number(let bounds), .number(let d)):
            let v = bounds.minimumExcluded || bounds.minimum == d ? (bounds.maximum ?? d + 1) : bounds.minimum
            return ("\(v)", .number(v))
        case (.flag, _): return (nil, .flag(true))
        case (.choice(let choices, _), .choice(let d)):
            let v = choices.first { $0.value != d && $0.value != "pix2pix" }!.value
            return (v, .choice(v))
        default: return ("", option.defaultValue)
        }
    }

    @Test("Each schema option is one --flag that sets it, as --flag value and --flag=value")
    func everyOptionParses() throws {
        for option in TrainingOptions.schema {
            let (text, value) = Self.otherValue(option)
            let mode = option.modes.contains(.lineart) ? [] : ["--mode", option.modes[0].rawValue]
            for arguments in [["--\(option.flag)"] + (text.map { [$0] } ?? []), ["--\(option.flag)" + (text.map { "=\($0)" } ?? "")]] {
                let parsed = try Self.command(mode + arguments).trainingOptions()
                #expect(option.value(in: parsed.options) == value, "\(arguments)")
                #expect(parsed.given == (mode.isEmpty ? [] : ["mode"]) + [option.name], "\(arguments)")
            }
        }
    }

    @Test("No flags: exactly the defaults")
    func defaults() throws {
        let parsed = try Self.command([]).trainingOptions()
        #expect(parsed.options == TrainingOptions() && parsed.given.isEmpty)
    }

    @Test("--downs follows --size unless given; --steps is reported as given (the new total with --resume)")
    func derived() throws {
        #expect(try Self.command(["--size", "64"]).trainingOptions().options.downs == 6)
        #expect(try Self.command(["--size", "128", "--downs", "5"]).trainingOptions().options.downs == 5)
        let resumed = try TrainCommand.parse(["--out", "\(Self.data)/x", "--resume", "--steps", "40000"]).trainingOptions()
        #expect(resumed.options.steps == 40_000 && resumed.given == ["steps"])
    }

    @Test("The command's own options never take a schema option's flag")
    func noShadowing() throws {
        let help = try #require(try JSONSerialization.jsonObject(with: Data(TrainCommand._dumpHelp().utf8)) as? [String: Any])
        let arguments = (help["command"] as? [String: Any])?["arguments"] as? [[String: Any]] ?? []
        let own = Set(arguments.flatMap { ($0["names"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String } })
        #expect(own.isSuperset(of: ["data", "out", "resume", "epochs"]))
        #expect(own.isDisjoint(with: TrainingOptions.schema.map(\.flag)))
    }

    @Test("--help lists every schema flag once, with its default")
    func help() {
        let help = TrainCommand.helpMessage(columns: 80)
        for option in TrainingOptions.schema {
            let lines = help.split(separator: "\n").filter { $0.hasPrefix("  --\(option.flag) ") || $0 == "  --\(option.flag)" }
            #expect(lines.count == 1, "--\(option.flag)")
        }
        let flat = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("(1–2048; default: 256)") && flat.contains("default: 20000") && flat.contains("values: vanilla, lsgan, hinge"))
        let section = help.components(separatedBy: "TRAINING OPTIONS")[1].components(separatedBy: "\n\n")[0]
        #expect(section.split(separator: "\n").allSatisfy { $0.count < 80 }, "the section fits 80 columns")
    }

    @Test(
        "Bad flags are refused naming the flag",
        arguments: [
            (["--sise", "64"], "Unknown option '--sise'. Did you mean '--size'?"),
            (["--size"], "Missing value for '--size <n>'"),
            (["--size", "big"], "--size big: expected an integer"),
            (["--gan-loss", "wgan"], #"--gan-loss wgan: must be one of "vanilla", "lsgan", "hinge""#),
            (["--num-d", "4"], "--num-d: must be between 1 and 3"),
            (["--size", "33", "--downs", "5"], "--size: must be a multiple of 32 (2^downs), at most 2048"),
            (["--downs", "4"], "--downs: must be between 5 and 10"),
            (["--direction", "BtoA"], "--direction: applies to pix2pix runs only, not lineart"),
            (["--mode", "photo", "--colored-backgrounds", "0.5"], "--colored-backgrounds: applies to lineart runs only, not photo"),
            (["stray"], "Unexpected argument 'stray'")
        ])
    func refusals(arguments: [String], message: String) {
        #expect(Self.refusal(arguments) == message)
    }
}
