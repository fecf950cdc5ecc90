import Foundation
import OporaCore
import OporaStats

/// `wellbeing_index` (social_risk), `staff_deficit` and `material_deficit` (resource_deficit).
enum ContextCriteria {
    /// The school social well-being index (ИСБ): each component standardised across the region's
    /// schools (z-scores of the present values), signed so that higher = better-off, weighted and
    /// averaged over the components the school reports. Missing components are left out of the
    /// school's average (never read as zero); fewer than `min_components` = not enough data.
    public static func wellbeingScores(_ c: RuleCriterion, data: AnalysisData, year: Int)
        -> [(school: String, index: Double?, used: Int, values: [String: Double])] {
        let weights = c.weights("weights"), lookback = c.int("lookback_years")
        let components = RuleSchema.wellbeingComponents.filter { (weights[$0] ?? 0) > 0 }
        let ids = data.schools.map(\.id)
        // Peer groups the components are standardised within: the whole region, or urban and rural
        // schools separately (rurality is reported as a condition of its own, not counted twice).
        let groups: [[Int]]
        if c.string("compare_within") == "settlement" {
            let bySettlement = Dictionary(grouping: ids.indices) { data.schools[$0].settlement.rawValue }
            groups = bySettlement.keys.sorted().map { bySettlement[$0]! }
        } else {
            groups = [Array(ids.indices)]
        }
        let logit = c.string("transform") == "logit"
        var z: [String: [Double?]] = [:]
        var raw: [String: [Double?]] = [:]
        let columns = data.indicatorColumns(components, year: year, lookback: lookback)
        for (k, code) in components.enumerated() {
            let values = columns[k].map { $0?.value }
            raw[code] = values
            let sign = IndicatorCatalogue.definition(of: code)?.direction == .lowerIsBetter ? -1.0 : 1.0
            // Shares on the logit scale (clamped to 0.5%–99.5%): a rise from 2% to 6% counts like one
            // from 20% to 43%, and a few extreme shares do not dominate the standardisation.
            let scaled = values.map { v in v.map { logit ? SignStats.logit($0) : $0 } }
            var zs = [Double?](repeating: nil, count: ids.count)
            for g in groups {
                guard let gz = Descriptive.standardize(g.map { scaled[$0] }) else { continue }
                for (k, i) in g.enumerated() { zs[i] = gz[k].map { sign * $0 } }
            }
            z[code] = zs
        }
        return ids.enumerated().map { i, id in
            var sum = 0.0, w = 0.0, used = 0
            var values: [String: Double] = [:]
            for code in components {
                if let v = raw[code]![i] { values[code] = v }
                guard let zi = z[code]![i] else { continue }
                sum += weights[code]! * zi
                w += weights[code]!
                used += 1
            }
            return (id, used >= c.int("min_components") && w > 0 ? sum / w : nil, used, values)
        }
    }

    static func wellbeing(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let scores = wellbeingScores(c, data: ctx.data, year: ctx.year)
        let weights = c.weights("weights")
        let components = RuleSchema.wellbeingComponents.filter { (weights[$0] ?? 0) > 0 }
        let ranked = scores.compactMap { s in s.index.map { (s.school, $0) } }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        let k = Int((c.number("bottom_share") * Double(ranked.count)).rounded(.up))
        let cutoff = k > 0 && !ranked.isEmpty ? ranked[min(k, ranked.count) - 1].1 : -Double.infinity
        let bottom = Set(ranked.prefix(k).map(\.0))
        let pct = Wording.percent(c.number("bottom_share"), .ru, digits: 0), pctEN = Wording.percent(c.number("bottom_share"), .en, digits: 0)
        for s in scores {
            guard let index = s.index else {
                out.notEnough(s.school, c.id, "social_risk", ctx.year, n: s.used,
                              ru: "Известно \(s.used) из \(components.count) компонентов ИСБ за \(ctx.year) г., нужно не меньше \(c.int("min_components")).",
                              en: "\(s.used) of \(components.count) ИСБ components are known for \(ctx.year); at least \(c.int("min_components")) are needed.")
                continue
            }
            guard bottom.contains(s.school) else { continue }
            let rank = ranked.firstIndex { $0.0 == s.school }! + 1
            // The three components that pull the index down most, with their values.
            let worst = components.compactMap { code -> (String, Double)? in s.values[code].map { (code, $0) } }
                .prefix(components.count)
            let listRU = worst.map { "\(Wording.indicatorName($0.0, .ru)) — \(Wording.indicatorValue($0.0, $0.1, .ru))" }
            let listEN = worst.map { "\(Wording.indicatorName($0.0, .en)) — \(Wording.indicatorValue($0.0, $0.1, .en))" }
            let conditions = ctx.data.school(s.school).map { ctx.conditions($0) } ?? []
            let condRU = conditions.map { ["rural": "сельская", "small": "малокомплектная", "remote": "удалённая"][$0]! }
            let condEN = conditions
            let ru = "ИСБ школы в \(ctx.year) г. — \(Wording.number(index, .ru)) (среднее стандартизованных компонентов, известно \(s.used) из \(components.count)); "
                + "место \(rank) из \(ranked.count) снизу, в нижних \(pct) (порог \(Wording.number(cutoff, .ru))). "
                + "Значения: \(listRU.joined(separator: "; "))."
                + (condRU.isEmpty ? "" : " Условия: \(condRU.joined(separator: ", ")).")
            let en = "The school's ИСБ (social well-being index) in \(ctx.year) is \(Wording.number(index, .en)) (mean of standardised components, \(s.used) of \(components.count) known); "
                + "rank \(rank) of \(ranked.count) from the bottom, in the bottom \(pctEN) (cut-off \(Wording.number(cutoff, .en))). "
                + "Values: \(listEN.joined(separator: "; "))."
                + (condEN.isEmpty ? "" : " Conditions: \(condEN.joined(separator: ", ")).")
            out.flag(s.school, IdentificationFlag(criterion: c.id, category: "social_risk", year: ctx.year, procedures: [],
                                                  value: rounded6(index), threshold: rounded6(cutoff), n: s.used, textRU: ru, textEN: en))
        }
    }

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
