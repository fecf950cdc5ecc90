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
}

extension IdentificationCriterion {
    static let wellbeingIndex = IdentificationCriterion(
        id: "wellbeing_index", category: "social_risk", title: LocalizedText(ru: "индекс социального благополучия", en: "social well-being index"), isSign: false,
        parameters: [
            RuleSchema.Parameter(key: "weights", kind: .weights,
                      defaultValue: .weights(Dictionary(uniqueKeysWithValues: RuleSchema.wellbeingComponents.map { ($0, 1.0) })),
                      range: 0...100, allowed: RuleSchema.wellbeingComponents,
                      about: .init(ru: "Веса компонентов ИСБ (равные по умолчанию)", en: "Weights of the ИСБ components (equal by default)")),
            RuleSchema.share("bottom_share", 0.10, ru: "Нижняя доля школ по ИСБ", en: "Bottom RuleSchema.share of schools by the ИСБ", range: 0.001...0.5),
            RuleSchema.text("transform", "logit", ["logit", "none"], ru: "Шкала долей перед стандартизацией: логит или как есть",
                 en: "Scale of the shares before standardising: logit or as they are"),
            RuleSchema.text("compare_within", "settlement", ["settlement", "region"],
                 ru: "Стандартизовать среди школ того же типа поселения (город/село) или всего региона",
                 en: "Standardise among schools of the same settlement type (urban/rural) or of the whole region"),
            RuleSchema.int("min_components", 4, 1...7, ru: "Минимум известных компонентов", en: "Minimum known components"),
            RuleSchema.int("lookback_years", 1, 0...5, ru: "Брать значение прошлых лет, если нет текущего",
                en: "Use an earlier year's value when the current one is missing"),
            RuleSchema.int("small_students", 100, 0...100_000, ru: "Малокомплектная: учащихся меньше", en: "Small: fewer students than"),
            RuleSchema.num("remote_km", 50, 0...10_000, ru: "Удалённая: км до центра не меньше", en: "Remote: km to the centre at least"),
        ],
        run: ContextCriteria.wellbeing)
}
