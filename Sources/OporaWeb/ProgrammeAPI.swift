import Foundation
import Hummingbird
import OporaCore
import OporaServices
import OporaStore

/// Programmes as JSON: a school's risk profile, its roadmap (measures of all its programmes), adding
/// and updating measures, and its monitoring indicators. Territory first (404), then role (403).
enum ProgrammeAPI {
    static func register(on api: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        api.get("schools/:id/risk-profile") { _, context in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("id")
            let store = env.database.scoped(user.scope)
            guard let saved = try await store.riskProfile(schoolID: id) else { throw WebError.notFound }
            let suggestions = RiskSuggestions.suggest(schoolID: id, snapshot: try await env.analysis.current())
            let byFactor = Dictionary(uniqueKeysWithValues: saved.map { ($0.factor, $0) })
            let factors = RiskFactor.allCases.map { f in
                let score = RiskFactorCatalogue.standard.levelFromAnswers(f, answers: byFactor[f]?.answers ?? [:])
                return RiskJSON(factor: f.rawValue, nameRu: f.name.ru, nameEn: f.name.en,
                         suggestedLevel: (suggestions[f]?.level ?? byFactor[f]?.suggestedLevel)?.rawValue,
                         suggestionRu: suggestions[f]?.reason.ru, suggestionEn: suggestions[f]?.reason.en,
                         level: byFactor[f]?.level?.rawValue, confirmed: byFactor[f]?.level != nil,
                         priority: byFactor[f]?.priority ?? false, priorityReason: byFactor[f]?.priorityReason ?? "",
                         updatedAt: byFactor[f]?.updatedAt, updatedBy: byFactor[f]?.updatedBy,
                         answers: (byFactor[f]?.answers ?? [:]).compactMapValues(Int.init), answersLevel: score?.level.rawValue,
                         answersPoints: score?.points, answersMaximum: score?.maximum)
            }
            return JSONBody(RiskProfileJSON(schoolId: id, factors: factors, priorities: factors.filter(\.priority).map(\.factor)))
        }

        api.get("schools/:id/roadmap") { _, context in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("id")
            let store = env.database.scoped(user.scope)
            guard let programmes = try await store.programmes(of: .school(id)) else { throw WebError.notFound }
            let today = Day(env.now)
            var measures: [MeasureJSON] = []
            for p in programmes {
                for m in try await store.measures(programmeID: p.id) ?? [] { measures.append(MeasureJSON(m, today: today)) }
            }
            return JSONBody(RoadmapJSON(schoolId: id, today: today.description, programmes: programmes.map(ProgrammeJSON.init), measures: measures))
        }

        api.post("schools/:id/roadmap/measures") { request, context in
            let id = try context.parameters.require("id")
            let input = try await request.decodeJSON(as: MeasureInput.self, context: context)
            let measure = try input.measure()
            let stored = try await useCase {
                try await env.roadmap.addMeasure(measure, toSchool: id, programme: input.programmeId, as: try context.requireIdentity().acting)
            }
            return JSONBody(MeasureJSON(stored, today: Day(env.now)), status: .created)
        }

        api.patch("measures/:id") { request, context in
            guard let id = Int(try context.parameters.require("id")) else { throw WebError.notFound }
            let input = try await request.decodeJSON(as: MeasurePatch.self, context: context)
            var change = MeasureChange(evidence: input.evidence, title: input.title, responsible: input.responsible, expectedResult: input.expectedResult)
            if let s = input.status {
                guard let status = MeasureStatus(rawValue: s), MeasureStatus.settable.contains(status) else {
                    throw WebError.badRequest("invalid", ru: "Статус: planned, in_progress, done или cancelled («late» вычисляется по сроку).",
                                              en: "Status: planned, in_progress, done or cancelled («late» follows from the deadline).")
                }
                change.status = status
            }
            if let d = input.deadline { change.deadline = try MeasureInput.deadline(d) }
            if let s = input.section {
                guard let section = MeasureSection(rawValue: s) else { throw WebError.badRequest("invalid", ru: "Неизвестный раздел: \(s).", en: "Unknown section: \(s).") }
                change.section = section
            }
            let stored = try await useCase { try await env.roadmap.updateMeasure(id: id, change, as: try context.requireIdentity().acting) }
            return JSONBody(MeasureJSON(stored, today: Day(env.now)))
        }

        api.get("schools/:id/indicators") { _, context in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("id")
            let store = env.database.scoped(user.scope)
            guard let programmes = try await store.programmes(of: .school(id)) else { throw WebError.notFound }
            var out: [IndicatorJSON] = []
            for p in programmes {
                let readings = try await store.readings(programmeID: p.id) ?? [:]
                for i in try await store.indicators(programmeID: p.id) ?? [] {
                    out.append(IndicatorJSON(i, readings: try await IndicatorReadings.of(i, stored: readings[i.id] ?? [], owner: p.owner, env: env, store: store)))
                }
            }
            return JSONBody(IndicatorsJSON(schoolId: id, indicators: out))
        }
    }
}

