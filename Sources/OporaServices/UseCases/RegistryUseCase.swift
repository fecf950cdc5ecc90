import OporaAnalysis
import OporaCore
import OporaStore

/// The registry of supported schools (реестр) as every adapter uses it — the pages, the API, the
/// CLI: reading a territory's entries, including a school and moving it through its statuses. It
/// owns the permission check, the territory (outside → not found), the rules with their messages,
/// and (through the store) the history row and the audit entry.
public struct RegistryUseCase: Sendable {
    let database: OporaDatabase

    public init(database: OporaDatabase) {
        self.database = database
    }

    /// What an inclusion asks for, as typed or posted (checked here, not by the adapter).
    public struct Inclusion: Sendable {
        public var schoolID, category, reason, startDate, coordinator, note: String
        public init(schoolID: String, category: String, reason: String, startDate: String, coordinator: String, note: String = "") {
            (self.schoolID, self.category, self.reason, self.startDate, self.coordinator, self.note) =
                (schoolID, category, reason, startDate, coordinator, note)
        }
    }

    /// A change of status, optionally with a new reason or coordinator.
    public struct StatusChange: Sendable {
        public var status: String
        public var reason, coordinator: String?
        public var note: String
        public init(status: String, reason: String? = nil, coordinator: String? = nil, note: String = "") {
            (self.status, self.reason, self.coordinator, self.note) = (status, reason, coordinator, note)
        }
    }

    // MARK: Reading

    /// The territory's entries, by municipality and school.
    public func entries(as who: Acting) async throws -> [RegistryEntry] {
        try await database.scoped(who.scope).registry()
    }

    /// A school's entry and its history; not found outside the territory or when it never was included.
    public func entry(schoolID: String, as who: Acting) async throws -> (entry: RegistryEntry, history: [RegistryChange]) {
        let store = database.scoped(who.scope)
        guard let entry = try await store.registryEntry(schoolID: schoolID), let history = try await store.registryHistory(schoolID: schoolID) else {
            throw UseCaseError.notFound
        }
        return (entry, history)
    }

    // MARK: Changing

    public func include(_ asked: Inclusion, as who: Acting) async throws -> RegistryEntry {
        try who.require(.writeRegistry)
        let store = database.scoped(who.scope)
        guard try await store.school(id: asked.schoolID) != nil else { throw UseCaseError.notFound }
        guard let category = SupportCategory(rawValue: asked.category) else {
            throw UseCaseError(.malformed, "invalid", LocalizedText(ru: "Выберите категорию.", en: "Choose a category."), field: "category")
        }
        let entry = RegistryEntry(schoolID: asked.schoolID, category: category, reason: asked.reason.trimmed, startDate: asked.startDate.trimmed,
                                  coordinator: asked.coordinator.trimmed)
        try Self.check(entry)
        return try await Self.translating { try await store.include(entry, note: asked.note.trimmed, actor: who.actor) }
    }

    /// Applies the exit criterion of the newest run's rule set (the default set's when there is no
    /// run) to the territory's schools in the programme, proposes the exits that are due, and says
    /// for each school why it does or does not qualify.
    public func reviewExits(runs: RunCache, snapshot: AnalysisSnapshot, as who: Acting) async throws -> (rule: ExitRule, findings: [ExitReview.Finding]) {
        try who.require(.writeRegistry)
        var latest: [(record: IdentificationRunRecord, result: IdentificationResult)] = []
        for record in try await runs.latestPerYear() {
            if let result = try await runs.result(record.id) { latest.append((record, result)) }
        }
        let rule = latest.first.flatMap { try? RuleSet.parse($0.record.rulesText) }?.exit ?? RuleSet.default.exit
        let findings = try await ExitReview.review(store: database.scoped(who.scope), runs: latest, rule: rule, snapshot: snapshot, apply: true)
        return (rule, findings)
    }

