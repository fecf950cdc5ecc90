import Foundation
import OporaCore
import SQLKit

/// A programme with its indicators and measures, as written from a template or a form. A measure
/// names its indicator by position in `indicators` (the ids exist only once stored).
public struct ProgrammeDraft: Sendable {
    public var programme: Programme
    public var indicators: [MonitoringIndicator]
    public var measures: [(measure: Measure, indicator: Int?)]

    public init(programme: Programme, indicators: [MonitoringIndicator] = [], measures: [(measure: Measure, indicator: Int?)] = []) {
        self.programme = programme
        self.indicators = indicators
        self.measures = measures
    }
}

public struct ProgrammeError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case notFound = "not_found"
        case invalid
        /// Well-formed, but it refers to something that does not belong here (another programme's indicator).
        case conflict
    }
    public var code: Code
    /// In English (logs, the command line).
    public var description: String
    /// In Russian: pages and API messages never mix English into Russian.
    public var ru: String
    public init(_ code: Code, _ description: String, ru: String) {
        self.code = code
        self.description = description
        self.ru = ru
    }

    /// What a page or the API says: Russian and English.
    public var message: LocalizedText { LocalizedText(ru: ru, en: description) }

    public static func == (a: Self, b: Self) -> Bool { a.code == b.code && a.description == b.description }
}

extension ScopedStore {
    /// Whether the owner (a school or a municipality) is inside the scope. A school's own account and
    /// a curator see their schools' programmes, not the municipality's.
    public func owns(_ owner: ProgrammeOwner) async throws -> Bool {
        switch owner {
        case .school(let id): return try await school(id: id) != nil
        case .municipality(let name):
            switch scope {
            case .everything: return try await database.municipalities().contains { $0.name == name }
            case .region(let region): return try await database.municipalities().contains { $0.name == name && $0.region == region }
            case .municipality(let own): return own == name
            case .schools: return false
            }
        }
    }

    /// The owner's programmes, oldest first; `nil` outside the scope.
    public func programmes(of owner: ProgrammeOwner) async throws -> [Programme]? {
        guard try await owns(owner) else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("programmes").where("owner_kind", .equal, owner.kind)
                .where("owner_id", .equal, owner.id).orderBy("id").all().map(OporaDatabase.decodeProgramme)
        }
    }

    /// Every programme whose owner is in the scope (dashboards), oldest first.
    public func allProgrammes() async throws -> [Programme] {
        let all = try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("programmes").orderBy("id").all().map(OporaDatabase.decodeProgramme)
        }
        let schools = try await schoolIDs()
        var out: [Programme] = []
        for p in all {
            switch p.owner {
            case .school(let id): if schools.contains(id) { out.append(p) }
            case .municipality: if try await owns(p.owner) { out.append(p) }
            }
        }
        return out
    }

    public func programme(id: Int) async throws -> Programme? {
        let found = try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("programmes").where("id", .equal, id).first().map(OporaDatabase.decodeProgramme)
        }
        guard let found, try await owns(found.owner) else { return nil }
        return found
    }

    /// Stores a programme with its indicators and measures in one transaction; returns its id.
    public func create(_ draft: ProgrammeDraft, actor: Actor) async throws -> Int {
        guard try await owns(draft.programme.owner) else { throw ProgrammeError(.notFound, "no such school or municipality", ru: "нет такой школы или муниципалитета") }
        let title = draft.programme.title.trimmingCharacters(in: .whitespaces)
        guard !title.isEmpty else { throw ProgrammeError(.invalid, "a programme needs a title", ru: "у программы нет названия") }
        if draft.programme.kind == .antiRisk, draft.programme.riskFactor == nil {
            throw ProgrammeError(.invalid, "an anti-risk programme answers a risk factor", ru: "антирисковая программа должна отвечать фактору риска")
        }
        for (m, i) in draft.measures {
            try Self.validate(m)
            if let i, !draft.indicators.indices.contains(i) { throw ProgrammeError(.invalid, "measure «\(m.title)» names a missing indicator", ru: "мероприятие «\(m.title)» ссылается на несуществующий показатель") }
        }
        return try await database.writeTransaction { conn in
            let id = try await OporaDatabase.nextID(conn, table: "programmes")
            let p = draft.programme
            let now = Timestamp.now()
            try await conn.sql.insert(into: "programmes")
                .columns("id", "owner_kind", "owner_id", "kind", "title", "risk_factor", "template_id", "goals_json", "tasks_json",
                         "start_day", "end_day", "created_at", "created_by")
                .values(SQLBind(id), SQLBind(p.owner.kind), SQLBind(p.owner.id), SQLBind(p.kind.rawValue), SQLBind(title),
                        SQLBind(p.riskFactor?.rawValue), SQLBind(p.templateID), SQLBind(Self.json(p.goals)), SQLBind(Self.json(p.tasks)),
                        SQLBind(p.start?.description), SQLBind(p.end?.description), SQLBind(now), SQLBind(actor.login))
                .run()
            var indicatorIDs: [Int] = []
            for indicator in draft.indicators {
                indicatorIDs.append(try await OporaDatabase.insertIndicator(conn, indicator, programmeID: id))
            }
            for (position, (measure, index)) in draft.measures.enumerated() {
                var m = measure
                m.indicatorID = index.map { indicatorIDs[$0] }
                _ = try await OporaDatabase.insertMeasure(conn, m, programmeID: id, position: position, actor: actor)
            }
            try await OporaDatabase.audit(conn, actor: actor, action: "programme.create", entity: "programme", entityID: String(id),
                                          before: nil, after: ["owner": "\(p.owner.kind):\(p.owner.id)", "kind": p.kind.rawValue, "title": title,
                                                               "measures": String(draft.measures.count), "template": p.templateID ?? ""])
            return id
        }
    }

    static func validate(_ m: Measure) throws {
        guard !m.title.trimmingCharacters(in: .whitespaces).isEmpty else { throw ProgrammeError(.invalid, "a measure needs a title", ru: "у мероприятия нет названия") }
        guard !m.responsible.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ProgrammeError(.invalid, "measure «\(m.title)» needs a responsible person or organisation", ru: "у мероприятия «\(m.title)» не указан ответственный")
        }
    }

    static func json(_ list: [String]) -> String {
        String(decoding: try! JSONEncoder().encode(list), as: UTF8.self)
    }
}

extension OporaDatabase {
    static func decodeProgramme(_ row: any SQLRow) throws -> Programme {
        func list(_ column: String) throws -> [String] {
            (try? JSONDecoder().decode([String].self, from: Data(try row.decode(column: column, as: String.self).utf8))) ?? []
        }
        let owner = ProgrammeOwner(kind: try row.decode(column: "owner_kind", as: String.self), id: try row.decode(column: "owner_id", as: String.self))
        return Programme(
            id: try row.decode(column: "id", as: Int.self), owner: owner ?? .school(""),
            kind: ProgrammeKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .roadmap,
            title: try row.decode(column: "title", as: String.self),
            riskFactor: try row.decode(column: "risk_factor", as: String?.self).flatMap(RiskFactor.init(rawValue:)),
            templateID: try row.decode(column: "template_id", as: String?.self),
            goals: try list("goals_json"), tasks: try list("tasks_json"),
            start: try row.decode(column: "start_day", as: String?.self).flatMap(Day.init),
            end: try row.decode(column: "end_day", as: String?.self).flatMap(Day.init))
    }
}