struct RiskJSON: Encodable {
    var factor, nameRu, nameEn: String
    var suggestedLevel, suggestionRu, suggestionEn, level: String?
    var confirmed, priority: Bool
    var priorityReason: String
    var updatedAt, updatedBy: String?
    /// The questionnaire: answers by question id, and the level they give once all are answered.
    var answers: [String: Int]
    var answersLevel: String?
    var answersPoints, answersMaximum: Int?
}
struct RiskProfileJSON: Encodable { var schoolId: String; var factors: [RiskJSON]; var priorities: [String] }

struct ProgrammeJSON: Encodable {
    var id: Int
    var ownerKind, ownerId, kind, title: String
    var riskFactor, templateId: String?
    init(_ p: Programme) {
        id = p.id; ownerKind = p.owner.kind; ownerId = p.owner.id; kind = p.kind.rawValue; title = p.title
        riskFactor = p.riskFactor?.rawValue; templateId = p.templateID
    }
}

/// A measure as the issue specifies it: `deadline` is a date (`2026-03-31`) or a recurrence
/// (`every:quarterly`); `due` is the day it is due as of today; `status` includes the computed `late`.
struct MeasureJSON: Encodable {
    var id, programmeId: Int
    var section, title, deadline, due, responsible, expectedResult, status, evidence: String
    var indicatorId: Int?
    init(_ m: Measure, today: Day) {
        id = m.id; programmeId = m.programmeID; section = m.section.rawValue; title = m.title; deadline = m.deadline.storageText
        due = m.deadline.due(on: today).description; responsible = m.responsible; expectedResult = m.expectedResult
        status = m.status(on: today).rawValue; evidence = m.evidence; indicatorId = m.indicatorID
    }

    // `indicator_id` is always present (null when the measure has none): scripts read a fixed shape.
    enum CodingKeys: String, CodingKey {
        case id, programmeId, section, title, deadline, due, responsible, expectedResult, status, evidence, indicatorId
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(programmeId, forKey: .programmeId)
        try c.encode(section, forKey: .section)
        try c.encode(title, forKey: .title)
        try c.encode(deadline, forKey: .deadline)
        try c.encode(due, forKey: .due)
        try c.encode(responsible, forKey: .responsible)
        try c.encode(expectedResult, forKey: .expectedResult)
        try c.encode(status, forKey: .status)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(indicatorId, forKey: .indicatorId)
    }
}
struct RoadmapJSON: Encodable { var schoolId, today: String; var programmes: [ProgrammeJSON]; var measures: [MeasureJSON] }

struct IndicatorJSON: Encodable {
    struct Value: Encodable { var period: String; var value: Double; var enteredAt, enteredBy: String }
    var id, programmeId: Int
    var name, unit, direction, period: String
    var baseline: Double?
    var target: Double?
    var computed: String?
    var values: [Value]
    var latest: Double?
    var light: String

