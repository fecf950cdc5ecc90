import Foundation
import OporaCore

/// One parameter value of a criterion. Encodes as the plain YAML/JSON value.
public enum RuleValue: Sendable, Hashable, Codable {
    case number(Double)
    case bool(Bool)
    case string(String)
    case strings([String])
    case weights([String: Double])
    case signs([DeficitSign])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([String].self) { self = .strings(a); return }
        if let w = try? c.decode([String: Double].self) { self = .weights(w); return }
        if let s = try? c.decode([DeficitSign].self) { self = .signs(s); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "unsupported parameter value")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let d): try c.encode(d)
        case .bool(let b): try c.encode(b)
        case .string(let s): try c.encode(s)
        case .strings(let a): try c.encode(a)
        case .weights(let w): try c.encode(w)
        case .signs(let s): try c.encode(s)
        }
    }
}

/// One sign of a resource deficit: an indicator compared with a threshold.
public struct DeficitSign: Sendable, Hashable, Codable {
    /// An indicator code, or a derived one: `vacancies_per_teacher` (teacher_vacancies / teachers),
    /// `specialists_missing` (how many of psychologist, speech therapist, social pedagogue are absent).
    public var indicator: String
    /// `at_least` or `at_most`.
    public var op: String
    public var threshold: Double

    public init(_ indicator: String, _ op: String, _ threshold: Double) {
        self.indicator = indicator
        self.op = op
        self.threshold = threshold
    }

    public func holds(_ v: Double) -> Bool { op == "at_most" ? v <= threshold + 1e-12 : v >= threshold - 1e-12 }
}

/// A criterion as the rule set configures it.
public struct RuleCriterion: Sendable, Hashable, Codable {
    public var id: String
    public var enabled: Bool
    public var parameters: [String: RuleValue]

    public init(id: String, enabled: Bool = true, parameters: [String: RuleValue]) {
        self.id = id
        self.enabled = enabled
        self.parameters = parameters
    }

    public func number(_ key: String) -> Double {
        if case .number(let v)? = parameters[key] { return v }
        return RuleSchema.defaultNumber(criterion: id, key)
    }
    public func int(_ key: String) -> Int { Int(number(key).rounded()) }
    public func bool(_ key: String) -> Bool {
        if case .bool(let v)? = parameters[key] { return v }
        if case .bool(let v)? = RuleSchema.parameter(criterion: id, key)?.defaultValue { return v }
        return false
    }
    public func string(_ key: String) -> String {
        if case .string(let v)? = parameters[key] { return v }
        if case .string(let v)? = RuleSchema.parameter(criterion: id, key)?.defaultValue { return v }
        return ""
    }
    public func strings(_ key: String) -> [String] {
        if case .strings(let v)? = parameters[key] { return v }
        if case .strings(let v)? = RuleSchema.parameter(criterion: id, key)?.defaultValue { return v }
        return []
    }
    public func weights(_ key: String) -> [String: Double] {
        if case .weights(let v)? = parameters[key] { return v }
        if case .weights(let v)? = RuleSchema.parameter(criterion: id, key)?.defaultValue { return v }
        return [:]
    }
    public func signs(_ key: String) -> [DeficitSign] {
        if case .signs(let v)? = parameters[key] { return v }
        if case .signs(let v)? = RuleSchema.parameter(criterion: id, key)?.defaultValue { return v }
        return []
    }
}

public struct RuleCategory: Sendable, Hashable, Codable {
    public var id: String
    public var criteria: [RuleCriterion]
    public init(id: String, criteria: [RuleCriterion]) {
        self.id = id
        self.criteria = criteria
    }
}

/// A rule set: which criteria decide each category, with which parameters. Read from YAML or
/// JSON (`RuleSet.parse`), validated against `RuleSchema`; `RuleSet.default` is the documented
/// default set (docs/identification.md, rules/default.yaml).
/// When a supported school leaves the programme: Opora proposes the exit, a coordinator decides.
public struct ExitRule: Sendable, Hashable {
    /// Years in a row (the newest runs of each year) without the category the school was included for.
    public var cleanYears: Int
    /// Also require every programme indicator with a target to have met it.
    public var targetsMet: Bool

    public init(cleanYears: Int = 2, targetsMet: Bool = true) {
        self.cleanYears = cleanYears
        self.targetsMet = targetsMet
    }
}

