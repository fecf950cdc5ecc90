import Foundation
import OporaAnalysis
import OporaCore
import OporaStore

/// Puts a demo municipality's supported schools at the stages of the cycle, so a newcomer sees the
/// whole of it: one just identified, one with its programme written, one half-way through its
/// roadmap, one proposed for exit; and a municipal roadmap, events, a partner pair and a mentor.
/// Everything goes through the same scoped store and audit log as the pages.
public enum DemoCycle {
    public struct Stages: Sendable {
        public var identified: String
        public var programmeWritten: String
        public var halfWay: String
        public var exitProposed: String
        public var all: [String] { [identified, programmeWritten, halfWay, exitProposed] }
    }

    /// Runs identification with the default rules, stores the run, and stages four schools of
    /// `municipality` (flagged ones first). `nil` when the municipality has fewer than four schools.
    public static func populate(_ db: OporaDatabase, municipality: String, today: Day) async throws -> Stages? {
        let loaded = try await StoredAnalysis.fromDatabase(db)
        guard let year = Identification.defaultYear(loaded.data, rules: .default) else { return nil }
        let result = Identification.run(data: loaded.data, rules: .default, year: year, dataDigest: loaded.digest.hex)
        _ = try await IdentificationService.save(result, rules: .default, digest: loaded.digest, into: db, createdBy: "demo")
        let inMunicipality = result.schools.filter { $0.municipality == municipality }
        let flagged = inMunicipality.filter { $0.categories.contains("low_results") } + inMunicipality.filter { !$0.categories.isEmpty && !$0.categories.contains("low_results") }
        let rest = inMunicipality.filter { $0.categories.isEmpty }
        let chosen = Array((flagged + rest).prefix(4))
        guard chosen.count == 4 else { return nil }
        let stages = Stages(identified: chosen[0].schoolID, programmeWritten: chosen[1].schoolID, halfWay: chosen[2].schoolID,
                            exitProposed: chosen[3].schoolID)
        let store = db.scoped(.municipality(municipality))
        let coordinator = Actor(userID: nil, login: "municipality")
        let school = Actor(userID: nil, login: "school")
        let curator = Actor(userID: nil, login: "curator")
        let snapshot = AnalysisSnapshot(version: 0, loaded: loaded)

        for s in chosen {
            let category = SupportCategory(rawValue: s.categories.first ?? "low_results") ?? .lowResults
            let reason = s.flags.first.map(\.textRU) ?? "Включена по решению муниципальной комиссии"
            _ = try await store.include(RegistryEntry(schoolID: s.schoolID, category: category, reason: reason,
                                                      // Support began in the analysis year: its ВПР against the year before show the effect.
                                                      startDate: "\(year)-01-15", coordinator: "municipality"),
                                        note: "по итогам выявления \(year) г.", actor: coordinator)
        }
        // Programmes started a month, half a year and a year ago.
        for (id, months) in [(stages.programmeWritten, 1), (stages.halfWay, 6), (stages.exitProposed, 12)] {
            _ = try await store.changeStatus(schoolID: id, to: .inProgramme, note: "программа утверждена", actor: coordinator)
            try await writePlan(store, schoolID: id, snapshot: snapshot, start: today.adding(months: -months), actor: school)
        }
        try await progress(store, schoolID: stages.halfWay, share: 0.5, today: today, actor: school, curator: curator)
        try await progress(store, schoolID: stages.exitProposed, share: 1.0, today: today, actor: school, curator: curator)
        _ = try await store.changeStatus(schoolID: stages.exitProposed, to: .exitProposed,
                                         note: "мероприятия выполнены, доля «2» ниже целевой два года подряд", actor: coordinator)

        if let template = ProgrammeTemplates.find("seed-000-municipal-roadmap") {
            let id = try await store.create(template.draft(owner: .municipality(municipality), start: today.adding(months: -8)), actor: coordinator)
            let measures = try await store.measures(programmeID: id) ?? []
            for m in measures.prefix(measures.count / 3) {
                _ = try await store.updateMeasure(id: m.id, MeasureChange(status: .done, evidence: "Выполнено, см. приказ управления образования"), actor: coordinator)
            }
            // A year in: the entered indicators are part of the way to their targets (the computed ones fill themselves).
            for (k, i) in (try await store.indicators(programmeID: id) ?? []).filter({ $0.computed == nil && $0.target != nil }).enumerated() {
                let target = i.target!, start = i.baseline ?? 0
                let value = start + (target - start) * [0.4, 1.0, 0.7, 0.2][k % 4]
                _ = try? await store.record(indicatorID: i.id, period: i.period.label(of: today.adding(months: -i.period.months)),
                                            value: i.unit == .count ? value.rounded() : value, actor: coordinator)
            }
        }
        _ = try await store.addEvent(SupportEvent(municipality: municipality, schoolID: nil, kind: .seminar, day: today.adding(months: -3),
                                                  topic: "Формирующее оценивание на уроках математики", participants: "учителя математики школ программы",
                                                  outcome: "методические рекомендации"), actor: coordinator)
        if let partner = rest.last?.schoolID, partner != stages.halfWay {
            try await store.addPartnerPair(PartnerPair(supportedSchool: stages.halfWay, partnerSchool: partner, since: today.adding(months: -6),
                                                       note: "обмен уроками, совместные педсоветы"), actor: coordinator)
        }
        _ = try await store.addMentor(Mentor(schoolID: stages.halfWay, name: "Смирнова А. В.", role: "наставник", staffSchool: rest.last?.schoolID,
                                             since: today.adding(months: -6)), actor: coordinator)
        return stages
    }

