import Foundation
import SQLKit

/// One change: who, when, what, and the entity before and after (JSON objects, `nil` when there is none).
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int
    public var at: String
    public var userID: Int?
    public var actor: String
    public var action: String
    public var entity: String
    public var entityID: String?
    public var beforeJSON: String?
    public var afterJSON: String?
}

extension OporaDatabase {
    /// The newest entries first.
    public func auditLog(limit: Int = 200, offset: Int = 0) async throws -> [AuditEntry] {
        try await withConnection { conn in
            try await conn.sql.select().column("*").from("audit_log").orderBy("id", .descending).limit(limit).offset(offset).all().map { row in
                AuditEntry(id: try row.decode(column: "id", as: Int.self), at: try row.decode(column: "at", as: String.self),
                           userID: try row.decode(column: "user_id", as: Int?.self), actor: try row.decode(column: "actor", as: String.self),
                           action: try row.decode(column: "action", as: String.self), entity: try row.decode(column: "entity", as: String.self),
                           entityID: try row.decode(column: "entity_id", as: String?.self),
                           beforeJSON: try row.decode(column: "before_json", as: String?.self),
                           afterJSON: try row.decode(column: "after_json", as: String?.self))
            }
        }
    }

    /// Written in the same transaction as the change it records: a change without its entry cannot happen.
    static func audit(_ conn: Connection, actor: Actor, action: String, entity: String, entityID: String?,
                      before: [String: String]?, after: [String: String]?) async throws {
        let id = try await nextID(conn, table: "audit_log")
        try await conn.sql.insert(into: "audit_log")
            .columns("id", "at", "user_id", "actor", "action", "entity", "entity_id", "before_json", "after_json")
            .values(SQLBind(id), SQLBind(Timestamp.now()), SQLBind(actor.userID), SQLBind(actor.login), SQLBind(action),
                    SQLBind(entity), SQLBind(entityID), SQLBind(before.map(json)), SQLBind(after.map(json)))
            .run()
    }

    static func json(_ object: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(object), as: UTF8.self)) ?? "{}"
    }
}
