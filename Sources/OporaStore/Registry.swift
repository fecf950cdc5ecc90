import Foundation
import OporaCore
import SQLKit

/// A school in the registry of supported schools (реестр).
public struct RegistryEntry: Sendable, Equatable, Codable {
    public var schoolID: String
    public var category: SupportCategory
    public var reason: String
    /// `YYYY-MM-DD`.
    public var startDate: String
    /// The responsible coordinator, as a name (the person need not have an account).
    public var coordinator: String
    public var status: RegistryStatus
    public var updatedAt: String
    public var updatedBy: String

    public init(schoolID: String, category: SupportCategory, reason: String, startDate: String, coordinator: String,
                status: RegistryStatus = .included, updatedAt: String = "", updatedBy: String = "") {
        self.schoolID = schoolID
        self.category = category
        self.reason = reason
        self.startDate = startDate
        self.coordinator = coordinator
        self.status = status
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    var auditView: [String: String] {
        ["school_id": schoolID, "category": category.rawValue, "reason": reason, "start_date": startDate,
         "coordinator": coordinator, "status": status.rawValue]
    }
}

/// One change of a registry entry: the state after it, who made it, and why.
public struct RegistryChange: Sendable, Equatable, Codable {
    public var id: Int
    public var schoolID: String
    public var changedAt: String
    public var changedBy: String
    public var category: SupportCategory
    public var reason: String
    public var startDate: String
    public var coordinator: String
    public var status: RegistryStatus
    public var note: String
}

public struct RegistryError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        /// No such school in the caller's territory, or no entry for it.
        case notFound = "not_found"
        case alreadyIncluded = "already_included"
        /// The status cannot go from the present one to the one asked.
        case transition
        /// The entry already is as asked.
        case unchanged
        case invalid
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
    /// The registry of the scope's schools, by municipality and school.
    public func registry() async throws -> [RegistryEntry] {
        try await database.withConnection { [scope] conn in
            var sql = SQLQueryString("SELECT r.* FROM registry r JOIN schools s ON s.id = r.school_id WHERE ")
            sql += scope.condition(alias: "s")
            sql.appendInterpolation(unsafeRaw: " ORDER BY s.municipality, s.id")
            return try await conn.sql.raw(sql).all().map(OporaDatabase.decodeRegistryEntry)
        }
    }

    /// The entry of a school in scope; `nil` when the school is outside the scope or not in the registry.
    public func registryEntry(schoolID: String) async throws -> RegistryEntry? {
        guard try await school(id: schoolID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("registry").where("school_id", .equal, schoolID).first()
                .map(OporaDatabase.decodeRegistryEntry)
        }
    }

    /// Every change of a school's entry, oldest first; `nil` outside the scope.
    public func registryHistory(schoolID: String) async throws -> [RegistryChange]? {
        guard try await school(id: schoolID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("registry_history").where("school_id", .equal, schoolID).orderBy("id").all().map { row in
                RegistryChange(
                    id: try row.decode(column: "id", as: Int.self), schoolID: schoolID,
                    changedAt: try row.decode(column: "changed_at", as: String.self),
                    changedBy: try row.decode(column: "changed_by", as: String.self),
                    category: SupportCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .lowResults,
                    reason: try row.decode(column: "reason", as: String.self),
                    startDate: try row.decode(column: "start_date", as: String.self),
                    coordinator: try row.decode(column: "coordinator", as: String.self),
                    status: RegistryStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .included,
                    note: try row.decode(column: "note", as: String.self))
            }
        }
    }

    /// Includes a school of the scope (again, after it exited), with a history row and an audit entry.
    public func include(_ entry: RegistryEntry, note: String = "", actor: Actor) async throws -> RegistryEntry {
        guard try await school(id: entry.schoolID) != nil else { throw RegistryError(.notFound, "no school \(entry.schoolID)", ru: "нет школы \(entry.schoolID)") }
        try Self.validate(entry)
        return try await database.writeTransaction { conn in
            let existing = try await conn.sql.select().column("*").from("registry").where("school_id", .equal, entry.schoolID).first()
                .map(OporaDatabase.decodeRegistryEntry)
            if let existing, existing.status != .exited {
                throw RegistryError(.alreadyIncluded, "school \(entry.schoolID) is already in the registry", ru: "школа \(entry.schoolID) уже в реестре")
            }
            var stored = entry
            stored.status = .included
            stored.updatedAt = Timestamp.now()
            stored.updatedBy = actor.login
            if existing != nil {
                try await conn.sql.delete(from: "registry").where("school_id", .equal, entry.schoolID).run()
            }
            try await conn.sql.insert(into: "registry")
                .columns("school_id", "category", "reason", "start_date", "coordinator", "status", "updated_at", "updated_by")
                .values(SQLBind(stored.schoolID), SQLBind(stored.category.rawValue), SQLBind(stored.reason), SQLBind(stored.startDate),
                        SQLBind(stored.coordinator), SQLBind(stored.status.rawValue), SQLBind(stored.updatedAt), SQLBind(stored.updatedBy))
                .run()
            try await OporaDatabase.recordHistory(conn, stored, note: note)
            try await OporaDatabase.audit(conn, actor: actor, action: "registry.include", entity: "registry", entityID: entry.schoolID,
                                          before: existing?.auditView, after: stored.auditView)
            return stored
        }
    }

