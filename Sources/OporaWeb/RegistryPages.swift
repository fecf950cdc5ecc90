import Foundation
import Hummingbird
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// The registry of supported schools (реестр): the territory's list with filters, one school's entry
/// with its history, including a school and changing its status. Territory first (outside → 404),
/// then the role (no `writeRegistry` → 403), as in the API.
enum RegistryPages {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/registry") { request, context -> HTML in
            let user = try context.requireIdentity()
            let query = request.query
            return try await listPage(env, user: user, language: context.language,
                                      status: query.get("status").flatMap(RegistryStatus.init(rawValue:)),
                                      category: query.get("category").flatMap(SupportCategory.init(rawValue:)))
        }

        router.get("/registry/new") { request, context -> HTML in
            let user = try context.requireIdentity()
            let store = env.database.scoped(user.scope)
            let schoolID = request.query.get("school") ?? ""
            if !schoolID.isEmpty { guard try await store.school(id: schoolID) != nil else { throw WebError.notFound } }
            let form = IncludeForm(school: schoolID, category: SupportCategory.lowResults.rawValue, reason: "",
                                   startDate: DateText.isoDay(env.now), coordinator: user.user.login, note: "")
            return try await includePage(store, user: user, language: context.language, form: form, error: nil, status: .ok)
        }

        router.post("/registry/new") { request, context -> Response in
            let user = try context.requireIdentity()
            var request = request
            let form = IncludeForm(FormData(try await request.collectBody(within: 64 * 1024)))
            let asked = RegistryUseCase.Inclusion(schoolID: form.school, category: form.category, reason: form.reason, startDate: form.startDate,
                                                  coordinator: form.coordinator, note: form.note)
            do {
                _ = try await env.registry.include(asked, as: user.acting)
            } catch let refusal as UseCaseError {
                let status = try formStatus(refusal)
                return try await includePage(env.database.scoped(user.scope), user: user, language: context.language, form: form,
                                             error: context.language.pick(refusal.message), status: status).makeResponse(status: status)
            }
            return .redirect(to: SiteURL.registryEntry(form.school).path)
        }

        router.get("/registry/:school_id") { _, context -> HTML in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("school_id")
            return try await entryPage(env.database.scoped(user.scope), user: user, language: context.language, schoolID: id,
                                       form: StatusForm(status: "", note: ""), error: nil, status: .ok)
        }

        router.post("/registry/:school_id/status") { request, context -> Response in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("school_id")
            var request = request
            let fields = FormData(try await request.collectBody(within: 64 * 1024))
            let form = StatusForm(status: fields["status"], note: fields["note"])
            do {
                _ = try await env.registry.changeStatus(schoolID: id, RegistryUseCase.StatusChange(status: form.status, note: form.note), as: user.acting)
            } catch let refusal as UseCaseError {
                let status = try formStatus(refusal)
                return try await entryPage(env.database.scoped(user.scope), user: user, language: context.language, schoolID: id, form: form,
                                           error: context.language.pick(refusal.message), status: status).makeResponse(status: status)
            }
            return .redirect(to: SiteURL.registryEntry(id).path)
        }
    }

    // MARK: - Forms

    struct IncludeForm {
        var school, category, reason, startDate, coordinator, note: String

        init(school: String, category: String, reason: String, startDate: String, coordinator: String, note: String) {
            (self.school, self.category, self.reason, self.startDate, self.coordinator, self.note) =
                (school, category, reason, startDate, coordinator, note)
        }

        init(_ form: FormData) {
            self.init(school: form["school"].trimmed, category: form["category"], reason: form["reason"], startDate: form["start_date"].trimmed,
                      coordinator: form["coordinator"], note: form["note"])
        }
    }

    struct StatusForm {
        var status, note: String
    }

    // MARK: - Pages

    static func listPage(_ env: WebEnvironment, user: CurrentUser, language: Language, status: RegistryStatus?,
                         category: SupportCategory?) async throws -> HTML {
        let entries = try await env.registry.entries(as: user.acting)
        let schools = Dictionary(uniqueKeysWithValues: try await env.database.scoped(user.scope).schools().map { ($0.id, $0) })
        let page = RegistryListPage(entries: entries, schools: schools, status: status, category: category,
                                    mayWrite: Policy.allows(user.user.role, .writeRegistry), language)
        return Views.render(page, title: language.pick(ru: "Реестр", en: "Registry"), language: language, user: user)
    }

    static func entryPage(_ store: ScopedStore, user: CurrentUser, language: Language, schoolID: String, form: StatusForm,
                          error: String?, status: HTTPResponse.Status) async throws -> HTML {
        guard let school = try await store.school(id: schoolID), let entry = try await store.registryEntry(schoolID: schoolID),
              let history = try await store.registryHistory(schoolID: schoolID) else { throw WebError.notFound }
        let page = RegistryEntryPage(school: school, entry: entry, history: history, mayWrite: Policy.allows(user.user.role, .writeRegistry),
                                     form: form, error: error, language)
        return Views.render(page, title: language.pick(ru: "Реестр: ", en: "Registry: ") + school.name,
                            language: language, user: user, status: status)
    }

    static func includePage(_ store: ScopedStore, user: CurrentUser, language: Language, form: IncludeForm, error: String?,
                            status: HTTPResponse.Status) async throws -> HTML {
        var page = RegistryIncludePage(form: form, error: error, language)
        if !form.school.isEmpty, let school = try await store.school(id: form.school) {
            page.school = .init(id: school.id, name: school.name, municipality: school.municipality, selected: true)
        } else {
            // No school given: choose among the territory's schools not in the registry now.
            let current = Dictionary(uniqueKeysWithValues: try await store.registry().map { ($0.schoolID, $0.status) })
            page.choices = try await store.schools().filter { current[$0.id] == nil || current[$0.id] == .exited }.map {
                .init(id: $0.id, name: $0.name, municipality: $0.municipality, selected: $0.id == form.school)
            }
        }
        return Views.render(page, title: language.pick(ru: "Включение в реестр", en: "Include in the registry"),
                            language: language, user: user, status: status)
    }

    /// What one history row changed against the row before it.
    static func describe(_ change: RegistryChange, after previous: RegistryChange?, _ language: Language) -> String {
        guard let previous, previous.status != .exited || change.status != .included else {
            return language.pick(ru: "Включена в реестр: ", en: "Included in the registry: ") + language.pick(change.category.name)
                + "; " + change.reason + language.pick(ru: "; координатор ", en: "; coordinator ") + change.coordinator
                + language.pick(ru: "; с ", en: "; from ") + DateText.day(change.startDate, language)
        }
        var parts: [String] = []
        if change.status != previous.status {
            parts.append(language.pick(ru: "статус: ", en: "status: ") + language.pick(previous.status.name) + " → "
                + language.pick(change.status.name))
        }
        if change.reason != previous.reason { parts.append(language.pick(ru: "основание: ", en: "reason: ") + change.reason) }
        if change.coordinator != previous.coordinator {
            parts.append(language.pick(ru: "координатор: ", en: "coordinator: ") + previous.coordinator + " → " + change.coordinator)
        }
        return parts.isEmpty ? "—" : parts.joined(separator: "; ")
    }

}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// The territory's registry: counts by status, the filter, and the entries.
struct RegistryListPage: PageModel {
    static let view = View.registry
    struct Count { var name, count, href: String }
    struct Entry {
        var id, href, name, municipality, category, reason, start, coordinator, status, changed, changedBy: String
    }
    var counts: [Count]
    var entries: [Entry]
    var empty: Bool
    var summary: String
    var filtered: Bool
    var statuses: [Choice]
    var categories: [Choice]
    var mayWrite: Bool

