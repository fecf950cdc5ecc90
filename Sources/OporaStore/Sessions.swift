import Foundation
import SQLKit

/// A signed-in browser. The row is found by the SHA-256 of the session id the cookie carries.
public struct SessionRecord: Sendable, Equatable {
    public var tokenHash: String
    public var userID: Int
    public var csrfToken: String
    public var createdAt: String
    public var expiresAt: String
    public var lastSeenAt: String
}

/// A bearer token for scripts, without the token itself.
public struct APITokenRecord: Sendable, Equatable {
    public var id: Int
    public var userID: Int
    public var label: String
    public var createdAt: String
    public var lastUsedAt: String?
}

extension OporaDatabase {
    /// Stores a session (by the hash of its id) or replaces its CSRF token and expiry.
    public func saveSession(tokenHash: String, userID: Int, csrfToken: String, expiresAt: Date, now: Date = Date()) async throws {
        try await withConnection { conn in
            let stamp = Timestamp.string(now)
            try await conn.sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
            try await conn.sql.insert(into: "sessions")
                .columns("token_hash", "user_id", "csrf_token", "created_at", "expires_at", "last_seen_at")
                .values(SQLBind(tokenHash), SQLBind(userID), SQLBind(csrfToken), SQLBind(stamp),
                        SQLBind(Timestamp.string(expiresAt)), SQLBind(stamp))
                .run()
        }
    }

    /// How stale `last_seen_at` may be before a request writes it again.
    public static let lastSeenPrecision: TimeInterval = 60

    /// The live session with this hash: `nil` when unknown or expired (an expired one is deleted).
    /// Marks it seen at `now`.
    public func session(tokenHash: String, now: Date = Date()) async throws -> SessionRecord? {
        try await withConnection { conn in
            guard let row = try await conn.sql.select().column("*").from("sessions").where("token_hash", .equal, tokenHash).first() else {
                return nil
            }
            let stamp = Timestamp.string(now)
            let expires = try row.decode(column: "expires_at", as: String.self)
            guard expires > stamp else {
                try await conn.sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
                return nil
            }
            // Every request reads the session; writing "seen" once a minute is precise enough and keeps
            // busy pages from turning every read into a write.
            let seen = try row.decode(column: "last_seen_at", as: String?.self) ?? ""
            var lastSeen = seen
            if seen < Timestamp.string(now - Self.lastSeenPrecision) {
                try await conn.sql.update("sessions").set("last_seen_at", to: SQLBind(stamp)).where("token_hash", .equal, tokenHash).run()
                lastSeen = stamp
            }
            return SessionRecord(
                tokenHash: tokenHash, userID: try row.decode(column: "user_id", as: Int.self),
                csrfToken: try row.decode(column: "csrf_token", as: String.self),
                createdAt: try row.decode(column: "created_at", as: String.self), expiresAt: expires, lastSeenAt: lastSeen)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await withConnection { conn in
            try await conn.sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
        }
    }

    /// Removes expired sessions; returns how many.
    @discardableResult
    public func deleteExpiredSessions(now: Date = Date()) async throws -> Int {
        try await withConnection { conn in
            let stamp = Timestamp.string(now)
            let n = try await conn.sql.raw("SELECT COUNT(*) AS n FROM sessions WHERE expires_at <= \(bind: stamp)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
            try await conn.sql.delete(from: "sessions").where("expires_at", .lessThanOrEqual, stamp).run()
            return n
        }
    }

    public func sessionCount(userID: Int) async throws -> Int {
        try await withConnection { conn in
            try await conn.sql.raw("SELECT COUNT(*) AS n FROM sessions WHERE user_id = \(bind: userID)")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// Stores a new API token by its hash and logs its creation; returns its id.
    public func createAPIToken(tokenHash: String, userID: Int, label: String, actor: Actor) async throws -> Int {
        try await writeTransaction { conn in
            guard let row = try await conn.sql.select().column("login").from("users").where("id", .equal, userID).first() else {
                throw AccountError(.notFound, "no account \(userID)", ru: "нет учётной записи \(userID)")
            }
            let login = try row.decode(column: "login", as: String.self)
            let id = try await Self.nextID(conn, table: "api_tokens")
            try await conn.sql.insert(into: "api_tokens").columns("id", "token_hash", "user_id", "label", "created_at")
                .values(SQLBind(id), SQLBind(tokenHash), SQLBind(userID), SQLBind(label), SQLBind(Timestamp.now())).run()
            try await Self.audit(conn, actor: actor, action: "token.create", entity: "api_token", entityID: String(id),
                                 before: nil, after: ["login": login, "label": label])
            return id
        }
    }

    /// The account id of a token, marking it used; `nil` for an unknown token.
    public func useAPIToken(tokenHash: String, now: Date = Date()) async throws -> Int? {
        try await withConnection { conn in
            guard let row = try await conn.sql.select().column("user_id").from("api_tokens").where("token_hash", .equal, tokenHash).first() else {
                return nil
            }
            try await conn.sql.update("api_tokens").set("last_used_at", to: SQLBind(Timestamp.string(now)))
                .where("token_hash", .equal, tokenHash).run()
            return try row.decode(column: "user_id", as: Int.self)
        }
    }

    public func apiTokens(userID: Int) async throws -> [APITokenRecord] {
        try await withConnection { conn in
            try await conn.sql.select().column("*").from("api_tokens").where("user_id", .equal, userID).orderBy("id").all().map { row in
                APITokenRecord(id: try row.decode(column: "id", as: Int.self), userID: userID,
                               label: try row.decode(column: "label", as: String.self),
                               createdAt: try row.decode(column: "created_at", as: String.self),
                               lastUsedAt: try row.decode(column: "last_used_at", as: String?.self))
            }
        }
    }
}
