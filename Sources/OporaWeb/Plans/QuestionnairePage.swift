import Foundation
import Hummingbird
import OporaCore
import OporaServices
import OporaStore

/// `/schools/{id}/questionnaire`: the «500+» risk-profile questionnaire — per risk factor what it
/// means, what each level looks like, what the data suggests, and the self-assessment questions.
/// Answers give a level (points against the catalogue's thresholds), shown on the plan page next to
/// the data's suggestion; the school still confirms the level there.
enum QuestionnairePage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/schools/:id/questionnaire") { request, context -> HTML in
            let user = try context.requireIdentity()
            let saved = request.query.get("saved") != nil
            return try await render(try context.parameters.require("id"), env: env, context: context, user: user, saved: saved, error: nil)
        }

        router.post("/schools/:id/questionnaire") { request, context -> Response in
            let (user, id, _, form) = try await SchoolForm.read(request, context, env, limit: 128 * 1024).parts
            var answers: [RiskFactor: [String: String]] = [:]
            for factor in RiskFactorCatalogue.standard.factors {
                answers[factor.factor] = Dictionary(uniqueKeysWithValues: factor.questions.map { ($0.id, form[field(factor.factor, $0)]) })
            }
            do {
                try await env.schoolPlan.saveQuestionnaire(schoolID: id, answers, as: user.acting)
            } catch let refusal as UseCaseError {
                let status = try formStatus(refusal)
                return try await render(id, env: env, context: context, user: user, saved: false, error: context.language.pick(refusal.message), status: status)
                    .makeResponse(status: status)
            }
            return Response(status: .seeOther, headers: [.location: SiteURL.questionnaire(id).with(query: "saved=1")])
        }
    }

    static func field(_ factor: RiskFactor, _ q: RiskFactorCatalogue.Question) -> String { "q_\(factor.rawValue)_\(q.id)" }

    static func answerName(_ value: Int, _ scale: RiskFactorCatalogue.Scale, _ l: Language) -> String {
        switch (value, scale) {
        case (0, _): l.pick(ru: "нет", en: "no")
        case (1, _): l.pick(ru: "частично", en: "partly")
        default: l.pick(ru: "да", en: "yes")
        }
    }

    static func render(_ id: String, env: WebEnvironment, context: OporaRequestContext, user: CurrentUser, saved: Bool, error: String?,
                       status: HTTPResponse.Status = .ok) async throws -> HTML {
        let language = context.language
        let store = env.database.scoped(user.scope)
        guard let school = try await store.school(id: id), let profile = try await store.riskProfile(schoolID: id) else { throw WebError.notFound }
        let catalogue = RiskFactorCatalogue.standard
        let suggestions = RiskSuggestions.suggest(schoolID: id, snapshot: try await env.analysis.current())
        let page = QuestionnairePageModel(school, profile: profile, suggestions: suggestions, catalogue: catalogue,
                                          canWrite: Policy.allows(user.user.role, .writeSchoolPlan), saved: saved, error: error, language)
        return Views.render(page, title: language.pick(ru: "Анкета профиля рисков: ", en: "Risk-profile questionnaire: ") + school.name,
                            language: language, user: user, status: status)
    }
}

/// The risk-profile questionnaire: per factor its description, levels, the data's suggestion, the
/// questions with the saved answers, and the level the answers give.
struct QuestionnairePageModel: PageModel {
    static let view = View.questionnaire
    struct Level { var name, text: String }
    struct Option {
        /// The radio button's element id.
        var id: String
        var value: Int
        var name: String
        var checked: Bool
    }
    struct Question {
        var field, text: String
        var options: [Option]
    }
    struct Factor {
        var code, name, description: String
        var levels: [Level]
        var suggestion, justification: String?
        var questions: [Question]
        var result, levelCode: String
    }

    var name: String
    var canWrite: Bool
    var error, notice: String?
    var summary: String
    var factors: [Factor]
    var planURL, schoolURL, questionnaireURL: String

    init(_ school: School, profile: [RiskAssessment], suggestions: [RiskFactor: RiskSuggestions.Suggestion], catalogue: RiskFactorCatalogue = .standard,
         canWrite: Bool, saved: Bool, error: String?, _ language: Language) {
        let byFactor = Dictionary(uniqueKeysWithValues: profile.map { ($0.factor, $0) })
        var answeredFactors = 0
        factors = catalogue.factors.map { f in
            let answers = byFactor[f.factor]?.answers ?? [:]
            let score = catalogue.levelFromAnswers(f.factor, answers: answers)
            if score != nil { answeredFactors += 1 }
            let suggestion = suggestions[f.factor]
            return Factor(
                code: f.factor.rawValue, name: language.pick(f.factor.name), description: language.pick(f.description),
                levels: RiskLevel.allCases.map { l in Level(name: language.pick(l.name), text: f.levels[l].map { language.pick($0) } ?? "") },
                suggestion: suggestion.map { language.pick($0.level.name) + ". " + language.pick($0.reason) },
                justification: suggestion.map { language.pick($0.justification) },
                questions: f.questions.map { q in
                    let field = QuestionnairePage.field(f.factor, q)
                    return Question(field: field, text: language.pick(q.text), options: q.scale.values.map { v in
                        Option(id: "\(field)_\(v)", value: v, name: QuestionnairePage.answerName(v, q.scale, language), checked: answers[q.id] == String(v))
                    })
                },
                result: score.map { s in
                    language.pick(ru: "По ответам: \(language.pick(s.level.name).lowercased()) (\(s.points) из \(s.maximum) баллов)",
                                  en: "From the answers: \(language.pick(s.level.name).lowercased()) (\(s.points) of \(s.maximum) points)")
                } ?? language.pick(ru: "Ответьте на все вопросы, чтобы получить уровень.", en: "Answer every question to get a level."),
                levelCode: score?.level.rawValue ?? "none")
        }
        name = school.name
        self.canWrite = canWrite
        self.error = error
        notice = saved ? language.pick(ru: "Ответы сохранены. Подтвердите уровни рисков в плане.", en: "The answers were saved. Confirm the risk levels in the plan.") : nil
        summary = language.pick(ru: "Анкета заполнена по \(answeredFactors) из \(catalogue.factors.count) факторов. Шкала: 0 — нет, 1 — частично, 2 — да; от \(Int(catalogue.lowFrom * 100))% баллов — низкий риск, от \(Int(catalogue.mediumFrom * 100))% — средний, ниже — высокий.",
                                en: "Answered for \(answeredFactors) of \(catalogue.factors.count) factors. Scale: 0 no, 1 partly, 2 yes; \(Int(catalogue.lowFrom * 100))% of the points or more: low risk, \(Int(catalogue.mediumFrom * 100))% or more: medium, below: high.")
        planURL = SiteURL.schoolPlan(school.id).at("risks")
        schoolURL = SiteURL.school(school.id).path
        questionnaireURL = SiteURL.questionnaire(school.id).path
    }
}
