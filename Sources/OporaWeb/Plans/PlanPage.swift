import Foundation
import Hummingbird
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// A school's plan: its risk profile (levels suggested from data, confirmed or corrected by the
/// school, priority risks with reasons), its programmes, and its support (curators, mentors,
/// partner school, events). Everything the data knows is filled in already.
enum PlanPage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/schools/:id/plan") { _, context -> HTML in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("id")
            return try await render(schoolID: id, env: env, context: context, user: user, error: nil, status: .ok)
        }

        router.post("/schools/:id/risk-profile") { request, context -> Response in
            let (user, id, _, form) = try await SchoolForm.read(request, context, env, limit: 256 * 1024).parts
            let choices = RiskFactor.allCases.map { factor in
                SchoolPlanUseCase.RiskChoice(factor: factor, level: RiskLevel(rawValue: form["level_\(factor.rawValue)"]),
                                             priority: form["priority_\(factor.rawValue)"] == "on",
                                             reason: form["reason_\(factor.rawValue)"].trimmingCharacters(in: .whitespacesAndNewlines))
            }
            let suggestions = RiskSuggestions.suggest(schoolID: id, snapshot: try await env.analysis.current())
            do {
                try await env.schoolPlan.saveRiskProfile(schoolID: id, choices, suggestions: suggestions, as: user.acting)
            } catch let refusal as UseCaseError {
                let status = try formStatus(refusal)
                return try await render(schoolID: id, env: env, context: context, user: user, error: context.language.pick(refusal.message), status: status)
                    .makeResponse(status: status)
            }
            return Response(status: .seeOther, headers: [.location: SiteURL.schoolPlan(id).at("risks")])
        }

        router.post("/schools/:id/programmes") { request, context -> Response in
            let (user, id, _, form) = try await SchoolForm.read(request, context, env).parts
            let draft: ProgrammeDraft
            if let template = ProgrammeTemplates.find(form["template"]) {
                draft = template.draft(owner: .school(id), start: Day(env.now))
            } else {
                guard let kind = ProgrammeKind(rawValue: form["kind"]) else { throw WebError.badRequest("invalid", ru: "Выберите вид программы.", en: "Choose the kind of programme.") }
                let risk = RiskFactor(rawValue: form["risk_factor"])
                let title = form["title"].trimmingCharacters(in: .whitespaces)
                draft = ProgrammeDraft(programme: Programme(owner: .school(id), kind: kind,
                                                            title: title.isEmpty ? context.language.pick(kind.name) : title, riskFactor: risk))
            }
            do {
                let programmeID = try await env.roadmap.createProgramme(draft, as: user.acting)
                return Response(status: .seeOther, headers: [.location: SiteURL.programme(programmeID).path])
            } catch let refusal as UseCaseError {
                let status = try formStatus(refusal)
                return try await render(schoolID: id, env: env, context: context, user: user, error: context.language.pick(refusal.message), status: status)
                    .makeResponse(status: status)
            }
        }
    }

    static func render(schoolID: String, env: WebEnvironment, context: OporaRequestContext, user: CurrentUser, error: String?,
                       status: HTTPResponse.Status) async throws -> HTML {
        let language = context.language
        let store = env.database.scoped(user.scope)
        guard let school = try await store.school(id: schoolID), let saved = try await store.riskProfile(schoolID: schoolID),
              let programmes = try await store.programmes(of: .school(schoolID)) else { throw WebError.notFound }
        let snapshot = try await env.analysis.current()
        let suggestions = RiskSuggestions.suggest(schoolID: schoolID, snapshot: snapshot)
        let today = Day(env.now)
        var progress: [Int: RoadmapProgress] = [:]
        for p in programmes { progress[p.id] = RoadmapProgress(try await store.measures(programmeID: p.id) ?? [], today: today) }
        let events = try await store.events(schoolID: schoolID) ?? []
        let pairs = try await store.partnerPairs().filter { $0.supportedSchool == schoolID }
        let mentors = try await store.mentors(schoolID: schoolID) ?? []
        let curators = try await env.database.users().filter { $0.role == .curator && $0.curatedSchools.contains(schoolID) }.map(\.login)
        let names = Dictionary(snapshot.data.schools.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let diagnosis = try await store.selfDiagnosis(schoolID: schoolID) ?? []
        let role = user.user.role
        let page = PlanPageModel(
            school, risks: saved, suggestions: suggestions, diagnosis: diagnosis, programmes: programmes, progress: progress,
            support: .init(curators: curators, mentors: mentors, pairs: pairs, events: events, schoolNames: names), today: today,
            canWrite: Policy.allows(role, .writeSchoolPlan),
            // A curator logs visits to its schools; coordinators any kind of event (the use case checks the same).
            canLogEvent: !SupportNetworkUseCase.eventKinds(for: role).isEmpty,
            eventKinds: SupportNetworkUseCase.eventKinds(for: role), error: error, language)
        return Views.render(page, title: language.pick(ru: "План: ", en: "Plan: ") + school.name, language: language, user: user, status: status)
    }
}

