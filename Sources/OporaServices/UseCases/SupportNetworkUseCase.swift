import OporaCore
import OporaStore

/// The municipality's support network around its schools: events and curators' visits, partner
/// pairs checked against the data, mentors. Coordinators record all of it; a curator records its
/// own visits to the schools it curates.
public struct SupportNetworkUseCase: Sendable {
    let database: OporaDatabase

    public init(database: OporaDatabase) {
        self.database = database
    }

    /// The kinds of events an account may record: any (the municipality's coordinators), visits only
    /// (a curator, to the schools it curates), none (the others).
    public static func eventKinds(for role: Role) -> [SupportEvent.Kind] {
        if Policy.allows(role, .writeMunicipalPlan) { return SupportEvent.Kind.allCases }
        if Policy.allows(role, .recordVisit) { return [.visit] }
        return []
    }

    /// An event, or a curator's visit when it names a school of the curator's.
    public func recordEvent(_ event: SupportEvent, as who: Acting) async throws -> SupportEvent {
        let store = database.scoped(who.scope)
        if let school = event.schoolID { guard try await store.school(id: school) != nil else { throw UseCaseError.notFound } }
        if !(Policy.allows(who.role, .recordVisit) && event.kind == .visit && event.schoolID != nil) { try who.require(.writeMunicipalPlan) }
        return try await UseCaseError.translatingProgrammeStore { try await store.addEvent(event, actor: who.actor) }
    }

    /// Pairs a supported school with a partner; returns what the data says of the pair (the
    /// partner should be doing better), which is also kept as the pair's note.
    public func pair(supported: String, partner: String, since: Day, snapshot: AnalysisSnapshot, language: Language, as who: Acting) async throws -> PartnerCheck? {
        let store = database.scoped(who.scope)
        guard try await store.school(id: supported) != nil else { throw UseCaseError.notFound }
        try who.require(.writeMunicipalPlan)
        let check = PartnerCheck(supported: supported, partner: partner, snapshot: snapshot)
        try await UseCaseError.translatingProgrammeStore {
            try await store.addPartnerPair(PartnerPair(supportedSchool: supported, partnerSchool: partner, since: since,
                                                       note: check.map { language.pick($0.note) } ?? ""), actor: who.actor)
        }
        return check
    }

    public func addMentor(_ mentor: Mentor, as who: Acting) async throws -> Mentor {
        let store = database.scoped(who.scope)
        guard try await store.school(id: mentor.schoolID) != nil else { throw UseCaseError.notFound }
        try who.require(.writeMunicipalPlan)
        return try await UseCaseError.translatingProgrammeStore { try await store.addMentor(mentor, actor: who.actor) }
    }
}

/// Whether a partner school does better than the supported one, by the share of «2» over the latest year.
public struct PartnerCheck: Sendable {
    public var note: LocalizedText

    public init?(supported: String, partner: String, snapshot: AnalysisSnapshot) {
        guard let a = snapshot.latestFails[supported], let b = snapshot.latestFails[partner], a.marked > 0, b.marked > 0 else { return nil }
        let sa = Double(a.fails) / Double(a.marked), sb = Double(b.fails) / Double(b.marked)
        let pa = NumberFormat.decimal(sa * 100, digits: 1, .ru) + "%", pb = NumberFormat.decimal(sb * 100, digits: 1, .ru) + "%"
        let ea = NumberFormat.decimal(sa * 100, digits: 1, .en) + "%", eb = NumberFormat.decimal(sb * 100, digits: 1, .en) + "%"
        note = sb < sa
            ? LocalizedText(ru: "Проверено по данным: у школы-партнёра «2» \(pb) против \(pa).", en: "Checked against the data: the partner has \(eb) «2» against \(ea).")
            : LocalizedText(ru: "Внимание: у школы-партнёра «2» не меньше (\(pb) против \(pa)).", en: "Note: the partner does not have fewer «2» (\(eb) against \(ea)).")
    }
}
