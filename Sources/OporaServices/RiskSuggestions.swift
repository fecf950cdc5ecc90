import Foundation
import OporaAnalysis
import OporaCore

/// Risk levels the data already knows, so a school confirms or corrects them instead of filling
/// them in. The rules are the `data_hint`s of catalogue/risk_factors.yaml (the region's to edit);
/// the figures are the school's context indicators of its latest year and two shares computed
/// from its latest results. Factors the data cannot see (motivation, parents) get no suggestion.
public enum RiskSuggestions {
    public struct Suggestion: Sendable, Equatable {
        public var level: RiskLevel
        /// Which figures decided the level, with the school's values and the thresholds.
        public var reason: LocalizedText
        /// Why those thresholds (from the catalogue).
        public var justification: LocalizedText
    }

    /// Figures computed from results rather than read from indicators.
    public static let derivedCodes: [String: LocalizedText] = [
        "fail_share": LocalizedText(ru: "Доля «2» в процедурах последнего года", en: "Share of «2» in the latest year's procedures"),
        "journal_lowered_share": LocalizedText(ru: "Доля участников ВПР с отметкой ниже журнальной («понизили»)",
                                               en: "Share of ВПР participants marked below their journal mark ('lowered')"),
    ]
    /// Fewer participants than this make a share too noisy to suggest anything.
    static let minimumParticipants = 10

    public static func suggest(schoolID: String, snapshot: AnalysisSnapshot,
                               catalogue: RiskFactorCatalogue = .standard) -> [RiskFactor: Suggestion] {
        let figures = self.figures(schoolID: schoolID, snapshot: snapshot)
        var out: [RiskFactor: Suggestion] = [:]
        for factor in catalogue.factors {
            guard let hint = factor.hint, let outcome = hint.evaluate({ figures[$0] }) else { continue }
            out[factor.factor] = Suggestion(level: outcome.level, reason: reason(outcome, figures), justification: hint.justification)
        }
        return out
    }

    /// The school's figures by code: its latest year's indicators and the derived shares.
    static func figures(schoolID: String, snapshot: AnalysisSnapshot) -> [String: Double] {
        let indicators = snapshot.indicatorsBySchool[schoolID] ?? []
        var out: [String: Double] = [:]
        if let year = indicators.map(\.year).max() {
            for i in indicators where i.year == year { out[i.indicator] = i.value }
        }
        if let f = snapshot.latestFails[schoolID], f.marked >= minimumParticipants {
            out["fail_share"] = Double(f.fails) / Double(f.marked)
        }
        if let j = snapshot.latestLowered[schoolID], j.compared >= minimumParticipants {
            out["journal_lowered_share"] = Double(j.lowered) / Double(j.compared)
        }
        return out
    }

    static func reason(_ outcome: RiskHint.Outcome, _ figures: [String: Double]) -> LocalizedText {
        func text(_ l: Language) -> String {
            let parts = outcome.evidence.map { describe($0, figures, l) }.joined(separator: "; ")
            switch (outcome.level, l) {
            case (.low, .ru): return "Условия среднего и высокого уровня не выполнены: " + parts + "."
            case (.low, .en): return "No condition of a medium or high level holds: " + parts + "."
            case (_, .ru): return "Признаки: " + parts + "."
            case (_, .en): return "Signs: " + parts + "."
            }
        }
        return LocalizedText(ru: text(.ru), en: text(.en))
    }

    /// «Доля педагогов пенсионного возраста — 40,0% (порог ≥ 35,0%)».
    static func describe(_ c: RiskHint.Comparison, _ figures: [String: Double], _ l: Language) -> String {
        let definition = IndicatorCatalogue.definition(of: c.code)
        var name = definition.map { l == .ru ? $0.nameRU : $0.nameEN } ?? derivedCodes[c.code].map { l.pick($0) } ?? c.code
        let isShare = c.divisor != nil || definition?.unit == .share || derivedCodes[c.code] != nil
        if let d = c.divisor {
            let other = IndicatorCatalogue.definition(of: d).map { l == .ru ? $0.nameRU : $0.nameEN } ?? d
            name = l == .ru ? "\(name) к показателю «\(other)»" : "\(name) relative to '\(other)'"
        }
        guard let value = c.figure({ figures[$0] }) else { return name }
        if definition?.unit == .flag {
            let yes = value >= 0.5
            return "\(name): " + (l == .ru ? (yes ? "да" : "нет") : (yes ? "yes" : "no"))
        }
        func format(_ x: Double) -> String {
            isShare ? Wording.percent(x, l) : NumberFormat.decimal(x, digits: x == x.rounded() ? 0 : 1, l)
        }
        let symbol = ["<": "<", "<=": "≤", ">": ">", ">=": "≥", "==": "="][c.op.rawValue]!
        return "\(name) — \(format(value)) (" + (l == .ru ? "порог" : "threshold") + " \(symbol) \(format(c.threshold)))"
    }
}
