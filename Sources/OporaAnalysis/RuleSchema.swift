import Foundation
import OporaCore

/// The schema of rule sets: every category, criterion and parameter Opora knows, with types,
/// accepted ranges and defaults. Validation, the built-in default set and the documentation all
/// come from this one table.
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

    public static let categories: [Category] = [
        Category(id: "low_results", criteria: [
            Criterion(id: "official_fail_share", parameters: [
                share("threshold", 0.30, ru: "Порог доли «2» в процедуре", en: "Threshold share of «2» in a procedure"),
                int("min_procedures", 2, 1...100, ru: "Сколько процедур одного года", en: "How many procedures in one year"),
                flag("consecutive_years", true, ru: "Или та же процедура в анализируемом и предыдущем году",
                     en: "Or the same procedure in the analysis year and the year before"),
                minN(1),
                markAssessments,
            ]),
            Criterion(id: "stably_low", parameters: [
                share("bottom_share", 0.10, ru: "Нижняя доля школ региона", en: "Bottom share of the region's schools", range: 0.001...0.5),
                int("years", 3, 1...10, ru: "Окно лет", en: "Window of years"),
                int("min_years", 2, 1...10, ru: "Сколько лет в нижней доле", en: "Years in the bottom share"),
                text("measure", "mean_mark", ["mean_mark", "share_2", "ege_fails"],
                     ru: "Показатель: средняя отметка, доля «2» или несдача ЕГЭ по русскому языку и математике (вариант ВШЭ)",
                     en: "Measure: mean mark, share of «2», or ЕГЭ failed in both Russian and mathematics (HSE variant)"),
                int("ege_min_russian", 24, 0...100, ru: "Минимальный балл ЕГЭ по русскому языку (для ege_fails)",
                    en: "ЕГЭ minimum score in Russian (for ege_fails)"),
                int("ege_min_math", 27, 0...100, ru: "Минимальный балл ЕГЭ по математике (для ege_fails)",
                    en: "ЕГЭ minimum score in mathematics (for ege_fails)"),
                minN(10),
                markAssessments,
            ]),
        ]),
        Category(id: "social_risk", criteria: [
            Criterion(id: "wellbeing_index", parameters: [
                Parameter(key: "weights", kind: .weights,
                          defaultValue: .weights(Dictionary(uniqueKeysWithValues: wellbeingComponents.map { ($0, 1.0) })),
                          range: 0...100, allowed: wellbeingComponents,
                          about: .init(ru: "Веса компонентов ИСБ (равные по умолчанию)", en: "Weights of the ИСБ components (equal by default)")),
                share("bottom_share", 0.10, ru: "Нижняя доля школ по ИСБ", en: "Bottom share of schools by the ИСБ", range: 0.001...0.5),
                text("transform", "logit", ["logit", "none"], ru: "Шкала долей перед стандартизацией: логит или как есть",
                     en: "Scale of the shares before standardising: logit or as they are"),
                text("compare_within", "settlement", ["settlement", "region"],
                     ru: "Стандартизовать среди школ того же типа поселения (город/село) или всего региона",
                     en: "Standardise among schools of the same settlement type (urban/rural) or of the whole region"),
                int("min_components", 4, 1...7, ru: "Минимум известных компонентов", en: "Minimum known components"),
                int("lookback_years", 1, 0...5, ru: "Брать значение прошлых лет, если нет текущего",
                    en: "Use an earlier year's value when the current one is missing"),
                int("small_students", 100, 0...100_000, ru: "Малокомплектная: учащихся меньше", en: "Small: fewer students than"),
                num("remote_km", 50, 0...10_000, ru: "Удалённая: км до центра не меньше", en: "Remote: km to the centre at least"),
            ]),
        ]),
        Category(id: "resource_deficit", criteria: [
            Criterion(id: "staff_deficit", parameters: [
                Parameter(key: "signs", kind: .signs, defaultValue: .signs([
                    DeficitSign("vacancies_per_teacher", "at_least", 0.05),
                    DeficitSign("teachers_without_qualification_share", "at_least", 0.20),
                    DeficitSign("teachers_retirement_age_share", "at_least", 0.35),
                    DeficitSign("pd_coverage_share", "at_most", 0.65),
                    DeficitSign("pupils_per_teacher", "at_least", 20),
                    DeficitSign("specialists_missing", "at_least", 3),
                ]), range: nil, allowed: nil, about: .init(ru: "Признаки дефицита и пороги", en: "Deficit signs and thresholds")),
                int("min_signs", 4, 1...20, ru: "Сколько признаков нужно", en: "How many signs are needed"),
                int("min_known", 4, 1...20, ru: "Минимум известных показателей", en: "Minimum known indicators"),
                int("lookback_years", 1, 0...5, ru: "Брать значение прошлых лет, если нет текущего",
                    en: "Use an earlier year's value when the current one is missing"),
            ]),
            Criterion(id: "material_deficit", parameters: [
                Parameter(key: "signs", kind: .signs, defaultValue: .signs([
                    DeficitSign("computers_per_100_students", "at_most", 6),
                    DeficitSign("internet_mbps", "at_most", 10),
                    DeficitSign("equipment_share", "at_most", 0.45),
                ]), range: nil, allowed: nil, about: .init(ru: "Признаки дефицита и пороги", en: "Deficit signs and thresholds")),
                int("min_signs", 3, 1...20, ru: "Сколько признаков нужно", en: "How many signs are needed"),
                int("min_known", 3, 1...20, ru: "Минимум известных показателей", en: "Minimum known indicators"),
                int("lookback_years", 1, 0...5, ru: "Брать значение прошлых лет, если нет текущего",
                    en: "Use an earlier year's value when the current one is missing"),
            ]),
        ]),
        Category(id: "non_objective", criteria: [
            Criterion(id: "journal_mismatch", parameters: [
                q,
                share("min_effect", 0.15, ru: "Минимальная оценка доли «понизивших», поднятых до журнальной отметки",
                      en: "Minimum estimated share of the \"lowered\" raised to their journal mark"),
                minN(15), vprOnly,
                bayesFactor, bayesYears,
            ]),
            Criterion(id: "not_confirmed_by_exam", parameters: [
                q,
                num("min_effect", 0.5, 0...10, ru: "Минимальный разрыв: ОГЭ/ЕГЭ ниже ожидаемого по ВПР, в SD средних баллов школ",
                    en: "Minimum gap: ОГЭ/ЕГЭ below what the ВПР predicts, in SDs of the schools' mean scores"),
                minN(10),
                list("except_kinds", ["lyceum", "gymnasium"], SchoolKind.allCases.map(\.rawValue),
                     ru: "Виды школ-исключений", en: "Kinds of schools excepted"),
            ]),
            Criterion(id: "task_pattern", parameters: [
                q,
                num("min_effect", 0.25, 0...10, ru: "Минимальное превышение по сложным заданиям (логиты)",
                    en: "Minimum excess on hard tasks (logits)"),
                minN(15), vprOnly,
            ]),
            Criterion(id: "score_heaping", parameters: [
                q,
                num("min_effect", 0.15, 0...100, ru: "Минимальный относительный избыток баллов на границе отметки",
                    en: "Minimum relative excess of scores at a mark boundary"),
                minN(15), vprOnly,
                bayesFactor, bayesYears,
            ]),
            Criterion(id: "vanishing_jump", parameters: [
                q,
                num("min_effect", 1.0, 0...10, ru: "Минимальный скачок, в SD между школами", en: "Minimum jump, in between-school SDs"),
                minN(15), vprOnly,
            ]),
            Criterion(id: "combined_signs", parameters: [
                q,
                text("method", "fisher", ["fisher", "stouffer"], ru: "Как объединять p-значения признаков школы",
                     en: "How a school's p-values of the signs are combined"),
                int("years", 3, 1...10, ru: "Окно лет: год анализа и предшествующие, признаки которых объединяются",
                    en: "Window of years: the analysis year and those before it whose signs are combined"),
                int("min_signs", 1, 1...5, ru: "Сколько признаков семейства должны указывать в одну сторону в год анализа (p ≤ lean_p)",
                    en: "How many signs of the family must lean the same way in the analysis year (p ≤ lean_p)"),
                share("lean_p", 0.10, ru: "Признак «указывает в сторону необъективности» при p не больше",
                      en: "A sign leans towards non-objectivity at p at most"),
                num("min_effect", 1.0, 0...10, ru: "Хотя бы один признак с эффектом не меньше этой доли своего min_effect",
                    en: "At least one sign with an effect of at least this fraction of its own min_effect"),
            ]),
        ]),
    ]

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