    init(entries all: [RegistryEntry], schools: [String: School], status: RegistryStatus?, category: SupportCategory?, mayWrite: Bool,
         _ language: Language) {
        let shown = all.filter { (status == nil || $0.status == status) && (category == nil || $0.category == category) }
        counts = RegistryStatus.allCases.map { s in
            Count(name: language.pick(s.name), count: NumberFormat.count(all.filter { $0.status == s }.count, .school, en: "school", language),
                  href: SiteURL.registryWithStatus(s.rawValue).path)
        }
        entries = shown.map { e in
            let school = schools[e.schoolID]
            return Entry(id: e.schoolID, href: SiteURL.registryEntry(e.schoolID).path, name: school?.name ?? e.schoolID,
                         municipality: school?.municipality ?? "", category: language.pick(e.category.name), reason: e.reason,
                         start: DateText.day(e.startDate, language), coordinator: e.coordinator, status: language.pick(e.status.name),
                         changed: DateText.moment(e.updatedAt, language), changedBy: e.updatedBy)
        }
        empty = shown.isEmpty
        filtered = status != nil || category != nil
        summary = filtered
            ? language.pick(ru: "Показано: \(NumberFormat.count(shown.count, .school, en: "school", .ru)) из \(NumberFormat.integer(all.count))",
                            en: "Shown: \(NumberFormat.count(shown.count, .school, en: "school", .en)) of \(NumberFormat.integer(all.count, .en))")
            : language.pick(ru: "В реестре: ", en: "In the registry: ") + NumberFormat.count(all.count, .school, en: "school", language)
        statuses = RegistryStatus.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0 == status) }
        categories = SupportCategory.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0 == category) }
        self.mayWrite = mayWrite
    }
}

