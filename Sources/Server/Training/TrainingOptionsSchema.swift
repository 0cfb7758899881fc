import Pix2Pix

/// `GET /api/train/options-schema`: the options `POST /api/train/start` takes, in order, for
/// the dashboard to build its form from — `TrainingOptions.schema` limited to the modes the
/// dashboard trains. Mirrored in `Public/js/protocol.js` (`parseOptionsSchema`).
struct TrainingOptionsSchema: Encodable, Sendable {
    /// Format of this message.
    static let version = 1

    let version: Int
    let options: [Field]

    /// The schema of the start request for `modes`: the options those modes use, the
    /// `mode` option's choices limited to them.
    init(modes: [ModelMode] = StartTrainingRequest.modes) {
        version = Self.version
        options = TrainingOptions.schema(for: modes).map(Field.init)
    }

    /// One option as the form needs it.
    struct Field: Encodable, Sendable {
        /// The start request's field, also the form control's name.
        let name: String
        /// The matching `tinct train` flag, without dashes.
        let flag: String
        let label: String
        let help: String
        let type: FieldType
        /// Integer and number bounds; absent when unbounded.
        let minimum: Double?
        /// true when `minimum` itself is not allowed (a learning rate above 0).
        let exclusiveMinimum: Bool?
        let maximum: Double?
        /// `[{"value", "label"}]` for a choice.
        let choices: [Choice]?
        /// For a choice that may be left unset: what unset does (then `default` is null).
        let noneMeans: String?
        /// `TrainingOptions()`'s value.
        let `default`: DefaultValue
        /// When the field is left empty the default follows other options: how.
        let derivedDefault: String?
        /// The modes (of those offered) whose runs use it; the form hides it for the others.
        let modes: [ModelMode]
        /// Tuning most runs leave alone (folded away).
        let advanced: Bool

        /// The kinds of options, mirrored by `OptionType` in protocol.js.
        enum FieldType: String, Encodable, Sendable, CaseIterable {
            case integer, number, flag, choice
        }

        struct Choice: Encodable, Sendable {
            let value: String
            let label: String
        }

        init(_ option: TrainingOption) {
            (name, flag, label, help, derivedDefault, advanced) =
                (option.name, option.flag, option.label, option.help, option.derivedDefault, option.advanced)
            modes = option.modes
            self.default = DefaultValue(option.defaultValue)
            var (minimum, exclusive, maximum): (Double?, Bool?, Double?) = (nil, nil, nil)
            var (choices, noneMeans): ([Choice]?, String?) = (nil, nil)
            switch option.kind {
            case .integer(let range):
                type = .integer
                minimum = Double(range.lowerBound)
                maximum = range.upperBound == .max ? nil : Double(range.upperBound)
            case .unsigned:
                (type, minimum) = (.integer, 0)
            case .number(let bounds):
                type = .number
                (minimum, maximum) = (Double(bounds.minimum), bounds.maximum.map(Double.init))
                exclusive = bounds.minimumExcluded ? true : nil
            case .flag:
                type = .flag
            case .choice(let all, let none):
                type = .choice
                choices = all.map { Choice(value: $0.value, label: $0.label) }
                noneMeans = none
            }
            (self.minimum, self.exclusiveMinimum, self.maximum, self.choices, self.noneMeans) =
                (minimum, exclusive, maximum, choices, noneMeans)
        }
    }

    /// A default as its JSON type: a number, a boolean, a string, or null.
    struct DefaultValue: Encodable, Sendable {
        let value: TrainingOption.Value

        init(_ value: TrainingOption.Value) { self.value = value }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch value {
            case .integer(let v): try c.encode(v)
            case .unsigned(let v): try c.encode(v)
            case .number(let v): try c.encode(v)
            case .flag(let v): try c.encode(v)
            case .choice(let raw?): try c.encode(raw)
            case .choice(nil): try c.encodeNil()
            }
        }
    }
}
