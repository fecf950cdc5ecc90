import Foundation
import OporaCore
import Testing
@testable import OporaStore

/// A bcrypt-shaped hash: the store checks the prefix only; hashing is the web layer's job.
let fakeHash = "$2b$04$abcdefghijklmnopqrstuuJQq0a2Z3n6hM4yC9dQm8o5Vb1Xk2Yx7e"

@Suite("Accounts, sessions and API tokens on every backend")
struct AccountTests {
    @Test(arguments: Backend.available)
    func createsAccountsAndRefusesATakenLoginOrAMissingTerritory(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "test")
            let admin = try await db.createUser(UserRecord(login: "admin", passwordHash: fakeHash, role: .admin), actor: .commandLine)
            #expect(admin.id == 1)
            let coordinator = try await db.createUser(
                UserRecord(login: "mo", passwordHash: fakeHash, role: .municipality, territoryKind: .municipality, territory: "город Заречный"),
                actor: Actor(userID: admin.id, login: "admin"))
            let curator = try await db.createUser(
                UserRecord(login: "cur", passwordHash: fakeHash, role: .curator, curatedSchools: ["0201", "0101", "0101"]), actor: .commandLine)
            #expect(curator.curatedSchools == ["0101", "0201"])

            await #expect(throws: AccountError.self) {
                _ = try await db.createUser(UserRecord(login: "mo", passwordHash: fakeHash, role: .admin), actor: .commandLine)
            }
            await #expect(throws: AccountError.self) {
                _ = try await db.createUser(UserRecord(login: "x", passwordHash: fakeHash, role: .municipality), actor: .commandLine)
            }
            await #expect(throws: AccountError.self) {
                _ = try await db.createUser(UserRecord(login: "y", passwordHash: fakeHash, role: .school, territoryKind: .municipality,
                                                       territory: "город Заречный"), actor: .commandLine)
            }
            await #expect(throws: AccountError.self) {
                _ = try await db.createUser(UserRecord(login: "z", passwordHash: "plain text", role: .admin), actor: .commandLine)
            }

            #expect(try await db.users().map(\.login) == ["admin", "cur", "mo"])
            let read = try #require(try await db.user(login: "mo"))
            #expect(read == coordinator)
            #expect(try await db.user(id: curator.id)?.curatedSchools == ["0101", "0201"])
            #expect(try await db.user(login: "nobody") == nil)

            try await db.assignSchools(curatorID: curator.id, schools: ["0102"], actor: .commandLine)
            #expect(try await db.user(id: curator.id)?.curatedSchools == ["0102"])
            // The place of work and the schools together: a clash changes nothing.
            await #expect(throws: AccountError.self) {
                try await db.assignSchools(curatorID: curator.id, schools: ["0101", "0102"], staffSchool: "0101", actor: .commandLine)
            }
            #expect(try await db.user(id: curator.id)?.staffSchool == nil)

            // Every change is in the audit log, newest first, without password hashes.
            let log = try await db.auditLog()
            #expect(log.map(\.action) == ["user.assign", "user.create", "user.create", "user.create"])
            #expect(log[2].actor == "admin" && log[2].userID == admin.id && log[2].entityID == "mo")
            #expect(log.allSatisfy { !($0.afterJSON ?? "").contains("$2b$") })
            #expect(log[0].beforeJSON?.contains("0101,0201") == true)

            try await db.assignSchools(curatorID: curator.id, schools: ["0101"], staffSchool: "0201", actor: .commandLine)
            let moved = try #require(try await db.user(id: curator.id))
            #expect(moved.staffSchool == "0201" && moved.curatedSchools == ["0101"])
            // Keeping the place of work, 0201 cannot be added to the schools.
            await #expect(throws: AccountError.self) {
                try await db.assignSchools(curatorID: curator.id, schools: ["0101", "0201"], actor: .commandLine)
            }
        }
    }

    @Test(arguments: Backend.available)
    func sessionsAreFoundByHashExpireAndEndWithAPasswordChange(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            let user = try await db.createUser(UserRecord(login: "a", passwordHash: fakeHash, role: .admin), actor: .commandLine)
            let now = Date()
            let one = TokenHash.hex("session-one"), two = TokenHash.hex("session-two")
            try await db.saveSession(tokenHash: one, userID: user.id, csrfToken: "csrf1", expiresAt: now + 3600, now: now)
            try await db.saveSession(tokenHash: two, userID: user.id, csrfToken: "csrf2", expiresAt: now + 60, now: now)
            #expect(try await db.session(tokenHash: one, now: now)?.csrfToken == "csrf1")
            #expect(try await db.session(tokenHash: "unknown", now: now) == nil)
            // "Seen" is written at most once a minute: a read 30 s later keeps the first stamp, 90 s later moves it.
            let seen = try #require(try await db.session(tokenHash: one, now: now)?.lastSeenAt)
            #expect(try await db.session(tokenHash: one, now: now + 30)?.lastSeenAt == seen)
            #expect(try await db.session(tokenHash: one, now: now + 90)?.lastSeenAt ?? "" > seen)
            // Expired: gone, and deleted.
            #expect(try await db.session(tokenHash: two, now: now + 120) == nil)
            #expect(try await db.sessionCount(userID: user.id) == 1)

            try await db.saveSession(tokenHash: two, userID: user.id, csrfToken: "csrf2", expiresAt: now + 60, now: now)
            #expect(try await db.deleteExpiredSessions(now: now + 61) == 1)

            try await db.saveSession(tokenHash: two, userID: user.id, csrfToken: "csrf2", expiresAt: now + 600, now: now)
            try await db.setPassword(userID: user.id, passwordHash: fakeHash, keepingSession: two, actor: Actor(userID: user.id, login: "a"))
            #expect(try await db.session(tokenHash: one, now: now) == nil)
            #expect(try await db.session(tokenHash: two, now: now) != nil)
            try await db.deleteSession(tokenHash: two)
            #expect(try await db.sessionCount(userID: user.id) == 0)
            #expect(try await db.auditLog().first?.action == "user.password")

            try await db.saveSession(tokenHash: one, userID: user.id, csrfToken: "c", expiresAt: now + 600, now: now)
            try await db.setDisabled(userID: user.id, true, actor: .commandLine)
            #expect(try await db.user(id: user.id)?.disabled == true)
            #expect(try await db.sessionCount(userID: user.id) == 0)
        }
    }

    @Test(arguments: Backend.available)
    func apiTokensAreStoredAsHashesAndMarkedUsed(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            let user = try await db.createUser(UserRecord(login: "script", passwordHash: fakeHash, role: .region,
                                                          territoryKind: .region, territory: "Демонстрационная область"), actor: .commandLine)
            let token = Secret.make()
            #expect(token.count == 43)
            let id = try await db.createAPIToken(tokenHash: TokenHash.hex(token), userID: user.id, label: "nightly export", actor: .commandLine)
            #expect(try await db.apiTokens(userID: user.id).first?.lastUsedAt == nil)
            #expect(try await db.useAPIToken(tokenHash: TokenHash.hex(token)) == user.id)
            #expect(try await db.useAPIToken(tokenHash: TokenHash.hex(token + "x")) == nil)
            let stored = try await db.apiTokens(userID: user.id)
            #expect(stored.map(\.id) == [id])
            #expect(stored[0].label == "nightly export" && stored[0].lastUsedAt != nil)
            #expect(try await db.auditLog().first?.afterJSON?.contains(token) == false)
        }
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(TokenHash.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TokenHash.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenHash.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(TokenHash.hex(String(repeating: "a", count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Secret.make() != Secret.make())
    }
}

@Suite("Token hashing")
struct TokenHashTests {
    @Test func isSHA256InHex() {
        #expect(TokenHash.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(TokenHash.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func secretsAreURLSafe() {
        let secret = Secret.make()
        #expect(secret.count == 43)
        #expect(secret.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test func readAndWrittenLikeISO8601DateFormatter() {
        #expect(Timestamps.date("2026-11-25 22:41:19") == nil && Timestamps.date("2026-11-25T22:41:1xZ") == nil)
        for seconds in [0.0, 1_800_000_000, 1_764_110_479.9, 951_782_400] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.string(date) == ISO8601DateFormatter().string(from: date))
            #expect(Timestamps.date(Timestamp.string(date)) == ISO8601DateFormatter().date(from: Timestamp.string(date)))
        }
    }
}
