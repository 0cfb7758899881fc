/// One knob of a training run, described once: its name, label and help, the values it takes
/// (a range, or an enum's cases with labels), the modes whose runs use it, and where it lives
/// in `TrainingOptions` (its default is that property's initial value).
///
/// `TrainingOptions.schema` lists them in order. Everything a person sets a run with is
/// derived from that list: `tinct train`'s flags and `--help`, the dashboard's start request
/// (decoding and validation) and its form, served as JSON by `GET /api/train/options-schema`.
public struct TrainingOption: Sendable {
    /// The field name in JSON and in the dashboard's form (`lambdaL1`); the CLI flag is its
    /// kebab-case form (`flag`).
    public let name: String
    /// A short label for a form (`λ L1`).
    public let label: String
    /// What it does, one or two sentences, for `--help` and the form's tooltip.
    public let help: String
    /// The values it takes.
    public fileprivate(set) var kind: Kind
    /// The modes whose runs use it; giving it for a run of another mode is refused.
    public fileprivate(set) var modes: [ModelMode]
    /// Tuning that most runs leave at its default (a form folds it away).
    public let advanced: Bool
    /// When the option is not given, its default follows other options; this says how
    /// ("log2 of size, clamped"). nil: the default is `TrainingOptions()`'s value.
    public let derivedDefault: String?

    fileprivate let read: @Sendable (TrainingOptions) -> Value
    /// Stores a value `accepts` holds; other values leave the options unchanged.
    fileprivate let write: @Sendable (inout TrainingOptions, Value) -> Void
    fileprivate let derive: (@Sendable (TrainingOptions) -> Value)?
    /// A condition that involves other options (size is a multiple of 2^downs).
    fileprivate let rule: (@Sendable (TrainingOptions) -> String?)?

    /// The `tinct train` flag, without the dashes: `lambdaL1` → `lambda-l1`, `numD` → `num-d`.
    public var flag: String {
        var flag = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, !previous.isUppercase { flag.append("-") }
            flag.append(Character(character.lowercased()))
            previous = character
        }
        return flag
    }

    /// The default: `TrainingOptions()`'s value (see `derivedDefault` for options that follow others).
    public var defaultValue: Value { read(TrainingOptions()) }

    /// This option's value in `options`.
    public func value(in options: TrainingOptions) -> Value { read(options) }

    /// Whether `value` is of this option's kind (a choice among its cases); not a range check.
    public func accepts(_ value: Value) -> Bool {
        switch (kind, value) {
        case (.integer, .integer), (.unsigned, .unsigned), (.number, .number), (.flag, .flag): true
        case (.choice(let choices, let noneMeans), .choice(let raw)):
            raw.map { raw in choices.contains { $0.value == raw } } ?? (noneMeans != nil)
        default: false
        }
    }

    /// Sets this option in `options`.
    /// - Throws: `TrainingOptionError` when `value` is not of this option's kind.
    public func set(_ value: Value, in options: inout TrainingOptions) throws(TrainingOptionError) {
        guard accepts(value) else { throw TrainingOptionError(field: name, problem: kind.expectation) }
        write(&options, value)
    }

    /// What is wrong with `value` for this option's range alone (conditions involving other
    /// options are not checked); nil when it is within.
    public func problem(with value: Value) -> String? { kind.problem(with: value) }

    /// What is wrong with this option's value in `options`, worded to follow its name
    /// ("must be between 1 and 512"); nil when it is acceptable.
    public func problem(in options: TrainingOptions) -> String? {
        kind.problem(with: read(options)) ?? rule?(options)
    }

    /// The value `text` stands for on a command line (`256`, `2e-4`, `true`, `lsgan`).
    /// - Throws: `TrainingOptionError` saying what was expected.
    public func parse(_ text: String) throws(TrainingOptionError) -> Value {
        let value: Value? =
            switch kind {
            case .integer: Int(text).map(Value.integer)
            case .unsigned: UInt64(text).map(Value.unsigned)
            case .number: Float(text).map(Value.number)
            case .flag: Bool(text).map(Value.flag)
            case .choice: .choice(text)
            }
        guard let value, accepts(value) else { throw TrainingOptionError(field: name, problem: kind.expectation) }
        return value
    }
}

