import Foundation
import OporaCore

/// A small JSON value, for the parts of the output other modules fill (e.g. `value_added`).
public indirect enum OporaJSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([OporaJSONValue])
    case object([String: OporaJSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([OporaJSONValue].self) { self = .array(a); return }
        self = .object(try c.decode([String: OporaJSONValue].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// How strong a statistical sign is (rule-based criteria have none).
public enum SignStrength: String, Sendable, Codable, Hashable {
    case weak, moderate, strong
}

/// One flag: a criterion that holds for a school, with the evidence to check it by hand.
public struct IdentificationFlag: Sendable, Hashable, Codable {
    public var criterion: String
    public var category: String
    public var year: Int
    /// Procedures as "assessment:subject:grade:year" (e.g. "vpr:math:5:2025").
    public var procedures: [String]
    public var value: Double
    public var threshold: Double
    public var n: Int
    public var textRU: String
    public var textEN: String
    /// For statistical signs: strength, effect size, p-value and Benjamini–Hochberg q-value.
    public var strength: SignStrength?
    public var effect: Double?
    public var pValue: Double?
    public var qValue: Double?
    /// A caution shown with the flag (e.g. a small group with its Wilson interval).
    public var noteRU: String?
    public var noteEN: String?

    enum CodingKeys: String, CodingKey {
        case criterion, category, year, procedures, value, threshold, n
        case textRU = "text_ru", textEN = "text_en", strength, effect
        case pValue = "p_value", qValue = "q_value", noteRU = "note_ru", noteEN = "note_en"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(criterion, forKey: .criterion)
        try c.encode(category, forKey: .category)
        try c.encode(year, forKey: .year)
        try c.encode(procedures, forKey: .procedures)
        try c.encode(value, forKey: .value)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(n, forKey: .n)
        try c.encode(textRU, forKey: .textRU)
        try c.encode(textEN, forKey: .textEN)
        try c.encode(strength, forKey: .strength)
        try c.encode(effect, forKey: .effect)
        try c.encode(pValue, forKey: .pValue)
        try c.encode(qValue, forKey: .qValue)
        try c.encodeIfPresent(noteRU, forKey: .noteRU)
        try c.encodeIfPresent(noteEN, forKey: .noteEN)
    }
}

/// A criterion that could not be judged for a school: neither a flag nor a clean bill.
public struct NotEnoughData: Sendable, Hashable, Codable {
    public var criterion: String
    public var category: String
    public var year: Int
    public var n: Int?
    public var reasonRU: String
    public var reasonEN: String

    enum CodingKeys: String, CodingKey {
        case criterion, category, year, n, reasonRU = "reason_ru", reasonEN = "reason_en"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(criterion, forKey: .criterion)
        try c.encode(category, forKey: .category)
        try c.encode(year, forKey: .year)
        try c.encode(n, forKey: .n)
        try c.encode(reasonRU, forKey: .reasonRU)
        try c.encode(reasonEN, forKey: .reasonEN)
    }
}

/// One school's identification: its categories, flags, what could not be judged.
public struct SchoolIdentification: Sendable, Hashable, Codable {
    public var schoolID: String
    public var name: String
    public var municipality: String
    /// Category codes with at least one flag, in the rule set's order.
    public var categories: [String]
    /// Conditions reported with the social category: `rural`, `small`, `remote`.
    public var conditions: [String]
    public var flags: [IdentificationFlag]
    public var notEnoughData: [NotEnoughData]
    /// Filled by the value-added step when requested; `null` otherwise.
    public var valueAdded: OporaJSONValue?

    enum CodingKeys: String, CodingKey {
        case schoolID = "school_id", name, municipality, categories, conditions, flags
        case notEnoughData = "not_enough_data", valueAdded = "value_added"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schoolID, forKey: .schoolID)
        try c.encode(name, forKey: .name)
        try c.encode(municipality, forKey: .municipality)
        try c.encode(categories, forKey: .categories)
        try c.encode(conditions, forKey: .conditions)
        try c.encode(flags, forKey: .flags)
        try c.encode(notEnoughData, forKey: .notEnoughData)
        try c.encode(valueAdded, forKey: .valueAdded)
    }
}

/// What was run: the rule set (name, version, digest), the year, and what the caller adds.
public struct IdentificationRunInfo: Sendable, Hashable, Codable {
    public var rules: String
    public var rulesVersion: String
    public var rulesDigest: String
    public var year: Int
    /// Set by the caller (e.g. the CLI's clock); `nil` keeps the output byte-identical.
    public var created: String?
    /// Digest of the input data when the caller computed one.
    public var dataDigest: String?
    public var schools: Int
    public var schoolsFlagged: Int
    /// Schools flagged per category.
    public var categoryCounts: [String: Int]
    public var criteria: [String]
    public var engine: String

    enum CodingKeys: String, CodingKey {
        case rules, rulesVersion = "rules_version", rulesDigest = "rules_digest", year, created
        case dataDigest = "data_digest", schools, schoolsFlagged = "schools_flagged"
        case categoryCounts = "category_counts", criteria, engine
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rules, forKey: .rules)
        try c.encode(rulesVersion, forKey: .rulesVersion)
        try c.encode(rulesDigest, forKey: .rulesDigest)
        try c.encode(year, forKey: .year)
        try c.encode(created, forKey: .created)
        try c.encode(dataDigest, forKey: .dataDigest)
        try c.encode(schools, forKey: .schools)
        try c.encode(schoolsFlagged, forKey: .schoolsFlagged)
        try c.encode(categoryCounts, forKey: .categoryCounts)
        try c.encode(criteria, forKey: .criteria)
        try c.encode(engine, forKey: .engine)
    }
}

/// The result of `Identification.run`: `{"run": {...}, "schools": [...]}`.
public struct IdentificationResult: Sendable, Hashable, Codable {
    public var run: IdentificationRunInfo
    public var schools: [SchoolIdentification]

    /// Schools with at least one flag of `category`.
    public func schools(in category: String) -> Set<String> {
        Set(schools.filter { $0.categories.contains(category) }.map(\.schoolID))
    }

    /// Schools with a flag of `criterion`.
    public func schools(flaggedBy criterion: String) -> Set<String> {
        Set(schools.filter { $0.flags.contains { $0.criterion == criterion } }.map(\.schoolID))
    }
}

extension SignStrength {
    public var name: LocalizedText {
        switch self {
        case .strong: LocalizedText(ru: "сильный", en: "strong")
        case .moderate: LocalizedText(ru: "умеренный", en: "moderate")
        case .weak: LocalizedText(ru: "слабый", en: "weak")
        }
    }
}
