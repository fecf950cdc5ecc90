import Foundation
import OporaCore
import OporaStats

extension ContextCriteria {
    /// The catalogue codes a sign's indicator is read from (itself, or those of a derived one).
    static let derivedFrom: [String: [String]] = [
        "vacancies_per_teacher": ["teacher_vacancies", "teachers"],
        "specialists_missing": ["has_psychologist", "has_speech_therapist", "has_social_pedagogue"],
    ]

    /// The value of a sign's indicator for every school (in `data.schools` order): a catalogue code,
    /// or a derived one; `column` gives a catalogue code's values.
    static func signValues(_ code: String, _ ctx: IdentificationContext, column: (String) -> [Double?]) -> [Double?] {
        switch code {
        case "vacancies_per_teacher":
            let columns = derivedFrom[code]!.map(column) // vacancies, teachers
            return zip(columns[0], columns[1]).map { v, t in
                guard let v, let t, t > 0 else { return nil }
                return v / t
            }
        case "specialists_missing":
            let columns = derivedFrom[code]!.map(column)
            return ctx.data.schools.indices.map { i in
                let flags = columns.compactMap { $0[i] }
                guard !flags.isEmpty else { return nil }
                return Double(flags.filter { $0 < 0.5 }.count)
            }
        default:
            return column(code)
        }
    }

    static func deficit(_ c: RuleCriterion, category: String, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let signs = c.signs("signs"), minSigns = c.int("min_signs"), minKnown = c.int("min_known")
        let lookback = c.int("lookback_years")
        let isStaff = c.id == "staff_deficit"
        // Every code the signs read, in one pass over the indicator values.
        var codes: [String] = []
        for sign in signs { codes += derivedFrom[sign.indicator] ?? [sign.indicator] }
        let columns = ctx.data.indicatorColumns(codes, year: ctx.year, lookback: lookback)
        let byCode = Dictionary(zip(codes, columns.map { $0.map { $0?.value } }), uniquingKeysWith: { a, _ in a })
        let values = signs.map { signValues($0.indicator, ctx) { byCode[$0]! } }
        for (i, school) in ctx.data.schools.map(\.id).enumerated() {
            var known = 0
            var met: [(DeficitSign, Double)] = []
            for (k, sign) in signs.enumerated() {
                guard let v = values[k][i] else { continue }
                known += 1
                if sign.holds(v) { met.append((sign, v)) }
            }
            if met.count >= minSigns {
                func item(_ m: (DeficitSign, Double), _ l: Language) -> String {
                    let op = m.0.op == "at_most" ? "≤" : "≥"
                    return "\(Wording.indicatorName(m.0.indicator, l)) \(Wording.indicatorValue(m.0.indicator, m.1, l)) (\(op) \(Wording.indicatorValue(m.0.indicator, m.0.threshold, l)))"
                }
                let ru = "В \(ctx.year) г. выполнено \(met.count) из \(signs.count) признаков дефицита \(isStaff ? "кадров" : "материальных ресурсов") (нужно \(minSigns)): "
                    + met.map { item($0, .ru) }.joined(separator: "; ") + "."
                let en = "In \(ctx.year), \(met.count) of \(signs.count) signs of a \(isStaff ? "staff" : "material") deficit hold (\(minSigns) needed): "
                    + met.map { item($0, .en) }.joined(separator: "; ") + "."
                out.flag(school, IdentificationFlag(criterion: c.id, category: category, year: ctx.year, procedures: [],
                                                    value: Double(met.count), threshold: Double(minSigns), n: known, textRU: ru, textEN: en))
            } else if known < minKnown {
                out.notEnough(school, c.id, category, ctx.year, n: known,
                              ru: "Известно \(known) из \(signs.count) показателей за \(ctx.year) г., нужно не меньше \(minKnown).",
                              en: "\(known) of \(signs.count) indicators are known for \(ctx.year); at least \(minKnown) are needed.")
            }
        }
    }
}

extension IdentificationCriterion {
    static let staffDeficit = IdentificationCriterion(
        id: "staff_deficit", category: "resource_deficit", title: LocalizedText(ru: "кадровый дефицит", en: "staff deficit"), isSign: false,
        parameters: [
            RuleSchema.Parameter(key: "signs", kind: .signs, defaultValue: .signs([
                DeficitSign("vacancies_per_teacher", "at_least", 0.05),
                DeficitSign("teachers_without_qualification_share", "at_least", 0.20),
                DeficitSign("teachers_retirement_age_share", "at_least", 0.35),
                DeficitSign("pd_coverage_share", "at_most", 0.65),
                DeficitSign("pupils_per_teacher", "at_least", 20),
                DeficitSign("specialists_missing", "at_least", 3),
            ]), range: nil, allowed: nil, about: .init(ru: "Признаки дефицита и пороги", en: "Deficit signs and thresholds")),
            RuleSchema.int("min_signs", 4, 1...20, ru: "Сколько признаков нужно", en: "How many signs are needed"),
            RuleSchema.int("min_known", 4, 1...20, ru: "Минимум известных показателей", en: "Minimum known indicators"),
            RuleSchema.int("lookback_years", 1, 0...5, ru: "Брать значение прошлых лет, если нет текущего",
                en: "Use an earlier year's value when the current one is missing"),
        ],
        run: { ContextCriteria.deficit($0, category: "resource_deficit", $1, &$2) })
}

extension IdentificationCriterion {
    static let materialDeficit = IdentificationCriterion(
        id: "material_deficit", category: "resource_deficit", title: LocalizedText(ru: "материальный дефицит", en: "material deficit"), isSign: false,
        parameters: [
            RuleSchema.Parameter(key: "signs", kind: .signs, defaultValue: .signs([
                DeficitSign("computers_per_100_students", "at_most", 6),
                DeficitSign("internet_mbps", "at_most", 10),
                DeficitSign("equipment_share", "at_most", 0.45),
            ]), range: nil, allowed: nil, about: .init(ru: "Признаки дефицита и пороги", en: "Deficit signs and thresholds")),
            RuleSchema.int("min_signs", 3, 1...20, ru: "Сколько признаков нужно", en: "How many signs are needed"),
            RuleSchema.int("min_known", 3, 1...20, ru: "Минимум известных показателей", en: "Minimum known indicators"),
            RuleSchema.int("lookback_years", 1, 0...5, ru: "Брать значение прошлых лет, если нет текущего",
                en: "Use an earlier year's value when the current one is missing"),
        ],
        run: { ContextCriteria.deficit($0, category: "resource_deficit", $1, &$2) })
}