    // Baseline, target and latest are always present (null when unknown): scripts read a fixed shape.
    enum CodingKeys: String, CodingKey { case id, programmeId, name, unit, direction, period, baseline, target, computed, values, latest, light }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(programmeId, forKey: .programmeId)
        try c.encode(name, forKey: .name)
        try c.encode(unit, forKey: .unit)
        try c.encode(direction, forKey: .direction)
        try c.encode(period, forKey: .period)
        try c.encode(baseline, forKey: .baseline)
        try c.encode(target, forKey: .target)
        try c.encode(computed, forKey: .computed)
        try c.encode(values, forKey: .values)
        try c.encode(latest, forKey: .latest)
        try c.encode(light, forKey: .light)
    }
    init(_ i: MonitoringIndicator, readings: [IndicatorReading]) {
        id = i.id; programmeId = i.programmeID; name = i.name; unit = i.unit.rawValue; direction = i.direction.rawValue; period = i.period.rawValue
        baseline = i.baseline; target = i.target; computed = i.computed
        values = readings.map { Value(period: $0.period, value: $0.value, enteredAt: $0.enteredAt, enteredBy: $0.enteredBy) }
        latest = readings.last?.value
        light = i.light(values: readings.map(\.value)).rawValue
    }
}
struct IndicatorsJSON: Encodable { var schoolId: String; var indicators: [IndicatorJSON] }

struct MeasureInput: Decodable {
    var programmeId: Int?
    var section, title, deadline, responsible: String
    var expectedResult: String?
    var indicatorId: Int?

    enum CodingKeys: String, CodingKey {
        case programmeId = "programme_id", section, title, deadline, responsible, expectedResult = "expected_result", indicatorId = "indicator_id"
    }

    func measure() throws -> Measure {
        guard let s = MeasureSection(rawValue: section) else {
            throw WebError.badRequest("invalid", ru: "Неизвестный раздел: \(section).", en: "Unknown section: \(section).")
        }
        return Measure(section: s, title: title, deadline: try Self.deadline(deadline), responsible: responsible,
                       expectedResult: expectedResult ?? "", indicatorID: indicatorId)
    }

    static func deadline(_ text: String) throws -> Deadline {
        if let d = Deadline(text: text) { return d }
        throw WebError.badRequest("invalid", ru: "Срок — дата ГГГГ-ММ-ДД или периодичность (every:quarterly, every:during_year…): «\(text)».",
                                  en: "A deadline is a YYYY-MM-DD date or a recurrence (every:quarterly, every:during_year…): «\(text)».")
    }
}

struct MeasurePatch: Decodable {
    var status, evidence, title, deadline, responsible, expectedResult, section: String?
    enum CodingKeys: String, CodingKey {
        case status, evidence, title, deadline, responsible, expectedResult = "expected_result", section
    }
}

extension MeasureInput: LengthChecked {
    var textFields: [(name: String, value: String?, max: Int, nonBlank: Bool)] {
        [("section", section, FieldLimit.code, true), ("title", title, FieldLimit.short, true), ("deadline", deadline, FieldLimit.code, true),
         ("responsible", responsible, FieldLimit.short, true), ("expected_result", expectedResult, FieldLimit.long, false)]
    }
}

extension MeasurePatch: LengthChecked {
    var textFields: [(name: String, value: String?, max: Int, nonBlank: Bool)] {
        [("status", status, FieldLimit.code, true), ("evidence", evidence, FieldLimit.long, false), ("title", title, FieldLimit.short, true),
         ("deadline", deadline, FieldLimit.code, true), ("responsible", responsible, FieldLimit.short, true),
         ("expected_result", expectedResult, FieldLimit.long, false), ("section", section, FieldLimit.code, true)]
    }
}