extension TrainingOption {
    /// The values an option takes.
    public enum Kind: Sendable, Equatable {
        /// A whole number within the range.
        case integer(ClosedRange<Int>)
        /// A whole number from 0 to 2^64 − 1 (the seed).
        case unsigned
        /// A finite number within the bounds.
        case number(NumberBounds)
        /// On or off.
        case flag
        /// One of the choices (an enum's raw values). `noneMeans` says what leaving it unset
        /// does when it may be unset ("detected from the dataset folder"); nil when it may not.
        case choice([Choice], noneMeans: String?)

        /// What a value of this kind looks like, for an error ("expected an integer").
        public var expectation: String {
            switch self {
            case .integer: "expected an integer"
            case .unsigned: "expected a non-negative integer"
            case .number: "expected a number"
            case .flag: "expected true or false"
            case .choice(let choices, _): "must be one of \(choices.map { "\"\($0.value)\"" }.joined(separator: ", "))"
            }
        }

        /// What is wrong with `value` for this kind's range; nil when it is within.
        func problem(with value: Value) -> String? {
            switch (self, value) {
            case (.integer(let range), .integer(let v)):
                guard !range.contains(v) else { return nil }
                return range.upperBound == .max
                    ? "must be at least \(range.lowerBound)"
                    : "must be between \(range.lowerBound) and \(range.upperBound)"
            case (.number(let bounds), .number(let v)):
                return bounds.contains(v) ? nil : bounds.requirement
            case (.unsigned, .unsigned), (.flag, .flag), (.choice, .choice): return nil
            default: return expectation
            }
        }
    }

    /// The bounds of a number option: `minimum` (included unless `minimumExcluded`) and
    /// `maximum` (included; nil: none).
    public struct NumberBounds: Sendable, Equatable {
        public var minimum: Float
        public var minimumExcluded = false
        public var maximum: Float?

        /// Whether `value` is finite and within the bounds.
        public func contains(_ value: Float) -> Bool {
            value.isFinite && (minimumExcluded ? value > minimum : value >= minimum) && value <= (maximum ?? .infinity)
        }

        /// The bounds in words, after an option's name.
        public var requirement: String {
            let low = minimumExcluded ? "greater than \(Self.format(minimum))" : nil
            switch (low, maximum) {
            case (let low?, let max?): return "must be \(low) and at most \(Self.format(max))"
            case (let low?, nil): return "must be a number \(low)"
            case (nil, let max?): return "must be between \(Self.format(minimum)) and \(Self.format(max))"
            case (nil, nil): return "must be a number ≥ \(Self.format(minimum))"
            }
        }

        /// A bound as written: `1`, `0.5`.
        public static func format(_ x: Float) -> String { x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : "\(x)" }
    }

    /// One value of a choice option: the enum case's raw value and a label for people.
    public struct Choice: Sendable, Equatable {
        public let value: String
        public let label: String
    }

    /// A value of an option, of its kind.
    public enum Value: Sendable, Equatable, CustomStringConvertible {
        case integer(Int)
        case unsigned(UInt64)
        case number(Float)
        case flag(Bool)
        /// The raw value of an enum case; nil for an optional choice left unset.
        case choice(String?)

        /// As written on a command line or in `--help`.
        public var description: String {
            switch self {
            case .integer(let v): "\(v)"
            case .unsigned(let v): "\(v)"
            case .number(let v): NumberBounds.format(v)
            case .flag(let v): "\(v)"
            case .choice(let raw): raw ?? "none"
            }
        }
    }
}

/// A training option that cannot be set as asked: the option's name and what is wrong.
public struct TrainingOptionError: Error, Equatable, CustomStringConvertible {
    /// The option's name (`TrainingOption.name`), or `body` for something that names none.
    public let field: String
    /// What is wrong, worded to follow the name ("must be between 1 and 3").
    public let problem: String

