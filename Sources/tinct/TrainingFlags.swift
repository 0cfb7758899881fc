import ArgumentParser
import Pix2Pix

/// `tinct train`'s training options: one `--flag` per entry of `TrainingOptions.schema`
/// (`--lambda-l1` for `lambdaL1`), read from the arguments ArgumentParser leaves unrecognized,
/// and their section of `--help`. Nothing here names an option, so a new entry in the schema
/// is a new flag without a change to this file or to `TrainCommand`.
enum TrainingFlags {
    /// The options on the command line, in order, by option name: `--size 128`, `--size=128`,
    /// and for an on/off option `--attention` (or `--attention=false`).
    /// - Throws: `ValidationError` for an unknown flag, a missing value or one of the wrong kind.
    static func parse(_ arguments: [String]) throws -> [(name: String, value: TrainingOption.Value)] {
        var given: [(name: String, value: TrainingOption.Value)] = []
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { throw ValidationError("Unexpected argument '\(argument)'") }
            let (flag, attached) = split(argument.dropFirst(2))
            guard let option = TrainingOptions.schema.first(where: { $0.flag == flag }) else {
                throw ValidationError("Unknown option '--\(flag)'" + (suggestion(for: flag).map { ". Did you mean '--\($0)'?" } ?? ""))
            }
            var text = attached
            if text == nil {
                if case .flag = option.kind {
                    text = "true"
                } else if let next = rest.first, !next.hasPrefix("--") {
                    text = rest.removeFirst()
                }
            }
            guard let text else { throw ValidationError("Missing value for '--\(flag) <\(valueName(option))>'") }
            do {
                given.append((option.name, try option.parse(text)))
            } catch {
                throw ValidationError("--\(flag) \(text): \(error.problem)")
            }
        }
        return given
    }

    /// The flag (without dashes) of the option named `name`.
    static func flag(of name: String) -> String { TrainingOptions.option(named: name)?.flag ?? name }

    /// "--flag: problem" for an option's problem reported under its name.
    static func describe(field: String, problem: String) -> String { "--\(flag(of: field)): \(problem)" }

    /// The flags in `--help`'s style (two-space indent, help from column 27), wrapped within
    /// 80 columns (ArgumentParser wraps the discussion again at 80, so lines stay shorter).
    static func helpSection(title: String) -> String {
        let lines = TrainingOptions.schema.map { option -> String in
            let label = "  --\(option.flag)" + (isFlag(option) ? "" : " <\(valueName(option))>")
            let details = details(option)
            let text = option.help + (details.isEmpty ? "" : " (" + details.joined(separator: "; ") + ")")
            let body = wrap(text, width: 79 - labelColumn)
            let indent = String(repeating: " ", count: labelColumn)
            let first =
                label.count < labelColumn - 1
                ? label.padding(toLength: labelColumn, withPad: " ", startingAt: 0) + body[0]
                : label + "\n" + indent + body[0]
            return ([first] + body.dropFirst().map { indent + $0 }).joined(separator: "\n")
        }
        return ([title] + lines).joined(separator: "\n")
    }

    // MARK: - Private

    /// Column at which help text starts, as ArgumentParser's own `--help`.
    private static let labelColumn = 26

    private static func isFlag(_ option: TrainingOption) -> Bool {
        if case .flag = option.kind { true } else { false }
    }

    private static func valueName(_ option: TrainingOption) -> String {
        switch option.kind {
        case .integer, .unsigned: "n"
        case .number: "x"
        case .flag, .choice: option.flag
        }
    }

    /// What follows the help in parentheses: modes, range or values, default.
    private static func details(_ option: TrainingOption) -> [String] {
        var details: [String] = []
        if option.modes.count < ModelMode.allCases.count {
            details.append(option.modes.map(\.rawValue).joined(separator: " and ") + " only")
        }
        switch option.kind {
        case .integer(let range):
            details.append(range.upperBound == .max ? "≥ \(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)")
        case .number(let bounds):
            let (min, format) = (bounds.minimum, TrainingOption.NumberBounds.format)
            let low = (bounds.minimumExcluded ? "> " : "≥ ") + format(min)
            details.append(bounds.maximum.map { bounds.minimumExcluded ? "\(low), ≤ \(format($0))" : "\(format(min))–\(format($0))" } ?? low)
        case .choice(let choices, _):
            details.append("values: " + choices.map(\.value).joined(separator: ", "))
        case .unsigned, .flag:
            break
        }
        switch (option.derivedDefault, option.kind, option.defaultValue) {
        case (let rule?, _, _): details.append("default: \(rule)")
        case (nil, .choice(_, let none?), .choice(nil)): details.append("default: \(none)")
        case (nil, .flag, _): break
        default: details.append("default: \(option.defaultValue)")
        }
        return details
    }

    private static func split(_ argument: Substring) -> (flag: String, value: String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (String(argument), nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// The flag nearest to a mistyped one (at most two edits away), if any.
    private static func suggestion(for flag: String) -> String? {
        let scored = TrainingOptions.schema.map { ($0.flag, editDistance($0.flag, flag)) }
        return scored.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let (a, b) = (Array(a), Array(b))
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in 1...b.count {
                let substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)
                diagonal = row[j]
                row[j] = min(substitution, row[j] + 1, row[j - 1] + 1)
            }
        }
        return row[b.count]
    }

    /// Greedy word wrap to `width` columns.
    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return lines + [line]
    }
}