    /// Changes the status (and, when given, the reason or coordinator) of a school's entry.
    public func changeStatus(schoolID: String, to status: RegistryStatus, reason: String? = nil, coordinator: String? = nil,
                             note: String = "", actor: Actor) async throws -> RegistryEntry {
        guard try await school(id: schoolID) != nil else { throw RegistryError(.notFound, "no school \(schoolID)", ru: "нет школы \(schoolID)") }
        return try await database.writeTransaction { conn in
            guard let before = try await conn.sql.select().column("*").from("registry").where("school_id", .equal, schoolID).first()
                .map(OporaDatabase.decodeRegistryEntry) else {
                throw RegistryError(.notFound, "school \(schoolID) is not in the registry", ru: "школы \(schoolID) нет в реестре")
            }
            if status != before.status, !before.status.allowedNext.contains(status) {
                throw RegistryError(.transition, "the status cannot change from \(before.status.rawValue) to \(status.rawValue)", ru: "статус нельзя сменить с «\(before.status.name.ru)» на «\(status.name.ru)»")
            }
            var after = before
            after.status = status
            if let reason { after.reason = reason }
            if let coordinator { after.coordinator = coordinator }
            try Self.validate(after)
            guard after.auditView != before.auditView else { throw RegistryError(.unchanged, "nothing changes", ru: "ничего не меняется") }
            after.updatedAt = Timestamp.now()
            after.updatedBy = actor.login
            try await conn.sql.update("registry").set("status", to: SQLBind(after.status.rawValue)).set("reason", to: SQLBind(after.reason))
                .set("coordinator", to: SQLBind(after.coordinator)).set("updated_at", to: SQLBind(after.updatedAt))
                .set("updated_by", to: SQLBind(after.updatedBy)).where("school_id", .equal, schoolID).run()
            try await OporaDatabase.recordHistory(conn, after, note: note)
            try await OporaDatabase.audit(conn, actor: actor, action: "registry.status", entity: "registry", entityID: schoolID,
                                          before: before.auditView, after: after.auditView)
            return after
        }
    }

    static func validate(_ entry: RegistryEntry) throws {
        guard !entry.reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw RegistryError(.invalid, "a reason is required", ru: "нужно указать основание") }
        guard !entry.coordinator.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw RegistryError(.invalid, "a responsible coordinator is required", ru: "нужно указать ответственного координатора")
        }
        guard entry.startDate.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
            throw RegistryError(.invalid, "the start date is YYYY-MM-DD", ru: "дата начала — в виде ГГГГ-ММ-ДД")
        }
    }
}

extension OporaDatabase {
    static func recordHistory(_ conn: Connection, _ entry: RegistryEntry, note: String) async throws {
        let id = try await nextID(conn, table: "registry_history")
        try await conn.sql.insert(into: "registry_history")
            .columns("id", "school_id", "changed_at", "changed_by", "category", "reason", "start_date", "coordinator", "status", "note")
            .values(SQLBind(id), SQLBind(entry.schoolID), SQLBind(entry.updatedAt), SQLBind(entry.updatedBy), SQLBind(entry.category.rawValue),
                    SQLBind(entry.reason), SQLBind(entry.startDate), SQLBind(entry.coordinator), SQLBind(entry.status.rawValue), SQLBind(note))
            .run()
    }

    static func decodeRegistryEntry(_ row: any SQLRow) throws -> RegistryEntry {
        RegistryEntry(
            schoolID: try row.decode(column: "school_id", as: String.self),
            category: SupportCategory(rawValue: try row.decode(column: "category", as: String.self)) ?? .lowResults,
            reason: try row.decode(column: "reason", as: String.self),
            startDate: try row.decode(column: "start_date", as: String.self),
            coordinator: try row.decode(column: "coordinator", as: String.self),
            status: RegistryStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .included,
            updatedAt: try row.decode(column: "updated_at", as: String.self),
            updatedBy: try row.decode(column: "updated_by", as: String.self))
    }
}