    public init(field: String, problem: String) { (self.field, self.problem) = (field, problem) }

    public var description: String { "\(field): \(problem)" }
}

// MARK: - Declaring options

extension TrainingOption {
    /// The modes every option applies to unless it says otherwise.
    static let allModes = ModelMode.allCases

    /// A whole-number option stored at `key`.
    static func integer(
        _ key: WritableKeyPath<TrainingOptions, Int> & Sendable, _ name: String, label: String, in range: ClosedRange<Int>,
        help: String, modes: [ModelMode] = allModes, advanced: Bool = false,
        derivedDefault: (String, @Sendable (TrainingOptions) -> Int)? = nil,
        rule: (@Sendable (TrainingOptions) -> String?)? = nil
    ) -> TrainingOption {
        let derive = derivedDefault.map { _, compute in { @Sendable (o: TrainingOptions) in Value.integer(compute(o)) } }
        return TrainingOption(
            name: name, label: label, help: help, kind: .integer(range), modes: modes, advanced: advanced,
            derivedDefault: derivedDefault?.0, read: { .integer($0[keyPath: key]) },
            write: { if case .integer(let v) = $1 { $0[keyPath: key] = v } }, derive: derive, rule: rule)
    }

    /// A seed-like option stored at `key`: any whole number from 0 to 2^64 − 1.
    static func unsigned(
        _ key: WritableKeyPath<TrainingOptions, UInt64> & Sendable, _ name: String, label: String, help: String,
        modes: [ModelMode] = allModes, advanced: Bool = false
    ) -> TrainingOption {
        TrainingOption(
            name: name, label: label, help: help, kind: .unsigned, modes: modes, advanced: advanced, derivedDefault: nil,
            read: { .unsigned($0[keyPath: key]) }, write: { if case .unsigned(let v) = $1 { $0[keyPath: key] = v } },
            derive: nil, rule: nil)
    }

    /// A number option stored at `key`.
    static func number(
        _ key: WritableKeyPath<TrainingOptions, Float> & Sendable, _ name: String, label: String, in bounds: NumberBounds,
        help: String, modes: [ModelMode] = allModes, advanced: Bool = false
    ) -> TrainingOption {
        TrainingOption(
            name: name, label: label, help: help, kind: .number(bounds), modes: modes, advanced: advanced,
            derivedDefault: nil, read: { .number($0[keyPath: key]) },
            write: { if case .number(let v) = $1 { $0[keyPath: key] = v } }, derive: nil, rule: nil)
    }

    /// An on/off option stored at `key`.
    static func flag(
        _ key: WritableKeyPath<TrainingOptions, Bool> & Sendable, _ name: String, label: String, help: String,
        modes: [ModelMode] = allModes, advanced: Bool = false
    ) -> TrainingOption {
        TrainingOption(
            name: name, label: label, help: help, kind: .flag, modes: modes, advanced: advanced, derivedDefault: nil,
            read: { .flag($0[keyPath: key]) }, write: { if case .flag(let v) = $1 { $0[keyPath: key] = v } },
            derive: nil, rule: nil)
    }

    /// A choice among the cases of `E`, stored at `key`; cases without a label show their raw value.
    static func choice<E: RawRepresentable & CaseIterable & Hashable & Sendable>(
        _ key: WritableKeyPath<TrainingOptions, E> & Sendable, _ name: String, label: String, labels: [E: String] = [:],
        help: String, modes: [ModelMode] = allModes, advanced: Bool = false
    ) -> TrainingOption where E.RawValue == String {
        TrainingOption(
            name: name, label: label, help: help, kind: .choice(choices(E.self, labels), noneMeans: nil), modes: modes,
            advanced: advanced, derivedDefault: nil, read: { .choice($0[keyPath: key].rawValue) },
            write: { if case .choice(let raw?) = $1, let v = E(rawValue: raw) { $0[keyPath: key] = v } },
            derive: nil, rule: nil)
    }

