import Foundation
import OporaCore

/// The schema of rule sets: every category, criterion and parameter Opora knows, with types,
/// accepted ranges and defaults. Validation, the built-in default set and the documentation all
/// come from this one table, built from `IdentificationCriterion.all` (each criterion's parameters
/// are declared in its own file under `Criteria/`); the shared parameters are here.
public enum RuleSchema {
    public enum Kind: String, Sendable {
        case number, integer, share, bool, string, strings, weights, signs
    }

    public struct Parameter: Sendable {
        public let key: String
        public let kind: Kind
        public let defaultValue: RuleValue
        public let range: ClosedRange<Double>?
        /// Allowed values of a `string` parameter or of the elements of a `strings` parameter.
        public let allowed: [String]?
        public let about: LocalizedText
    }

    public struct Criterion: Sendable {
        public let id: String
        public let parameters: [Parameter]
    }

    public struct Category: Sendable {
        public let id: String
        public let criteria: [Criterion]
    }

    static func num(_ key: String, _ value: Double, _ range: ClosedRange<Double>, ru: String, en: String) -> Parameter {
        Parameter(key: key, kind: .number, defaultValue: .number(value), range: range, allowed: nil, about: .init(ru: ru, en: en))
    }
    static func int(_ key: String, _ value: Int, _ range: ClosedRange<Double>, ru: String, en: String) -> Parameter {
        Parameter(key: key, kind: .integer, defaultValue: .number(Double(value)), range: range, allowed: nil, about: .init(ru: ru, en: en))
    }
    static func share(_ key: String, _ value: Double, ru: String, en: String, range: ClosedRange<Double> = 0...1) -> Parameter {
        Parameter(key: key, kind: .share, defaultValue: .number(value), range: range, allowed: nil, about: .init(ru: ru, en: en))
    }
    static func flag(_ key: String, _ value: Bool, ru: String, en: String) -> Parameter {
        Parameter(key: key, kind: .bool, defaultValue: .bool(value), range: nil, allowed: nil, about: .init(ru: ru, en: en))
    }
    static func text(_ key: String, _ value: String, _ allowed: [String], ru: String, en: String) -> Parameter {
        Parameter(key: key, kind: .string, defaultValue: .string(value), range: nil, allowed: allowed, about: .init(ru: ru, en: en))
    }
    static func list(_ key: String, _ value: [String], _ allowed: [String]?, ru: String, en: String) -> Parameter {
        Parameter(key: key, kind: .strings, defaultValue: .strings(value), range: nil, allowed: allowed, about: .init(ru: ru, en: en))
    }

    static let q = share("fdr_q", 0.05, ru: "Доля ложных тревог (FDR, Бенджамини–Хохберг) среди всех школ",
                         en: "False discovery rate (Benjamini–Hochberg) across all schools", range: 0.0001...0.5)
    static func minN(_ v: Int) -> Parameter {
        int("min_participants", v, 1...100_000, ru: "Минимум участников, иначе «недостаточно данных»",
            en: "Minimum participants, else \"not enough data\"")
    }
    static let vprOnly = list("assessments", ["vpr"], nil, ru: "Процедуры", en: "Assessments")
    /// The second way to a flag of `journal_mismatch` and `score_heaping` (`CellFactorEvidence`).
    static let bayesFactor = num("bayes_factor", 10, 0...1e12, ru: "Порог байесова фактора по процедурам (0 — не применять)",
                                 en: "Threshold of the cell-by-cell Bayes factor (0: not used)")
    static let bayesYears = int("years", 3, 1...10, ru: "Лет для байесова фактора (год анализа и предыдущие)",
                                en: "Years for the Bayes factor (the analysis year and those before)")
    static let markAssessments = list("assessments", ["vpr", "oge"], nil,
                                      ru: "Оценочные процедуры с отметками", en: "Assessments with marks")

    public static let wellbeingComponents = [
        "parents_higher_education_share", "single_parent_share", "unemployed_parents_share", "low_income_share",
        "register_share", "disability_share", "non_native_share",
    ]

    /// The categories and their criteria, in their fixed order, from the criteria's own files.
    public static let categories: [Category] = IdentificationCriterion.categoryOrder.map { category in
        Category(id: category, criteria: IdentificationCriterion.all.filter { $0.category == category }
            .map { Criterion(id: $0.id, parameters: $0.parameters) })
    }

    public static let criterionIDs: [String] = categories.flatMap { $0.criteria.map(\.id) }

    public static func schemaCriterion(_ id: String) -> Criterion? {
        for c in categories { if let k = c.criteria.first(where: { $0.id == id }) { return k } }
        return nil
    }

    public static func parameter(criterion: String, _ key: String) -> Parameter? {
        schemaCriterion(criterion)?.parameters.first { $0.key == key }
    }

    static func defaultNumber(criterion: String, _ key: String) -> Double {
        if case .number(let v)? = parameter(criterion: criterion, key)?.defaultValue { return v }
        return .nan
    }

    /// The families of signs `combined_signs` combines: signs one practice moves together — marks
    /// raised after the fact, and help during the test.
    public static let signFamilies = [["journal_mismatch", "score_heaping"], ["task_pattern", "not_confirmed_by_exam"]]

    /// Derived staff indicators accepted in `signs` besides the catalogue's codes.
    public static let derivedIndicators = ["vacancies_per_teacher", "specialists_missing"]
}
