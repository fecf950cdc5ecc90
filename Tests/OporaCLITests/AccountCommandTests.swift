import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaCLI

/// `opora user add`, `opora token create` and the demo accounts, against a SQLite file.
@Suite("opora user, opora token, demo accounts")
struct AccountCommandTests {
    func withDatabase(_ body: (String, OporaDatabase) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("opora.sqlite").path
        let db = try await OporaDatabase.open(.sqlite(path: path))
        try await db.store(Dataset(schools: [
            School(id: "0101", name: "СОШ № 1", municipality: "город Заречный", region: "Демонстрационная область", settlement: .urban, kind: .general, students: 800),
            School(id: "0102", name: "СОШ № 2", municipality: "город Заречный", region: "Демонстрационная область", settlement: .urban, kind: .general, students: 500),
            School(id: "0103", name: "СОШ № 3", municipality: "город Заречный", region: "Демонстрационная область", settlement: .urban, kind: .general, students: 400),
            School(id: "0104", name: "СОШ № 4", municipality: "город Заречный", region: "Демонстрационная область", settlement: .urban, kind: .general, students: 300),
        ]), source: "test")
        do { try await body(path, db) } catch { await db.close(); throw error }
        await db.close()
    }

    @Test func addsAccountsCheckingTheirTerritory() async throws {
        try await withDatabase { path, db in
            let add = try #require(try Opora.parseAsRoot(["user", "add", "--db", path, "--login", "mo", "--role", "municipality",
                                                          "--territory", "город Заречный"]) as? UserCommand.Add)
            try await add.run()
            let user = try #require(try await db.user(login: "mo"))
            #expect(user.role == .municipality && user.territory == "город Заречный" && user.passwordHash.hasPrefix("$2b$12$"))

            let wrong = try #require(try Opora.parseAsRoot(["user", "add", "--db", path, "--login", "x", "--role", "school", "--territory", "9999"])
                                     as? UserCommand.Add)
            await #expect(throws: UserError.self) { try await wrong.run() }
            let role = try #require(try Opora.parseAsRoot(["user", "add", "--db", path, "--login", "y", "--role", "king"]) as? UserCommand.Add)
            await #expect(throws: UserError.self) { try await role.run() }
            #expect(try await db.user(login: "x") == nil)
            #expect(try await db.auditLog().map(\.action) == ["user.create"])
        }
    }

    @Test func createsATokenStoredOnlyAsADigest() async throws {
        try await withDatabase { path, db in
            let add = try #require(try Opora.parseAsRoot(["user", "add", "--db", path, "--login", "r", "--role", "region"]) as? UserCommand.Add)
            try await add.run()
            let token = try #require(try Opora.parseAsRoot(["token", "create", "--db", path, "--login", "r", "--label", "export"]) as? TokenCommand.Create)
            try await token.run()
            let user = try #require(try await db.user(login: "r"))
            #expect(user.territory == "Демонстрационная область")
            #expect(try await db.apiTokens(userID: user.id).map(\.label) == ["export"])
            let missing = try #require(try Opora.parseAsRoot(["token", "create", "--db", path, "--login", "nobody"]) as? TokenCommand.Create)
            await #expect(throws: UserError.self) { try await missing.run() }
        }
    }

    @Test func theDemoCreatesOneAccountPerRole() async throws {
        try await withDatabase { _, db in
            try await DemoCommand.createAccounts(in: db, password: "demo password")
            let users = try await db.users()
            #expect(users.map(\.login) == ["admin", "curator", "municipality", "region", "school", "viewer"])
            let byLogin = Dictionary(uniqueKeysWithValues: users.map { ($0.login, $0) })
            #expect(byLogin["curator"]?.curatedSchools == ["0101", "0102", "0103"])
            #expect(byLogin["school"]?.territory == "0101")
            #expect(byLogin["municipality"]?.territory == "город Заречный")
            #expect(byLogin["region"]?.territory == "Демонстрационная область")
            #expect(byLogin["viewer"]?.territoryKind == .municipality)
            await #expect(throws: UserError.self) { try await DemoCommand.createAccounts(in: db, password: "short") }
        }
    }
}
