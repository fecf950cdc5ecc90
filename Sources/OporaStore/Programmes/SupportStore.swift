import Foundation
import OporaCore
import SQLKit

/// A methodological event or a curator's visit.
public struct SupportEvent: Sendable, Equatable, Codable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case seminar
        case masterClass = "master_class"
        case consultation, visit
        case openLesson = "open_lesson"

        public var name: LocalizedText {
            switch self {
            case .seminar: LocalizedText(ru: "семинар", en: "seminar")
            case .masterClass: LocalizedText(ru: "мастер-класс", en: "master class")
            case .consultation: LocalizedText(ru: "консультация", en: "consultation")
            case .visit: LocalizedText(ru: "визит куратора", en: "curator's visit")
            case .openLesson: LocalizedText(ru: "открытый урок", en: "open lesson")
            }
        }
    }

    public var id: Int
    public var municipality: String
    /// `nil` for a municipal event (several schools take part).
    public var schoolID: String?
    public var kind: Kind
    public var day: Day
    public var topic: String
    public var participants: String
    public var outcome: String
    public var createdBy: String

    public init(id: Int = 0, municipality: String, schoolID: String?, kind: Kind, day: Day, topic: String, participants: String = "",
                outcome: String = "", createdBy: String = "") {
        self.id = id
        self.municipality = municipality
        self.schoolID = schoolID
        self.kind = kind
        self.day = day
        self.topic = topic
        self.participants = participants
        self.outcome = outcome
        self.createdBy = createdBy
    }
}

/// A supported school paired with a school whose results are higher (seed 002 lists five pairs).
public struct PartnerPair: Sendable, Equatable, Codable {
    public var supportedSchool: String
    public var partnerSchool: String
    public var since: Day
    public var note: String

    public init(supportedSchool: String, partnerSchool: String, since: Day, note: String = "") {
        self.supportedSchool = supportedSchool
        self.partnerSchool = partnerSchool
        self.since = since
        self.note = note
    }
}

extension ScopedStore {
    /// Events of a school (its own and, with `municipal`, its municipality's), newest first; `nil` outside the scope.
    public func events(schoolID: String, municipal: Bool = true) async throws -> [SupportEvent]? {
        guard let school = try await school(id: schoolID) else { return nil }
        return try await database.withConnection { conn in
            var sql = SQLQueryString("SELECT * FROM support_events WHERE school_id = ")
            sql.appendInterpolation(bind: schoolID)
            if municipal {
                sql.appendInterpolation(unsafeRaw: " OR (school_id IS NULL AND municipality = ")
                sql.appendInterpolation(bind: school.municipality)
                sql.appendInterpolation(unsafeRaw: ")")
            }
            sql.appendInterpolation(unsafeRaw: " ORDER BY day DESC, id DESC")
            return try await conn.sql.raw(sql).all().map(OporaDatabase.decodeEvent)
        }
    }