    /// A choice among the cases of `E` that may be left unset (nil at `key`); `noneMeans`
    /// says what unset does.
    static func choice<E: RawRepresentable & CaseIterable & Hashable & Sendable>(
        _ key: WritableKeyPath<TrainingOptions, E?> & Sendable, _ name: String, label: String, labels: [E: String] = [:],
        noneMeans: String, help: String, modes: [ModelMode] = allModes, advanced: Bool = false
    ) -> TrainingOption where E.RawValue == String {
        TrainingOption(
            name: name, label: label, help: help, kind: .choice(choices(E.self, labels), noneMeans: noneMeans), modes: modes,
            advanced: advanced, derivedDefault: nil, read: { .choice($0[keyPath: key]?.rawValue) },
            write: { if case .choice(let raw) = $1 { $0[keyPath: key] = raw.flatMap(E.init(rawValue:)) } },
            derive: nil, rule: nil)
    }

    private static func choices<E: RawRepresentable & CaseIterable & Hashable>(_ type: E.Type, _ labels: [E: String]) -> [Choice]
    where E.RawValue == String {
        E.allCases.map { c in Choice(value: c.rawValue, label: labels[c] ?? c.rawValue) }
    }
}

// MARK: - Options from what someone set

extension TrainingOptions {
    /// The option named `name` (its `TrainingOption.name`, not its flag).
    public static func option(named name: String) -> TrainingOption? { schema.first { $0.name == name } }

    /// The options runs of `modes` use, each limited to those modes, with the `mode` option
    /// offering only them: what a front end that trains some modes only (the dashboard) shows.
    public static func schema(for modes: [ModelMode]) -> [TrainingOption] {
        schema.compactMap { option in
            var option = option
            option.modes = option.modes.filter(modes.contains)
            guard !option.modes.isEmpty else { return nil }
            if option.name == "mode", case .choice(let choices, let none) = option.kind {
                option.kind = .choice(choices.filter { c in modes.contains { $0.rawValue == c.value } }, noneMeans: none)
            }
            return option
        }
    }

    /// The defaults with the `given` values set over them (in the order given); an option not
    /// given whose default follows others (`downs` from `size`) is then derived. Ranges are
    /// not checked here: see `problems`.
    /// - Throws: `TrainingOptionError` for an unknown name, a value of the wrong kind, or an
    ///   option the run's mode does not use (a typo or a forgotten `--mode` is not ignored).
    public init(given: [(name: String, value: TrainingOption.Value)]) throws(TrainingOptionError) {
        self.init()
        var set: Set<String> = []
        for (name, value) in given {
            guard let option = Self.option(named: name) else { throw TrainingOptionError(field: name, problem: "is not a training option") }
            try option.set(value, in: &self)
            set.insert(name)
        }
        for option in Self.schema where !option.modes.contains(mode) && set.contains(option.name) {
            throw TrainingOptionError(field: option.name, problem: "applies to \(Self.modeList(option.modes)) runs only, not \(mode.rawValue)")
        }
        for option in Self.schema where !set.contains(option.name) {
            if let derive = option.derive { option.write(&self, derive(self)) }
        }
    }

    /// Values out of range, as (option name, problem), in the schema's order; then conditions
    /// that involve other options (size a multiple of 2^downs), so a `downs` out of range is
    /// named before the `size` it makes wrong. Empty when `config(dataPath:)` may be called.
    public var problems: [(field: String, problem: String)] {
        let ranges = Self.schema.compactMap { option in option.kind.problem(with: option.read(self)).map { (option.name, $0) } }
        let rules = Self.schema.compactMap { option in
            option.kind.problem(with: option.read(self)) == nil ? option.rule?(self).map { (option.name, $0) } : nil
        }
        return ranges + rules
    }

    /// "lineart and photo".
    static func modeList(_ modes: [ModelMode]) -> String {
        let names = modes.map(\.rawValue)
        guard let last = names.last, names.count > 1 else { return names.joined() }
        return names.dropLast().joined(separator: ", ") + " and " + last
    }
}
