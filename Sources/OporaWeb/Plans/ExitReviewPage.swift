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
            let snapshot = try await env.analysis.current()
            let (rule, findings) = try await useCase { try await env.registry.reviewExits(runs: env.runs, snapshot: snapshot, as: user.acting) }
            let names = Dictionary(snapshot.data.schools.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            return Views.render(ExitReviewPageModel(rule: rule, findings: findings, names: names, language),
                                title: language.pick(ru: "Критерии выхода", en: "Exit criteria"), language: language, user: user)
        }
    }
}

/// The exit review's outcome: the criterion applied, and per school whether an exit was proposed and why.
struct ExitReviewPageModel: PageModel {
    static let view = View.exitReview
    struct Finding {
        var name: String
        var proposed: Bool
        var reasons: String
        var registryURL: String
    }
    var rule: String
    var empty: Bool
    var findings: [Finding]

    init(rule: ExitRule, findings: [ExitReview.Finding], names: [String: String], _ language: Language) {
        self.rule = language.pick(ru: "Критерий: не выявлена \(rule.cleanYears) года подряд\(rule.targetsMet ? " и целевые показатели достигнуты" : "").",
                                  en: "Criterion: not identified \(rule.cleanYears) years in a row\(rule.targetsMet ? " and the targets met" : "").")
        empty = findings.isEmpty
        self.findings = findings.map { f in
            Finding(name: names[f.schoolID] ?? f.schoolID, proposed: f.proposed, reasons: f.reasons.map { language.pick($0) }.joined(separator: "; "),
                    registryURL: SiteURL.registryEntry(f.schoolID).path)
        }
    }
}