    /// Every event of the scope's schools and municipalities, newest first.
    public func allEvents() async throws -> [SupportEvent] {
        let ids = try await schoolIDs()
        let all = try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("support_events").orderBy("day", .descending).orderBy("id", .descending).all()
                .map(OporaDatabase.decodeEvent)
        }
        var out: [SupportEvent] = []
        for e in all {
            if let s = e.schoolID { if ids.contains(s) { out.append(e) } } else if try await owns(.municipality(e.municipality)) { out.append(e) }
        }
        return out
    }

    public func addEvent(_ event: SupportEvent, actor: Actor) async throws -> SupportEvent {
        var e = event
        if let schoolID = event.schoolID {
            guard let school = try await school(id: schoolID) else { throw ProgrammeError(.notFound, "no school \(schoolID)", ru: "нет школы \(schoolID)") }
            e.municipality = school.municipality
        } else {
            guard try await owns(.municipality(event.municipality)) else { throw ProgrammeError(.notFound, "no municipality \(event.municipality)", ru: "нет муниципалитета \(event.municipality)") }
        }
        guard !e.topic.trimmingCharacters(in: .whitespaces).isEmpty else { throw ProgrammeError(.invalid, "an event needs a topic", ru: "у мероприятия нет темы") }
        return try await database.writeTransaction { [e] conn in
            var stored = e
            stored.id = try await OporaDatabase.nextID(conn, table: "support_events")
            stored.createdBy = actor.login
            try await conn.sql.insert(into: "support_events")
                .columns("id", "municipality", "school_id", "kind", "day", "topic", "participants", "outcome", "created_at", "created_by")
                .values(SQLBind(stored.id), SQLBind(e.municipality), SQLBind(e.schoolID), SQLBind(e.kind.rawValue), SQLBind(e.day.description),
                        SQLBind(e.topic), SQLBind(e.participants), SQLBind(e.outcome), SQLBind(Timestamp.now()), SQLBind(actor.login)).run()
            try await OporaDatabase.audit(conn, actor: actor, action: "event.create", entity: "event", entityID: String(stored.id), before: nil,
                                          after: ["kind": e.kind.rawValue, "day": e.day.description, "topic": e.topic, "school": e.schoolID ?? ""])
            return stored
        }
    }

    /// Pairs in which a school of the scope is the supported one.
    public func partnerPairs() async throws -> [PartnerPair] {
        let ids = try await schoolIDs()
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("partner_pairs").orderBy("supported_school").all().map(OporaDatabase.decodePair)
        }.filter { ids.contains($0.supportedSchool) }
    }

    /// Pairs a supported school of the scope with a partner (which may be in another municipality).
    public func addPartnerPair(_ pair: PartnerPair, actor: Actor) async throws {
        guard try await school(id: pair.supportedSchool) != nil else { throw ProgrammeError(.notFound, "no school \(pair.supportedSchool)", ru: "нет школы \(pair.supportedSchool)") }
        guard pair.supportedSchool != pair.partnerSchool else { throw ProgrammeError(.invalid, "a school cannot partner itself", ru: "школа не может быть партнёром самой себе") }
        guard try await database.school(id: pair.partnerSchool) != nil else { throw ProgrammeError(.invalid, "no school \(pair.partnerSchool)", ru: "нет школы \(pair.partnerSchool)") }
        try await database.writeTransaction { conn in
            try await conn.sql.delete(from: "partner_pairs").where("supported_school", .equal, pair.supportedSchool)
                .where("partner_school", .equal, pair.partnerSchool).run()
            try await conn.sql.insert(into: "partner_pairs").columns("supported_school", "partner_school", "since", "note", "created_by")
                .values(SQLBind(pair.supportedSchool), SQLBind(pair.partnerSchool), SQLBind(pair.since.description), SQLBind(pair.note),
                        SQLBind(actor.login)).run()
            try await OporaDatabase.audit(conn, actor: actor, action: "partner.pair", entity: "school", entityID: pair.supportedSchool, before: nil,
                                          after: ["partner": pair.partnerSchool, "since": pair.since.description])
        }
    }
}

extension OporaDatabase {
    static func decodeEvent(_ row: any SQLRow) throws -> SupportEvent {
        SupportEvent(
            id: try row.decode(column: "id", as: Int.self), municipality: try row.decode(column: "municipality", as: String.self),
            schoolID: try row.decode(column: "school_id", as: String?.self),
            kind: SupportEvent.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .consultation,
            day: Day(try row.decode(column: "day", as: String.self)) ?? Day(year: 2000, month: 1, day: 1),
            topic: try row.decode(column: "topic", as: String.self), participants: try row.decode(column: "participants", as: String.self),
            outcome: try row.decode(column: "outcome", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self))
    }

    static func decodePair(_ row: any SQLRow) throws -> PartnerPair {
        PartnerPair(supportedSchool: try row.decode(column: "supported_school", as: String.self),
                    partnerSchool: try row.decode(column: "partner_school", as: String.self),
                    since: Day(try row.decode(column: "since", as: String.self)) ?? Day(year: 2000, month: 1, day: 1),
                    note: try row.decode(column: "note", as: String.self))
    }
}
