import Foundation
import OporaCore
import OporaStore

/// Programmes' measures and indicators — a school's roadmap, an anti-risk programme, a
/// municipality's roadmap — as the pages and the API change them. Who may write a programme
/// follows from its owner (a school's plan or a municipality's), the same for every adapter.
public struct RoadmapUseCase: Sendable {
    let database: OporaDatabase

    public init(database: OporaDatabase) {
        self.database = database
    }

    /// The permission that writes `programme`: its owner decides.
    public static func permission(toWrite programme: Programme) -> Permission {
        switch programme.owner {
        case .school: .writeSchoolPlan
        case .municipality: .writeMunicipalPlan
        }
    }

    /// A programme of the territory that the role may write (not found outside, forbidden otherwise).
    public func writableProgramme(id: Int, as who: Acting) async throws -> Programme {
        guard let programme = try await database.scoped(who.scope).programme(id: id) else { throw UseCaseError.notFound }
        try who.require(Self.permission(toWrite: programme))
        return programme
    }

    /// A measure of the territory with its programme, whoever may write it.
    public func measure(id: Int, as who: Acting) async throws -> (measure: Measure, programme: Programme) {
        guard let found = try await database.scoped(who.scope).measure(id: id) else { throw UseCaseError.notFound }
        return found
    }

    // MARK: Programmes

    /// A new programme of a school or a municipality of the territory, blank or from a template.
    public func createProgramme(_ draft: ProgrammeDraft, as who: Acting) async throws -> Int {
        let store = database.scoped(who.scope)
        guard try await store.owns(draft.programme.owner) else { throw UseCaseError.notFound }
        try who.require(Self.permission(toWrite: draft.programme))
        return try await UseCaseError.translatingProgrammeStore { try await store.create(draft, actor: who.actor) }
    }

    // MARK: Measures

    public func addMeasure(_ measure: Measure, toProgramme id: Int, as who: Acting) async throws -> Measure {
        let programme = try await writableProgramme(id: id, as: who)
        return try await UseCaseError.translatingProgrammeStore { try await database.scoped(who.scope).addMeasure(measure, to: programme.id, actor: who.actor) }
    }

    /// A measure of a school's plan: into the programme asked for, else its roadmap (or medium-term
    /// programme); the school's first measure starts its roadmap.
    public func addMeasure(_ measure: Measure, toSchool schoolID: String, programme asked: Int?, as who: Acting) async throws -> Measure {
        let store = database.scoped(who.scope)
        guard let programmes = try await store.programmes(of: .school(schoolID)) else { throw UseCaseError.notFound }
        try who.require(.writeSchoolPlan)
        let programmeID: Int
        if let asked {
            guard programmes.contains(where: { $0.id == asked }) else { throw UseCaseError.notFound }
            programmeID = asked
        } else if let roadmap = programmes.first(where: { $0.kind == .roadmap || $0.kind == .mediumTerm }) {
            programmeID = roadmap.id
        } else {
            programmeID = try await UseCaseError.translatingProgrammeStore {
                try await store.create(ProgrammeDraft(programme: Programme(owner: .school(schoolID), kind: .roadmap, title: "Дорожная карта")), actor: who.actor)
            }
        }
        return try await UseCaseError.translatingProgrammeStore { try await store.addMeasure(measure, to: programmeID, actor: who.actor) }
    }

    /// A file a person attaches to a measure.
    public struct NewFile: Sendable {
        public var name, contentType: String
        public var content: Data
        public init(name: String, contentType: String, content: Data) { (self.name, self.contentType, self.content) = (name, contentType, content) }
    }

