import Foundation
import Hummingbird
import OporaStore

/// HummingbirdAuth's `SessionMiddleware` keeps sessions in a `PersistDriver`; this one is the
/// `sessions` table, so sessions survive a restart and are shared by several server processes.
/// Keys (the session ids from the cookie) are stored as SHA-256 digests only. It stores `WebSession`
/// values and nothing else.
struct SessionTableDriver: PersistDriver {
    let database: OporaDatabase
    let now: @Sendable () -> Date

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try await set(key: key, value: value, expires: expires)
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        guard let session = value as? WebSession else { throw PersistError.invalidConversion }
        let hash = TokenHash.hex(key)
        let current = now()
        let expiresAt: Date
        if let expires {
            expiresAt = current + expires.timeInterval
        } else if let existing = try await database.session(tokenHash: hash, now: current), let date = Self.date(existing.expiresAt) {
            expiresAt = date  // "nil keeps the original expiry"
        } else {
            expiresAt = current + 3600
        }
        try await database.saveSession(tokenHash: hash, userID: session.userID, csrfToken: session.csrf, expiresAt: expiresAt, now: current)
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let current = now()
        guard let record = try await database.session(tokenHash: TokenHash.hex(key), now: current) else { return nil }
        guard let object = WebSession(userID: record.userID, csrf: record.csrfToken) as? Object else {
            throw PersistError.invalidConversion
        }
        let ttl = Self.date(record.expiresAt).map { Duration.seconds(max(0, Int($0.timeIntervalSince(current)))) }
        return (object, ttl)
    }

    func remove(key: String) async throws {
        try await database.deleteSession(tokenHash: TokenHash.hex(key))
    }

    static func date(_ stamp: String) -> Date? { Timestamps.date(stamp) }
}