    /// Risk profile (the data's levels confirmed, the top one a priority), diagnosis, and the
    /// anti-risk programme of the priority risk from its template.
    static func writePlan(_ store: ScopedStore, schoolID: String, snapshot: AnalysisSnapshot, start: Day, actor: Actor) async throws {
        let suggestions = RiskSuggestions.suggest(schoolID: schoolID, snapshot: snapshot)
        // The highest suggested level; ties go to the catalogue's order, so the demo is the same every time.
        let priority = RiskFactor.allCases.filter { suggestions[$0] != nil }
            .max { (suggestions[$0]!.level, -RiskFactor.allCases.firstIndex(of: $0)!) < (suggestions[$1]!.level, -RiskFactor.allCases.firstIndex(of: $1)!) }
            ?? .studentsAtRisk
        var profile = RiskFactor.allCases.compactMap { factor in suggestions[factor].map { (factor, $0) } }.map { factor, s in
            RiskAssessment(factor: factor, suggestedLevel: s.level, suggestion: "\(s.reason.ru) / \(s.reason.en)", level: s.level,
                           priority: factor == priority, priorityReason: factor == priority ? s.reason.ru : "")
        }
        if suggestions[priority] == nil {
            profile.append(RiskAssessment(factor: priority, level: .high, priority: true, priorityReason: "по итогам самодиагностики"))
        }
        // Motivation is not in the data: the school answered the questionnaire («partly» throughout) and kept its level.
        var answers: [String: String] = [:]
        for q in RiskFactorCatalogue.standard.factor(.lowMotivation)?.questions ?? [] { answers[q.id] = q.scale == .zeroToTwo ? "1" : "2" }
        profile.append(RiskAssessment(factor: .lowMotivation,
                                      level: RiskFactorCatalogue.standard.levelFromAnswers(.lowMotivation, answers: answers)?.level ?? .medium,
                                      answers: answers))
        try await store.saveRiskProfile(schoolID: schoolID, profile, actor: actor)
        try await store.saveSelfDiagnosis(schoolID: schoolID, [
            DiagnosisRating(item: "1.1", rating: .sufficient, evidence: "учебный план утверждён, все предметные области представлены"),
            DiagnosisRating(item: "2.1", rating: .insufficient, evidence: "доля «2» по ВПР выше региональной"),
        ], actor: actor)
        if let template = ProgrammeTemplates.all.first(where: { $0.riskFactor == priority }) {
            _ = try await store.create(template.draft(owner: .school(schoolID), start: start), actor: actor)
        }
    }

    /// Marks `share` of the school's measures done (with evidence), enters indicator values, logs a
    /// curator's visit and a comment; a half-way school keeps one measure late.
    static func progress(_ store: ScopedStore, schoolID: String, share: Double, today: Day, actor: Actor, curator: Actor) async throws {
        for p in try await store.programmes(of: .school(schoolID)) ?? [] {
            let measures = try await store.measures(programmeID: p.id) ?? []
            let done = Int((Double(measures.count) * share).rounded(.up))
            for m in measures.prefix(done) {
                _ = try await store.updateMeasure(id: m.id, MeasureChange(status: .done, evidence: "Выполнено: протокол педсовета, приказ по школе"), actor: actor)
            }
            if share < 1, let next = measures.dropFirst(done).first {
                _ = try await store.updateMeasure(id: next.id, MeasureChange(status: .inProgress, deadline: .date(today.adding(months: -1))), actor: actor)
                _ = try await store.addComment(measureID: next.id, body: "Срок прошёл — что мешает? Нужна ли помощь методиста?", role: "curator", actor: curator)
            }
            for i in try await store.indicators(programmeID: p.id) ?? [] where i.period != .once {
                let label = i.period.label(of: today.adding(months: -i.period.months))
                let target = i.target ?? i.baseline ?? 0.5
                let start = i.baseline ?? (i.unit == .share ? (i.direction == .lowerIsBetter ? min(1, target * 2) : target / 2) : target / 2)
                let value = start + (target - start) * share
                _ = try? await store.record(indicatorID: i.id, period: label, value: i.unit == .share ? min(1, max(0, value)) : value, actor: actor)
            }
        }
        _ = try await store.addEvent(SupportEvent(municipality: "", schoolID: schoolID, kind: .visit, day: today.adding(months: -1),
                                                  topic: "Посещение уроков, анализ выполнения дорожной карты", outcome: "рекомендации по работе с дефицитами"),
                                     actor: curator)
    }
}