    public func changeStatus(schoolID: String, _ change: StatusChange, as who: Acting) async throws -> RegistryEntry {
        try who.require(.writeRegistry)
        let store = database.scoped(who.scope)
        guard try await store.school(id: schoolID) != nil else { throw UseCaseError.notFound }
        guard let next = RegistryStatus(rawValue: change.status) else {
            throw UseCaseError(.malformed, "invalid", LocalizedText(ru: "Выберите новый статус.", en: "Choose the new status."), field: "status")
        }
        guard let entry = try await store.registryEntry(schoolID: schoolID) else { throw Self.notInRegistry }
        // A change of reason or coordinator alone keeps the status; a new status must be one that can follow.
        if next != entry.status, !entry.status.allowedNext.contains(next) {
            throw UseCaseError(.conflict, "status_conflict", Self.transition(from: entry.status, to: next), field: "status")
        }
        if next == entry.status, change.reason == nil, change.coordinator == nil {
            throw UseCaseError(.conflict, "unchanged", Self.transition(from: entry.status, to: next), field: "status")
        }
        var after = entry
        after.status = next
        if let reason = change.reason { after.reason = reason.trimmed }
        if let coordinator = change.coordinator { after.coordinator = coordinator.trimmed }
        try Self.check(after)
        return try await Self.translating {
            try await store.changeStatus(schoolID: schoolID, to: next, reason: change.reason?.trimmed, coordinator: change.coordinator?.trimmed,
                                         note: change.note.trimmed, actor: who.actor)
        }
    }

    // MARK: Rules and messages

    static let notInRegistry = UseCaseError(.notFound, "not_in_registry", LocalizedText(ru: "Школы нет в реестре.", en: "The school is not in the registry."))

    /// The rules an entry keeps, each refused with the field it is about.
    static func check(_ entry: RegistryEntry) throws(UseCaseError) {
        if entry.reason.isEmpty {
            throw UseCaseError(.unprocessable, "invalid", LocalizedText(ru: "Укажите основание включения.", en: "Give the reason."), field: "reason")
        }
        if entry.coordinator.isEmpty {
            throw UseCaseError(.unprocessable, "invalid", LocalizedText(ru: "Укажите ответственного координатора.", en: "Give the responsible coordinator."),
                               field: "coordinator")
        }
        if Day(entry.startDate) == nil {
            throw UseCaseError(.unprocessable, "invalid", LocalizedText(ru: "Укажите дату начала в виде ГГГГ-ММ-ДД.", en: "Give the start date as YYYY-MM-DD."),
                               field: "start_date")
        }
    }

    static func transition(from: RegistryStatus, to: RegistryStatus) -> LocalizedText {
        if from == to {
            return LocalizedText(ru: "Статус уже «\(from.name.ru)».", en: "The status is already “\(from.name.en)”.")
        }
        return LocalizedText(ru: "Из статуса «\(from.name.ru)» нельзя перейти в «\(to.name.ru)».",
                             en: "The status cannot change from “\(from.name.en)” to “\(to.name.en)”.")
    }

    /// The store's refusals (its last line of defence, and what a concurrent change causes) as the use case's.
    static func translating(_ body: () async throws -> RegistryEntry) async throws -> RegistryEntry {
        do {
            return try await body()
        } catch let error as RegistryError {
            switch error.code {
            case .notFound: throw notInRegistry
            case .alreadyIncluded:
                throw UseCaseError(.conflict, "already_included", LocalizedText(ru: "Школа уже в реестре.", en: "The school is already in the registry."))
            case .transition: throw UseCaseError(.conflict, "status_conflict", LocalizedText(ru: "Запись не сохранена: \(error.ru).", en: "Not saved: \(error.description)."))
            case .unchanged: throw UseCaseError(.conflict, "unchanged", LocalizedText(ru: "Ничего не изменилось.", en: "Nothing changes."))
            case .invalid: throw UseCaseError(.unprocessable, "invalid", LocalizedText(ru: "Запись не сохранена: \(error.ru).", en: "Not saved: \(error.description)."))
            }
        }
    }
}

private extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
