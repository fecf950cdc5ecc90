import Foundation
import Hummingbird
import OporaCore
import OporaServices
import OporaStore

/// `/municipal-plans`: the municipality's own roadmaps (seeds 000, 003 and 004 are such plans), its
/// support network — events and curator visits, partner pairs checked against the data, mentors —
/// and the programme-level figures of the territory.
enum MunicipalPlansPage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/municipal-plans") { _, context -> HTML in
            try await render(env, context: context, notice: nil, error: nil, status: .ok)
        }

        router.post("/municipal-plans/programmes") { request, context -> Response in
            let (user, form) = try await context.postedForm(request)
            let municipality = form["municipality"]
            let draft: ProgrammeDraft
            if let template = ProgrammeTemplates.find(form["template"]) {
                draft = template.draft(owner: .municipality(municipality), start: Day(env.now))
            } else {
                let title = form["title"].trimmingCharacters(in: .whitespaces)
                draft = ProgrammeDraft(programme: Programme(owner: .municipality(municipality), kind: .roadmap,
                                                            title: title.isEmpty ? context.language.pick(ProgrammeKind.roadmap.name) : title))
            }
            let id = try await useCase { try await env.roadmap.createProgramme(draft, as: user.acting) }
            return Response(status: .seeOther, headers: [.location: "/programmes/\(id)"])
        }

        router.post("/municipal-plans/events") { request, context -> Response in
            let user = try context.requireIdentity()
            var request = request
            let form = FormData(try await request.collectBody(within: 64 * 1024))
            let store = env.database.scoped(user.scope)
            // A curator logs visits to its schools; coordinators log any event.
            let school = form["school"].isEmpty ? nil : form["school"]
            if let school { guard try await store.school(id: school) != nil else { throw WebError.notFound } }
            let kind = SupportEvent.Kind(rawValue: form["kind"]) ?? .consultation
            if !(user.user.role == .curator && kind == .visit && school != nil) { try user.require(.writeMunicipalPlan) }
            guard let day = Day(form["day"]) else {
                return try await render(env, context: context, notice: nil, status: .badRequest,
                                        error: context.language.pick(ru: "Укажите дату события.", en: "Give the event's date."))
            }
            do {
                _ = try await store.addEvent(SupportEvent(municipality: form["municipality"], schoolID: school, kind: kind, day: day,
                                                          topic: form["topic"], participants: form["participants"], outcome: form["outcome"]),
                                             actor: user.actor)
            } catch let error as ProgrammeError {
                return try await render(env, context: context, notice: nil, status: error.code == .notFound ? .notFound : .badRequest, error: context.language.pick(error.message))
            }
            return Response(status: .seeOther, headers: [.location: school.map { "/schools/\($0)/plan#support" } ?? "/municipal-plans#events"])
        }

        router.post("/municipal-plans/pairs") { request, context -> Response in
            let (user, form) = try await context.postedForm(request, limit: 16 * 1024)
            let store = env.database.scoped(user.scope)
            let snapshot = try await env.analysis.current()
            let supported = form["supported"], partner = form["partner"]
            guard try await store.school(id: supported) != nil else { throw WebError.notFound }
            // The partner should be doing better: compare the share of «2» in the latest year.
            let check = PartnerCheck(supported: supported, partner: partner, snapshot: snapshot)
            do {
                try await store.addPartnerPair(PartnerPair(supportedSchool: supported, partnerSchool: partner, since: Day(env.now),
                                                           note: check.map { context.language.pick($0.note) } ?? ""), actor: user.actor)
            } catch let error as ProgrammeError {
                return try await render(env, context: context, notice: nil, status: .badRequest, error: context.language.pick(error.message))
            }
            return try await render(env, context: context, notice: check.map { context.language.pick($0.note) }, error: nil, status: .ok).makeResponse(status: .ok)
        }

        router.post("/municipal-plans/mentors") { request, context -> Response in
            let (user, form) = try await context.postedForm(request, limit: 16 * 1024)
            let store = env.database.scoped(user.scope)
            guard try await store.school(id: form["school"]) != nil else { throw WebError.notFound }
            do {
                _ = try await store.addMentor(Mentor(schoolID: form["school"], name: form["name"], role: form["role"].isEmpty ? "наставник" : form["role"],
                                                     staffSchool: form["staff_school"].isEmpty ? nil : form["staff_school"], since: Day(env.now)),
                                              actor: user.actor)
            } catch let error as ProgrammeError {
                return try await render(env, context: context, notice: nil, status: .badRequest, error: context.language.pick(error.message))
            }
            return Response(status: .seeOther, headers: [.location: "/schools/\(form["school"])/plan#support"])
        }
    }

    static func render(_ env: WebEnvironment, context: OporaRequestContext, notice: String?, status: HTTPResponse.Status, error: String) async throws -> Response {
        try await render(env, context: context, notice: notice, error: error, status: status).makeResponse(status: status)
    }

    static func render(_ env: WebEnvironment, context: OporaRequestContext, notice: String?, error: String?, status: HTTPResponse.Status) async throws -> HTML {
        let user = try context.requireIdentity()
        let language = context.language
        let store = env.database.scoped(user.scope)
        let snapshot = try await env.analysis.current()
        let schools = snapshot.data.schools.filter(user.scope.contains)
        var municipalities: [String] = []
        for m in Set(schools.map(\.municipality)).sorted() where try await store.owns(.municipality(m)) { municipalities.append(m) }
        let today = Day(env.now)
        let plans = try await store.planOverview()
        var rows: [[String: Any]] = []
        for p in plans.programmes where p.owner.kind == "municipality" {
            let progress = RoadmapProgress(plans.measures[p.id] ?? [], today: today)
            rows.append(["id": p.id, "title": p.title, "municipality": p.owner.id, "measures": progress.total, "done": progress.done,
                         "late": progress.late, "hasLate": progress.late > 0])
        }
        let registry = try await store.registry()
        let figures = ProgrammeFigures.compute(schools: schools.map(\.id), plans: plans, registry: registry, today: today)
        let names = Dictionary(snapshot.data.schools.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let events = try await store.allEvents().prefix(50)
        let pairs = try await store.partnerPairs()
        let data: [String: Any] = [
            "notice": notice ?? "", "error": error ?? "", "canWrite": Policy.allows(user.user.role, .writeMunicipalPlan),
            "programmes": rows, "hasProgrammes": !rows.isEmpty,
            "municipalities": municipalities.map { ["name": $0] }, "hasMunicipality": !municipalities.isEmpty,
            "templates": ProgrammeTemplates.all.filter { $0.level == "municipality" }.map { ["id": $0.id, "title": language == .ru ? $0.titleRU : $0.titleEN] },
            "schools": schools.map { ["id": $0.id, "name": $0.name] },
            "kinds": SupportEvent.Kind.allCases.map { ["value": $0.rawValue, "name": language.pick($0.name)] },
            "today": today.description,
            "figures": figures.rows(language),
            "events": events.map { e -> [String: Any] in
                ["day": e.day.text(language), "kind": language.pick(e.kind.name), "topic": e.topic, "school": e.schoolID.flatMap { names[$0] } ?? e.municipality,
                 "participants": e.participants, "outcome": e.outcome]
            },
            "pairs": pairs.map { ["supported": names[$0.supportedSchool] ?? $0.supportedSchool,
                                                           "partner": names[$0.partnerSchool] ?? $0.partnerSchool, "note": $0.note] },
        ]
        return Views.render("municipalPlans", data, title: language.pick(ru: "Муниципальные планы", en: "Municipal plans"),
                            language: language, user: user, status: status)
    }
}

/// Whether a partner school does better than the supported one, by the share of «2» over the latest year.
struct PartnerCheck {
    var note: LocalizedText

    init?(supported: String, partner: String, snapshot: AnalysisSnapshot) {
        guard let a = snapshot.latestFails[supported], let b = snapshot.latestFails[partner], a.marked > 0, b.marked > 0 else { return nil }
        let sa = Double(a.fails) / Double(a.marked), sb = Double(b.fails) / Double(b.marked)
        let pa = NumberFormat.decimal(sa * 100, digits: 1, .ru) + "%", pb = NumberFormat.decimal(sb * 100, digits: 1, .ru) + "%"
        let ea = NumberFormat.decimal(sa * 100, digits: 1, .en) + "%", eb = NumberFormat.decimal(sb * 100, digits: 1, .en) + "%"
        note = sb < sa
            ? LocalizedText(ru: "Проверено по данным: у школы-партнёра «2» \(pb) против \(pa).", en: "Checked against the data: the partner has \(eb) «2» against \(ea).")
            : LocalizedText(ru: "Внимание: у школы-партнёра «2» не меньше (\(pb) против \(pa)).", en: "Note: the partner does not have fewer «2» (\(eb) against \(ea)).")
    }
}