/// A school's plan page: the risk profile form, the programmes and the forms for a new one, the support.
struct PlanPageModel: PageModel {
    static let view = View.plan
    struct Risk {
        var code, name: String
        var levels: [Choice]
        var priority: Bool
        var reason: String
        var confirmed: Bool
        var levelCode: String
        /// What the data suggests, with its reason; nil when the data cannot tell.
        var suggestion: String?
        /// The level from the questionnaire's answers, with the points; nil until answered.
        var answered: String?
        var answerURL: String
    }
    struct ProgrammeRow {
        var title, kind: String
        var risk: String?
        var measures, done, late: String
        var hasLate: Bool
        var url: String
    }
    struct TemplateOption { var id, title, measures: String }
    struct MentorRow { var name, role, since: String }
    struct PairRow { var partner, partnerURL, since: String }
    struct EventRow {
        var day, kind, topic, outcome: String
        var municipal: Bool
    }
    /// Who and what supports the school.
    struct Support {
        var curators: [String]
        var mentors: [Mentor]
        var pairs: [PartnerPair]
        var events: [SupportEvent]
        var schoolNames: [String: String]
    }

    /// The school's code, posted with a logged event.
    var id: String
    var name: String
    var error: String?
    var canWrite: Bool
    var diagnosisSummary: String
    var risks: [Risk]
    var programmes: [ProgrammeRow]
    var hasProgrammes: Bool
    var templates: [TemplateOption]
    var kinds, factors: [Choice]
    var curators: String
    var hasCurators: Bool
    var canLogEvent: Bool
    var eventKinds: [Choice]
    var today: String
    var mentors: [MentorRow]
    var pairs: [PairRow]
    var events: [EventRow]
    var schoolURL, diagnosisURL, questionnaireURL, riskProfileURL, programmesURL: String

