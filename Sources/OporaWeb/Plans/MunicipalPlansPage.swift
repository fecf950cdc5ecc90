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
            return Response(status: .seeOther, headers: [.location: SiteURL.programme(id).path])
        }

        router.post("/municipal-plans/events") { request, context -> Response in
            let (user, form) = try await context.postedForm(request)
            let school = form["school"].isEmpty ? nil : form["school"]
            guard let day = Day(form["day"]) else {
                return try await render(env, context: context, notice: nil, status: .badRequest,
                                        error: context.language.pick(ru: "Укажите дату события.", en: "Give the event's date."))
            }
            let event = SupportEvent(municipality: form["municipality"], schoolID: school, kind: SupportEvent.Kind(rawValue: form["kind"]) ?? .consultation,
                                     day: day, topic: form["topic"], participants: form["participants"], outcome: form["outcome"])
            return try await saving(env, context) {
                _ = try await env.supportNetwork.recordEvent(event, as: user.acting)
                return Response(status: .seeOther, headers: [.location: school.map { SiteURL.schoolPlan($0).at("support") } ?? SiteURL.municipalPlans.at("events")])
            }
        }

        router.post("/municipal-plans/pairs") { request, context -> Response in
            let (user, form) = try await context.postedForm(request, limit: 16 * 1024)
            let snapshot = try await env.analysis.current()
            return try await saving(env, context) {
                let check = try await env.supportNetwork.pair(supported: form["supported"], partner: form["partner"], since: Day(env.now),
                                                              snapshot: snapshot, language: context.language, as: user.acting)
                return try await render(env, context: context, notice: check.map { context.language.pick($0.note) }, error: nil, status: .ok).makeResponse(status: .ok)
            }
        }

        router.post("/municipal-plans/mentors") { request, context -> Response in
            let (user, form) = try await context.postedForm(request, limit: 16 * 1024)
            let mentor = Mentor(schoolID: form["school"], name: form["name"], role: form["role"].isEmpty ? "наставник" : form["role"],
                                staffSchool: form["staff_school"].isEmpty ? nil : form["staff_school"], since: Day(env.now))
            return try await saving(env, context) {
                _ = try await env.supportNetwork.addMentor(mentor, as: user.acting)
                return Response(status: .seeOther, headers: [.location: SiteURL.schoolPlan(form["school"]).at("support")])
            }
        }
    }

    /// Runs a change; a refusal is shown on the page above the forms.
    static func saving(_ env: WebEnvironment, _ context: OporaRequestContext, _ change: () async throws -> Response) async throws -> Response {
        do {
            return try await change()
        } catch let refusal as UseCaseError {
            return try await render(env, context: context, notice: nil, status: try formStatus(refusal), error: context.language.pick(refusal.message))
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
        let registry = try await store.registry()
        let figures = ProgrammeFigures.compute(schools: schools.map(\.id), plans: plans, registry: registry, today: today)
        let names = Dictionary(snapshot.data.schools.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let events = try await store.allEvents().prefix(50)
        let pairs = try await store.partnerPairs()
        let page = MunicipalPlansPageModel(
            plans: plans, municipalities: municipalities, schools: schools, figures: figures, events: Array(events), pairs: pairs, schoolNames: names, today: today, canWrite: Policy.allows(user.user.role, .writeMunicipalPlan),
            eventKinds: SupportNetworkUseCase.eventKinds(for: user.user.role),
            notice: notice, error: error, language)
        return Views.render(page, title: language.pick(ru: "Муниципальные планы", en: "Municipal plans"), language: language, user: user, status: status)
    }
}

/// The municipal plans page: the territory's figures, the municipalities' roadmaps and the forms
/// for a new one, events and visits, partner pairs and mentors.
struct MunicipalPlansPageModel: PageModel {
    static let view = View.municipalPlans
    struct Roadmap {
        var title, municipality: String
        var measures, done, late: Int
        var hasLate: Bool
        var url: String
    }
    struct Municipality { var name: String }
    struct TemplateOption { var id, title: String }
    struct SchoolOption { var id, name: String }
    struct Event { var day, kind, school, topic, participants, outcome: String }
    struct Pair { var supported, partner, note: String }

    var notice, error: String?
    var canWrite: Bool
    var figures: [ProgrammeFigures.Row]
    var programmes: [Roadmap]
    var hasProgrammes: Bool
    var municipalities: [Municipality]
    var hasMunicipality: Bool
    var templates: [TemplateOption]
    var schools: [SchoolOption]
    var kinds: [Choice]
    var canLogEvent: Bool
    var today: String
    var events: [Event]
    var pairs: [Pair]

    init(plans: PlanOverview, municipalities: [String], schools: [School], figures: ProgrammeFigures, events: [SupportEvent],
         pairs: [PartnerPair], schoolNames names: [String: String], today: Day, canWrite: Bool, eventKinds: [SupportEvent.Kind] = [],
         notice: String?, error: String?, _ language: Language) {
        (self.notice, self.error, self.canWrite) = (notice, error, canWrite)
        self.figures = figures.rows(language)
        programmes = plans.programmes.filter { $0.owner.kind == "municipality" }.map { p in
            let progress = RoadmapProgress(plans.measures[p.id] ?? [], today: today)
            return Roadmap(title: p.title, municipality: p.owner.id, measures: progress.total, done: progress.done, late: progress.late,
                           hasLate: progress.late > 0, url: SiteURL.programme(p.id).path)
        }
        hasProgrammes = !programmes.isEmpty
        self.municipalities = municipalities.map { Municipality(name: $0) }
        hasMunicipality = !municipalities.isEmpty
        templates = ProgrammeTemplates.all.filter { $0.level == "municipality" }.map { TemplateOption(id: $0.id, title: language == .ru ? $0.titleRU : $0.titleEN) }
        self.schools = schools.map { SchoolOption(id: $0.id, name: $0.name) }
        // Only what the account may record: a curator its visits, a coordinator any event, a viewer nothing (no form).
        kinds = eventKinds.map { Choice(value: $0.rawValue, name: language.pick($0.name)) }
        canLogEvent = !eventKinds.isEmpty
        self.today = today.description
        self.events = events.map { e in
            Event(day: e.day.text(language), kind: language.pick(e.kind.name), school: e.schoolID.flatMap { names[$0] } ?? e.municipality,
                  topic: e.topic, participants: e.participants, outcome: e.outcome)
        }
        self.pairs = pairs.map { Pair(supported: names[$0.supportedSchool] ?? $0.supportedSchool, partner: names[$0.partnerSchool] ?? $0.partnerSchool, note: $0.note) }
    }
}