public struct RuleSet: Sendable, Hashable {
    public var name: String
    public var version: String
    public var description: String
    /// The analysis year; `nil` = the latest year with results.
    public var year: Int?
    /// Groups smaller than this are still judged by the official rule but carry a "small group"
    /// note with the Wilson interval.
    public var reliableN: Int
    /// Confidence level of the Wilson intervals shown with shares.
    public var confidence: Double
    public var categories: [RuleCategory]
    public var exit = ExitRule()
    /// Value-added of every school in a run (`value_added` in the output); `nil` = none.
    public var valueAdded: ValueAddedRule?

    public init(name: String, version: String, description: String = "", year: Int? = nil, reliableN: Int = 10,
                confidence: Double = 0.95, categories: [RuleCategory]) {
        self.name = name
        self.version = version
        self.description = description
        self.year = year
        self.reliableN = reliableN
        self.confidence = confidence
        self.categories = categories
    }

    /// The criterion with this id if it is present and enabled.
    public func criterion(_ id: String) -> RuleCriterion? {
        for c in categories { for k in c.criteria where k.id == id { return k.enabled ? k : nil } }
        return nil
    }

    public func category(of criterion: String) -> String? {
        categories.first { $0.criteria.contains { $0.id == criterion } }?.id
    }

    /// The documented default rule set: every criterion with its default parameters.
    public static let `default`: RuleSet = RuleSet(
        name: "opora-default", version: "1",
        description: "Набор правил Opora по умолчанию / Opora's default rule set (docs/identification.md)",
        year: nil, reliableN: 10, confidence: 0.95,
        categories: RuleSchema.categories.map { cat in
            RuleCategory(id: cat.id, criteria: cat.criteria.map { c in
                RuleCriterion(id: c.id, enabled: true,
                              parameters: Dictionary(uniqueKeysWithValues: c.parameters.map { ($0.key, $0.defaultValue) }))
            })
        })

    /// A stable digest of the rule set (canonical JSON, FNV-1a 64 × 2), so a run can name exactly
    /// the rules it used.
    public var digest: String {
        let text = canonicalJSON()
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325, h2: UInt64 = 0x8422_2325_cbf2_9ce4
        for b in text.utf8 {
            h1 = (h1 ^ UInt64(b)) &* 0x0000_0100_0000_01b3
            h2 = (h2 ^ UInt64(b)) &* 0x0000_0100_0000_01b3
            h2 = h2 ^ (h2 >> 29)
        }
        return String(format: "%016llx%016llx", h1, h2)
    }

    /// The rule set as JSON with sorted keys (the same shape `parse` reads).
    public func canonicalJSON() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try! e.encode(FileForm(self)), as: UTF8.self)
    }

    /// The shape of the file: categories → criteria → parameters as nested mappings.
    struct FileForm: Encodable {
        let rules: RuleSet
        init(_ rules: RuleSet) { self.rules = rules }
        enum K: String, CodingKey { case name, version, description, year, reliable_n, confidence, categories, exit, value_added }
        struct Dyn: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ s: String) { stringValue = s }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: K.self)
            try c.encode(rules.name, forKey: .name)
            try c.encode(rules.version, forKey: .version)
            try c.encode(rules.description, forKey: .description)
            try c.encode(rules.year, forKey: .year)
            try c.encode(rules.reliableN, forKey: .reliable_n)
            try c.encode(rules.confidence, forKey: .confidence)
            var exit = c.nestedContainer(keyedBy: Dyn.self, forKey: .exit)
            try exit.encode(rules.exit.cleanYears, forKey: Dyn("clean_years"))
            try exit.encode(rules.exit.targetsMet, forKey: Dyn("targets_met"))
            // Only when present, so rule sets without it keep their digest.
            if let va = rules.valueAdded {
                var v = c.nestedContainer(keyedBy: Dyn.self, forKey: .value_added)
                try v.encode(va.outcome.description, forKey: Dyn("outcome"))
                try v.encode(va.prior?.description, forKey: Dyn("prior"))
                try v.encode(va.context, forKey: Dyn("context"))
                try v.encode(va.kind.rawValue, forKey: Dyn("model"))
            }
            var cats = c.nestedContainer(keyedBy: Dyn.self, forKey: .categories)
            for cat in rules.categories {
                var crit = cats.nestedContainer(keyedBy: Dyn.self, forKey: Dyn(cat.id))
                for k in cat.criteria {
                    var p = crit.nestedContainer(keyedBy: Dyn.self, forKey: Dyn(k.id))
                    try p.encode(k.enabled, forKey: Dyn("enabled"))
                    for (key, value) in k.parameters { try p.encode(value, forKey: Dyn(key)) }
                }
            }
        }
    }
}