    init(_ school: School, risks saved: [RiskAssessment], suggestions: [RiskFactor: RiskSuggestions.Suggestion], diagnosis: [DiagnosisRating],
         programmes: [Programme], progress: [Int: RoadmapProgress], support: Support, today: Day, canWrite: Bool, canLogEvent: Bool,
         eventKinds: [SupportEvent.Kind], error: String?, _ language: Language) {
        id = school.id
        name = school.name
        self.error = error
        self.canWrite = canWrite
        let weak = diagnosis.filter { $0.rating == .insufficient }.count
        diagnosisSummary = diagnosis.isEmpty ? language.pick(ru: "ещё не проводилась", en: "not done yet")
            : language.pick(ru: "оценено \(diagnosis.count), «недостаточно» — \(weak)", en: "\(diagnosis.count) rated, \(weak) insufficient")

        let byFactor = Dictionary(uniqueKeysWithValues: saved.map { ($0.factor, $0) })
        risks = RiskFactor.allCases.map { f in
            let s = suggestions[f], a = byFactor[f]
            let answered = RiskFactorCatalogue.standard.levelFromAnswers(f, answers: a?.answers ?? [:])
            // Until the school confirms a level, the form offers its own answers' level, else the data's.
            let offered = a?.level ?? answered?.level ?? s?.level
            return Risk(
                code: f.rawValue, name: language.pick(f.name),
                levels: RiskLevel.allCases.map { l in Choice(value: l.rawValue, name: language.pick(l.name), selected: offered == l) },
                priority: a?.priority ?? false, reason: a?.priorityReason ?? "", confirmed: a?.level != nil,
                levelCode: offered?.rawValue ?? "none",
                suggestion: s.map { language.pick($0.level.name) + ": " + language.pick($0.reason) },
                answered: answered.map {
                    language.pick($0.level.name) + language.pick(ru: " (\($0.points) из \($0.maximum))", en: " (\($0.points) of \($0.maximum))")
                },
                answerURL: SiteURL.questionnaire(school.id).at("factor-\(f.rawValue)"))
        }

        self.programmes = programmes.map { p in
            let progress = progress[p.id]
            return ProgrammeRow(title: p.title, kind: language.pick(p.kind.name), risk: p.riskFactor.map { language.pick($0.name) },
                                measures: NumberFormat.integer(progress?.total ?? 0, language), done: NumberFormat.integer(progress?.done ?? 0, language),
                                late: NumberFormat.integer(progress?.late ?? 0, language), hasLate: (progress?.late ?? 0) > 0,
                                url: SiteURL.programme(p.id).path)
        }
        hasProgrammes = !programmes.isEmpty
        // The templates for the school's priority risks first.
        let priorities = Set(saved.filter(\.priority).map(\.factor))
        func rank(_ t: ProgrammeTemplate) -> (Int, String) { (t.riskFactor.map { priorities.contains($0) } ?? false ? 0 : 1, t.id) }
        templates = ProgrammeTemplates.all.filter { $0.level == "school" || $0.kind == .antiRisk }.sorted { rank($0) < rank($1) }
            .map { TemplateOption(id: $0.id, title: language == .ru ? $0.titleRU : $0.titleEN, measures: NumberFormat.integer($0.measures.count, language)) }
        kinds = ProgrammeKind.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name)) }
        factors = RiskFactor.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name)) }

        curators = support.curators.joined(separator: ", ")
        hasCurators = !support.curators.isEmpty
        self.canLogEvent = canLogEvent
        self.eventKinds = eventKinds.map { Choice(value: $0.rawValue, name: language.pick($0.name)) }
        self.today = today.description
        mentors = support.mentors.map { MentorRow(name: $0.name, role: $0.role, since: $0.since.text(language)) }
        pairs = support.pairs.map {
            PairRow(partner: support.schoolNames[$0.partnerSchool] ?? $0.partnerSchool, partnerURL: SiteURL.school($0.partnerSchool).path,
                 since: $0.since.text(language))
        }
        events = support.events.map {
            EventRow(day: $0.day.text(language), kind: language.pick($0.kind.name), topic: $0.topic, outcome: $0.outcome, municipal: $0.schoolID == nil)
        }
        schoolURL = SiteURL.school(school.id).path
        diagnosisURL = SiteURL.diagnosis(school.id).path
        questionnaireURL = SiteURL.questionnaire(school.id).path
        riskProfileURL = SiteURL.riskProfile(school.id).path
        programmesURL = SiteURL.schoolProgrammes(school.id).path
    }
}

/// How far a roadmap has come: measures done, late and at risk on a day.
struct RoadmapProgress {
    var total = 0, done = 0, late = 0, atRisk = 0, cancelled = 0

    init(_ measures: [Measure], today: Day) {
        total = measures.count
        for m in measures {
            switch m.status(on: today) {
            case .done: done += 1
            case .late: late += 1
            case .cancelled: cancelled += 1
            default: if m.isAtRisk(on: today) { atRisk += 1 }
            }
        }
    }

    /// Share done of the measures not cancelled.
    var doneShare: Double? { total - cancelled > 0 ? Double(done) / Double(total - cancelled) : nil }
}