    /// Status, evidence, what/when/who and a file, saved together: «выполнено» needs evidence, a text
    /// or a file (one already attached or this one). Everything is checked before anything is written.
    public func updateMeasure(id: Int, _ change: MeasureChange, attaching file: NewFile? = nil, as who: Acting) async throws -> Measure {
        let (measure, programme) = try await self.measure(id: id, as: who)
        try who.require(Self.permission(toWrite: programme))
        let store = database.scoped(who.scope)
        if let file, file.content.count > measureFileLimit {
            throw UseCaseError(.malformed, "file_too_large", LocalizedText(ru: "Файл больше 10 МБ: приложите файл поменьше.",
                                                                          en: "The file is larger than 10 MB: attach a smaller one."), field: "file")
        }
        if change.status == .done {
            let evidence = (change.evidence ?? measure.evidence).trimmingCharacters(in: .whitespacesAndNewlines)
            let earlier = try await store.files(measureID: measure.id) ?? []
            let attached = file != nil || !earlier.isEmpty
            guard !evidence.isEmpty || attached else {
                throw UseCaseError(.malformed, "evidence_required",
                                   LocalizedText(ru: "Чтобы отметить «выполнено», напишите, что сделано, или приложите файл (приказ, протокол, отчёт).",
                                                 en: "To mark it done, say what was done or attach a file (an order, minutes, a report)."),
                                   field: "evidence")
            }
        }
        let updated = try await UseCaseError.translatingProgrammeStore { try await store.updateMeasure(id: measure.id, change, actor: who.actor) }
        if let file {
            _ = try await UseCaseError.translatingProgrammeStore {
                try await store.attach(measureID: measure.id, fileName: file.name, contentType: file.contentType, content: file.content, actor: who.actor)
            }
        }
        return updated
    }

    /// Curators review, coordinators and the school answer.
    public func comment(measureID: Int, body: String, as who: Acting) async throws -> MeasureComment {
        let (measure, _) = try await self.measure(id: measureID, as: who)
        try who.require(.commentPlan)
        return try await UseCaseError.translatingProgrammeStore {
            try await database.scoped(who.scope).addComment(measureID: measure.id, body: body, role: who.role.rawValue, actor: who.actor)
        }
    }

    public func attach(measureID: Int, fileName: String, contentType: String, content: Data, as who: Acting) async throws -> MeasureFile {
        let (measure, programme) = try await self.measure(id: measureID, as: who)
        try who.require(Self.permission(toWrite: programme))
        return try await UseCaseError.translatingProgrammeStore {
            try await database.scoped(who.scope).attach(measureID: measure.id, fileName: fileName, contentType: contentType, content: content, actor: who.actor)
        }
    }

    // MARK: Indicators

    public func addIndicator(_ indicator: MonitoringIndicator, toProgramme id: Int, as who: Acting) async throws -> MonitoringIndicator {
        let programme = try await writableProgramme(id: id, as: who)
        return try await UseCaseError.translatingProgrammeStore { try await database.scoped(who.scope).addIndicator(indicator, to: programme.id, actor: who.actor) }
    }

    /// A value as a person typed it, read by the indicator's unit («да», «3», «45 %»).
    public func record(indicatorID: Int, period: String, typed: String, as who: Acting) async throws -> IndicatorReading {
        let store = database.scoped(who.scope)
        guard let found = try await store.indicator(id: indicatorID) else { throw UseCaseError.notFound }
        try who.require(Self.permission(toWrite: found.programme))
        switch found.indicator.value(typed: typed) {
        case .success(let value): return try await record(indicatorID: indicatorID, period: period, value: value, as: who)
        case .failure(let problem): throw UseCaseError(.malformed, "invalid_value", problem.message, field: "value")
        }
    }

    public func record(indicatorID: Int, period: String, value: Double, as who: Acting) async throws -> IndicatorReading {
        let store = database.scoped(who.scope)
        guard let found = try await store.indicator(id: indicatorID) else { throw UseCaseError.notFound }
        try who.require(Self.permission(toWrite: found.programme))
        return try await UseCaseError.translatingProgrammeStore { try await store.record(indicatorID: indicatorID, period: period, value: value, actor: who.actor) }
    }
}
