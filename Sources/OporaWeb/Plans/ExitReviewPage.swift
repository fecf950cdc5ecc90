import Foundation
import Hummingbird
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// `POST /registry/exit-review`: applies the exit criteria of the newest run's rule set to the
/// territory's schools in the programme, proposes the exits that are due, and shows why each school
/// does or does not qualify.
enum ExitReviewPage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.post("/registry/exit-review") { _, context -> HTML in
            let user = try context.requireIdentity()
            let language = context.language
            var runs: [(record: IdentificationRunRecord, result: IdentificationResult)] = []
            for record in try await env.runs.latestPerYear() {
                if let result = try await env.runs.result(record.id) { runs.append((record, result)) }
            }
            let rule = runs.first.flatMap { try? RuleSet.parse($0.record.rulesText) }?.exit ?? RuleSet.default.exit
            let snapshot = try await env.analysis.current()
            let findings = try await ExitReview.review(store: env.database.scoped(user.scope), runs: runs, rule: rule, snapshot: snapshot, apply: true)
            let names = Dictionary(snapshot.data.schools.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let data: [String: Any] = [
                "rule": language.pick(ru: "Критерий: не выявлена \(rule.cleanYears) года подряд\(rule.targetsMet ? " и целевые показатели достигнуты" : "").",
                                      en: "Criterion: not identified \(rule.cleanYears) years in a row\(rule.targetsMet ? " and the targets met" : "")."),
                "empty": findings.isEmpty,
                "findings": findings.map { f -> [String: Any] in
                    ["id": f.schoolID, "name": names[f.schoolID] ?? f.schoolID, "proposed": f.proposed,
                     "reasons": f.reasons.map { language.pick($0) }.joined(separator: "; ")]
                },
            ]
            return Views.render("exitReview", data, title: language.pick(ru: "Критерии выхода", en: "Exit criteria"), language: language, user: user)
        }
    }
}
