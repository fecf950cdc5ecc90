import Foundation
import OporaAnalysis
import OporaCore
import OporaStore

/// The exit criteria of the rule set applied to the supported schools of a territory: a school in
/// the programme that has not been in the category it was included for in the newest runs of the
/// last `clean_years` years, and (when asked) has met every target of its programmes, is proposed
/// for exit. Opora only proposes; a coordinator confirms on the registry page. Each proposal keeps
/// its reasons in the registry history.
public enum ExitReview {
    public struct Finding: Sendable {
        public var schoolID: String
        public var proposed: Bool
        public var reasons: [LocalizedText]
    }

    public static let actor = Actor(userID: nil, login: "opora")

    public static func review(store: ScopedStore, runs: [(record: IdentificationRunRecord, result: IdentificationResult)], rule: ExitRule,
                              snapshot: AnalysisSnapshot, apply: Bool) async throws -> [Finding] {
        let byYear = runs.sorted { $0.record.year > $1.record.year }
        let registry = try await store.registry()
        var out: [Finding] = []
        for entry in registry where entry.status == .inProgramme {
            var reasons: [LocalizedText] = []
            var ok = true
            let recent = Array(byYear.prefix(rule.cleanYears))
            if recent.count < rule.cleanYears {
                ok = false
                reasons.append(LocalizedText(ru: "запусков выявления меньше, чем \(rule.cleanYears) года подряд", en: "fewer than \(rule.cleanYears) years of identification runs"))
            }
            for run in recent {
                let flagged = run.result.schools.first { $0.schoolID == entry.schoolID }?.categories.contains(entry.category.rawValue) ?? false
                if flagged {
                    ok = false
                    reasons.append(LocalizedText(ru: "в \(run.record.year) г. (запуск №\(run.record.id)) школа снова в категории", en: "in \(run.record.year) (run #\(run.record.id)) the school is in the category again"))
                } else {
                    reasons.append(LocalizedText(ru: "в \(run.record.year) г. (запуск №\(run.record.id)) не выявлена", en: "not identified in \(run.record.year) (run #\(run.record.id))"))
                }
            }
            if rule.targetsMet {
                var withTarget = 0, met = 0
                for p in try await store.programmes(of: .school(entry.schoolID)) ?? [] {
                    let stored = try await store.readings(programmeID: p.id) ?? [:]
                    for i in try await store.indicators(programmeID: p.id) ?? [] where i.target != nil {
                        withTarget += 1
                        let values: [Double]
                        if let code = i.computed, ComputedIndicators.known.contains(code) {
                            values = ComputedIndicators.values(code, owner: p.owner, snapshot: snapshot, registry: registry).map(\.value)
                        } else {
                            values = (stored[i.id] ?? []).map(\.value)
                        }
                        if i.light(values: values) == .green { met += 1 }
                    }
                }
                if met < withTarget { ok = false }
                reasons.append(withTarget == 0
                    ? LocalizedText(ru: "целевых показателей нет", en: "no indicator has a target")
                    : LocalizedText(ru: "целевые показатели достигнуты: \(met) из \(withTarget)", en: "targets met: \(met) of \(withTarget)"))
            }
            if ok, apply {
                _ = try await store.changeStatus(schoolID: entry.schoolID, to: .exitProposed,
                                                 note: "Критерии выхода выполнены / Exit criteria met: " + reasons.map(\.ru).joined(separator: "; "),
                                                 actor: actor)
            }
            out.append(Finding(schoolID: entry.schoolID, proposed: ok, reasons: reasons))
        }
        return out
    }
}
