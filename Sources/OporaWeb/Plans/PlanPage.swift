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
            return Response(status: .seeOther, headers: [.location: "/schools/\(id)/plan#risks"])
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
                return Response(status: .seeOther, headers: [.location: "/programmes/\(programmeID)"])
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
        let byFactor = Dictionary(uniqueKeysWithValues: saved.map { ($0.factor, $0) })
        let today = Day(env.now)
        let canWrite = Policy.allows(user.user.role, .writeSchoolPlan)
        let risks = RiskFactor.allCases.map { f -> [String: Any] in
            let s = suggestions[f], a = byFactor[f]
            let answered = RiskFactorCatalogue.standard.levelFromAnswers(f, answers: a?.answers ?? [:])
            // Until the school confirms a level, the form offers its own answers' level, else the data's.
            let offered = a?.level ?? answered?.level ?? s?.level
            var row: [String: Any] = [
                "code": f.rawValue, "name": language.pick(f.name),
                "levels": RiskLevel.allCases.map { l in ["value": l.rawValue, "name": language.pick(l.name), "selected": offered == l] },
                "priority": a?.priority ?? false, "reason": a?.priorityReason ?? "", "confirmed": a?.level != nil,
                "effective": offered.map { language.pick($0.name) } ?? "—",
                "levelCode": offered?.rawValue ?? "none",
            ]
            if let s { row["suggestion"] = language.pick(s.level.name) + ": " + language.pick(s.reason) }
            if let answered {
                row["answered"] = language.pick(answered.level.name) + language.pick(ru: " (\(answered.points) из \(answered.maximum))",
                                                                                     en: " (\(answered.points) of \(answered.maximum))")
            }
            return row
        }
        var programmeRows: [[String: Any]] = []
        for p in programmes {
            let measures = try await store.measures(programmeID: p.id) ?? []
            let progress = RoadmapProgress(measures, today: today)
            programmeRows.append([
                "id": p.id, "title": p.title, "kind": language.pick(p.kind.name), "risk": p.riskFactor.map { language.pick($0.name) } ?? "",
                "measures": NumberFormat.integer(measures.count, language), "done": NumberFormat.integer(progress.done, language),
                "late": NumberFormat.integer(progress.late, language), "hasLate": progress.late > 0,
            ])
        }
        let priorities = saved.filter(\.priority)
        let templates = ProgrammeTemplates.all.filter { $0.level == "school" || $0.kind == .antiRisk }
            .sorted { ($0.riskFactor.map { f in priorities.contains { $0.factor == f } } ?? false ? 0 : 1, $0.id) < ($1.riskFactor.map { f in priorities.contains { $0.factor == f } } ?? false ? 0 : 1, $1.id) }
        let events = try await store.events(schoolID: schoolID) ?? []
        let pairs = try await store.partnerPairs().filter { $0.supportedSchool == schoolID }
        let mentors = try await store.mentors(schoolID: schoolID) ?? []
        let curators = try await env.database.users().filter { $0.role == .curator && $0.curatedSchools.contains(schoolID) }.map(\.login)
        let names = Dictionary(snapshot.data.schools.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let diagnosis = try await store.selfDiagnosis(schoolID: schoolID) ?? []
        let weak = diagnosis.filter { $0.rating == .insufficient }.count
        let data: [String: Any] = [
            "id": school.id, "name": school.name, "error": error ?? "", "canWrite": canWrite, "risks": risks,
            "diagnosisSummary": diagnosis.isEmpty ? language.pick(ru: "ещё не проводилась", en: "not done yet")
                : language.pick(ru: "оценено \(diagnosis.count), «недостаточно» — \(weak)", en: "\(diagnosis.count) rated, \(weak) insufficient"),
            "priorities": priorities.map { ["name": language.pick($0.factor.name), "reason": $0.priorityReason] },
            "hasPriorities": !priorities.isEmpty,
            "programmes": programmeRows, "hasProgrammes": !programmeRows.isEmpty,
            "templates": templates.map { ["id": $0.id, "title": language == .ru ? $0.titleRU : $0.titleEN,
                                          "measures": NumberFormat.integer($0.measures.count, language)] },
            "kinds": ProgrammeKind.allCases.map { ["value": $0.rawValue, "name": language.pick($0.name)] },
            "factors": RiskFactor.allCases.map { ["value": $0.rawValue, "name": language.pick($0.name)] },
            "curators": curators.joined(separator: ", "), "hasCurators": !curators.isEmpty,
            // A curator logs visits to its schools; coordinators any kind of event (the route checks the same).
            "canLogEvent": user.user.role == .curator || Policy.allows(user.user.role, .writeMunicipalPlan),
            "eventKinds": (user.user.role == .curator ? [SupportEvent.Kind.visit] : SupportEvent.Kind.allCases)
                .map { ["value": $0.rawValue, "name": language.pick($0.name)] },
            "today": today.description,
            "mentors": mentors.map { ["name": $0.name, "role": $0.role, "since": $0.since.text(language)] },
            "pairs": pairs.map { ["partner": names[$0.partnerSchool] ?? $0.partnerSchool, "partnerID": $0.partnerSchool, "since": $0.since.text(language)] },
            "events": events.map { ["day": $0.day.text(language), "kind": language.pick($0.kind.name), "topic": $0.topic, "outcome": $0.outcome,
                                    "municipal": $0.schoolID == nil] },
        ]
        return Views.render("plan", data, title: language.pick(ru: "План: ", en: "Plan: ") + school.name, language: language, user: user, status: status)
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
