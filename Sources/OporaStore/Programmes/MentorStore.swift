import Foundation
import OporaCore
import SQLKit

/// A mentor or methodologist assigned to a school (curators with accounts are in curator_assignments).
/// `staffSchool` is where the person works: never the school they support.
public struct Mentor: Sendable, Equatable, Codable {
    public var id: Int
    public var schoolID: String
    public var name: String
    /// «наставник», «методист», «тьютор»…
    public var role: String
    public var staffSchool: String?
    public var since: Day

    public init(id: Int = 0, schoolID: String, name: String, role: String, staffSchool: String? = nil, since: Day) {
        self.id = id
        self.schoolID = schoolID
        self.name = name
        self.role = role
        self.staffSchool = staffSchool
        self.since = since
    }
}

extension ScopedStore {
    public func mentors(schoolID: String) async throws -> [Mentor]? {
        guard try await school(id: schoolID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("mentors").where("school_id", .equal, schoolID).orderBy("id").all().map { row in
                Mentor(id: try row.decode(column: "id", as: Int.self), schoolID: schoolID, name: try row.decode(column: "name", as: String.self),
                       role: try row.decode(column: "role", as: String.self), staffSchool: try row.decode(column: "staff_school", as: String?.self),
                       since: Day(try row.decode(column: "since", as: String.self)) ?? Day(year: 2000, month: 1, day: 1))
            }
        }
    }

    public func addMentor(_ mentor: Mentor, actor: Actor) async throws -> Mentor {
        guard try await school(id: mentor.schoolID) != nil else { throw ProgrammeError(.notFound, "no school \(mentor.schoolID)", ru: "нет школы \(mentor.schoolID)") }
        guard !mentor.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ProgrammeError(.invalid, "a mentor needs a name", ru: "у наставника нет имени") }
        if mentor.staffSchool == mentor.schoolID {
            throw ProgrammeError(.invalid, "\(mentor.name) works at school \(mentor.schoolID) and cannot mentor it (conflict of interest)", ru: "\(mentor.name) работает в школе \(mentor.schoolID) и не может быть её наставником (конфликт интересов)")
        }
        return try await database.writeTransaction { conn in
            var stored = mentor
            stored.id = try await OporaDatabase.nextID(conn, table: "mentors")
            try await conn.sql.insert(into: "mentors").columns("id", "school_id", "name", "role", "staff_school", "since", "created_by")
                .values(SQLBind(stored.id), SQLBind(mentor.schoolID), SQLBind(mentor.name), SQLBind(mentor.role), SQLBind(mentor.staffSchool),
                        SQLBind(mentor.since.description), SQLBind(actor.login)).run()
            try await OporaDatabase.audit(conn, actor: actor, action: "mentor.assign", entity: "school", entityID: mentor.schoolID, before: nil,
                                          after: ["name": mentor.name, "role": mentor.role, "staff_school": mentor.staffSchool ?? ""])
            return stored
        }
    }
}