/// One school's entry, its history, and the status change a coordinator may make next.
struct RegistryEntryPage: PageModel {
    static let view = View.registryEntry
    struct Change { var at, by, what, note: String }
    var id, name, municipality, category, reason, start, coordinator, status, changed, changedBy: String
    var history: [Change]
    var mayWrite: Bool
    var note: String
    var action: String
    var next: [Choice]
    var hasNext: Bool
    var exited: Bool
    var includeHref: String
    var error: String?

    init(school: School, entry: RegistryEntry, history: [RegistryChange], mayWrite: Bool, form: RegistryPages.StatusForm, error: String?,
         _ language: Language) {
        (id, name, municipality) = (school.id, school.name, school.municipality)
        category = language.pick(entry.category.name)
        reason = entry.reason
        start = DateText.day(entry.startDate, language)
        coordinator = entry.coordinator
        status = language.pick(entry.status.name)
        changed = DateText.moment(entry.updatedAt, language)
        changedBy = entry.updatedBy
        var previous: RegistryChange?
        let changes = history.map { change in
            defer { previous = change }
            return Change(at: DateText.moment(change.changedAt, language), by: change.changedBy,
                          what: RegistryPages.describe(change, after: previous, language), note: change.note)
        }
        self.history = changes.reversed()
        self.mayWrite = mayWrite
        note = form.note
        action = SiteURL.registryStatus(school.id).path
        next = entry.status.allowedNext.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0.rawValue == form.status) }
        hasNext = !entry.status.allowedNext.isEmpty
        exited = entry.status == .exited
        includeHref = SiteURL.registryNew(school: school.id).path
        self.error = error
    }
}

/// The form that includes a school: the school given, or a choice among those not in the registry.
struct RegistryIncludePage: PageModel {
    static let view = View.registryInclude
    struct SchoolChoice { var id, name, municipality: String; var selected: Bool }
    var reason, startDate, coordinator, note: String
    var categories: [Choice]
    var school: SchoolChoice?
    var choices: [SchoolChoice] = []
    var error: String?

    init(form: RegistryPages.IncludeForm, error: String?, _ language: Language) {
        (reason, startDate, coordinator, note) = (form.reason, form.startDate, form.coordinator, form.note)
        categories = SupportCategory.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0.rawValue == form.category) }
        self.error = error
    }
}
