import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

/// Every role × every kind of resource × {own territory, another territory} × {read, write}.
/// 200/201 allowed; 404 outside the territory (exactly as for a missing thing); 403 inside the
/// territory when the role may not. Requests use each account's bearer token (the scoping is the
/// same for sessions; a session-based spot check closes the file).
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var login: String
        /// A school inside the account's territory, one outside, and an included-in-registry school inside.
        var own: String, other: String
        var mayWriteRegistry: Bool
        var isAdmin: Bool
        var testDescription: String { login }
    }

    // Admin sees everything: its "other territory" is the neighbouring region, still allowed.
    static let rows: [Row] = [
        Row(login: "admin", own: "0101", other: "0901", mayWriteRegistry: true, isAdmin: true),
        Row(login: "region", own: "0101", other: "0901", mayWriteRegistry: true, isAdmin: false),
        Row(login: "municipality", own: "0101", other: "0201", mayWriteRegistry: true, isAdmin: false),
        Row(login: "curator", own: "0101", other: "0201", mayWriteRegistry: false, isAdmin: false),
        Row(login: "school", own: "0101", other: "0201", mayWriteRegistry: false, isAdmin: false),
        Row(login: "viewer", own: "0101", other: "0201", mayWriteRegistry: false, isAdmin: false),
    ]

    @Test(arguments: rows)
    func matrix(_ row: Row) async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let token = f.tokens[row.login]!
                func call(_ uri: String, _ method: HTTPRequest.Method = .get, _ json: String? = nil) async throws -> HTTPResponse.Status {
                    var headers: HTTPFields = [.authorization: "Bearer \(token)"]
                    if json != nil { headers[.contentType] = "application/json" }
                    return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }).status
                }
                let outside: HTTPResponse.Status = row.isAdmin ? .ok : .notFound
                let writeInside: HTTPResponse.Status = row.mayWriteRegistry ? .ok : .forbidden

                // School: read.
                #expect(try await call("/api/v1/schools/\(row.own)") == .ok)
                #expect(try await call("/api/v1/schools/\(row.other)") == outside)
                #expect(try await call("/api/v1/schools/no-such-school") == .notFound)
                let list = try await client.execute(uri: "/api/v1/schools", method: .get, headers: [.authorization: "Bearer \(token)"])
                let ids = String(buffer: list.body)
                #expect(ids.contains("\"id\":\"\(row.own)\""))
                #expect(ids.contains("\"id\":\"\(row.other)\"") == row.isAdmin)

                // Registry entry: read, write (status change), write (include).
                #expect(try await call("/api/v1/registry/\(row.own)") == .ok)
                #expect(try await call("/api/v1/registry/\(row.other)") == outside)
                #expect(try await call("/api/v1/registry/\(row.own)", .patch, #"{"status":"in_programme"}"#) == writeInside)
                // A role that may never write the registry is refused before any school is looked up (the same 403 for
                // every address, so nothing leaks); one that may is told 404 outside its territory.
                #expect(try await call("/api/v1/registry/\(row.other)", .patch, #"{"status":"in_programme"}"#)
                        == (row.isAdmin ? .ok : (row.mayWriteRegistry ? .notFound : .forbidden)))
                let include = #"{"school_id":"0102","category":"low_results","reason":"ВПР 2025","start_date":"2025-09-01","coordinator":"Петров П. П."}"#
                #expect(try await call("/api/v1/registry", .post, include) == (row.mayWriteRegistry ? .created : .forbidden))
                if !row.isAdmin {
                    #expect(try await call("/api/v1/registry", .post, include.replacingOccurrences(of: "0102", with: row.other))
                            == (row.mayWriteRegistry ? .notFound : .forbidden))
                }
                let registry = String(buffer: try await client.execute(uri: "/api/v1/registry", method: .get, headers: [.authorization: "Bearer \(token)"]).body)
                #expect(registry.contains("\"school_id\":\"\(row.other)\"") == row.isAdmin)

                // Identification run: read (the school's flags), and the run itself filtered.
                #expect(try await call("/api/v1/identification/runs/\(f.runID)/schools/\(row.own)") == .ok)
                #expect(try await call("/api/v1/identification/runs/\(f.runID)/schools/\(row.other)") == outside)
                #expect(try await call("/api/v1/identification/runs/\(f.runID + 1)") == .notFound)
                let run = String(buffer: try await client.execute(uri: "/api/v1/identification/runs/\(f.runID)", method: .get,
                                                                 headers: [.authorization: "Bearer \(token)"]).body)
                #expect(run.contains("\"school_id\":\"\(row.own)\""))
                #expect(run.contains("\"school_id\":\"\(row.other)\"") == row.isAdmin)
                // Running identification (a page, POST /identification/run) follows the policy; PageTests try it.
                #expect(Policy.allows(Role(rawValue: row.login)!, .runIdentification) == ["admin", "region"].contains(row.login))

                // Audit log: admins only; nobody writes it through the API.
                #expect(try await call("/api/v1/audit") == (row.isAdmin ? .ok : .forbidden))
                #expect([.notFound, .methodNotAllowed].contains(try await call("/api/v1/audit", .post, "{}")))

                // Users: read and write, admins only (whatever the territory of the new account).
                #expect(try await call("/api/v1/users") == (row.isAdmin ? .ok : .forbidden))
                let newUser = #"{"login":"new-\#(row.login)","role":"school","territory":"\#(row.own)","password":"long enough 1"}"#
                #expect(try await call("/api/v1/users", .post, newUser) == (row.isAdmin ? .created : .forbidden))
                let newOther = #"{"login":"new2-\#(row.login)","role":"school","territory":"\#(row.other)","password":"long enough 1"}"#
                #expect(try await call("/api/v1/users", .post, newOther) == (row.isAdmin ? .created : .forbidden))
                if row.isAdmin {
                    // What the schema cannot say: a territory the data does not have is a conflict, not a malformed request.
                    let nowhere = #"{"login":"new3","role":"municipality","territory":"Нет такого района","password":"long enough 1"}"#
                    #expect(try await call("/api/v1/users", .post, nowhere) == .conflict)
                    #expect(try await call("/api/v1/users", .post, nowhere.replacingOccurrences(of: "new3", with: "new 3")) == .badRequest)
                    #expect(try await call("/api/v1/audit?limit=null") == .badRequest)
                    #expect(try await call("/api/v1/audit?limit=5") == .ok)
                }
            }
            // Only allowed writes reached the database, each with its audit entry.
            let log = try await f.db.auditLog()
            let webWrites = log.filter { $0.actor == row.login }
            // Admin: two status changes, one inclusion, two accounts; region and municipality: a status change and an inclusion.
            let expected = row.isAdmin ? 5 : (row.mayWriteRegistry ? 2 : 0)
            #expect(webWrites.count == expected, "audit entries by \(row.login): \(webWrites.map(\.action))")
        }
    }

    @Test func pagesFollowTheSameRulesWithASession() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                for row in Self.rows {
                    let browser = Browser(client)
                    try await browser.signIn(row.login)
                    #expect(try await browser.request("/admin/audit").status == (row.isAdmin ? .ok : .forbidden), "\(row.login)")
                    #expect(try await browser.request("/admin/users").status == (row.isAdmin ? .ok : .forbidden), "\(row.login)")
                    let csrf = try await browser.csrf()
                    let create = try await browser.request("/admin/users", .post, form: [
                        "csrf": csrf, "login": "page-\(row.login)", "role": "viewer", "territory": WebSample.town, "password": "long enough 1"])
                    #expect(create.status == (row.isAdmin ? .ok : .forbidden), "\(row.login)")
                    // A viewer writing in its own territory: 403 with the CSRF token, never a change.
                    let patch = try await browser.request("/api/v1/registry/0101", .patch, json: #"{"status":"exited"}"#,
                                                          headers: [HeaderName("X-CSRF-Token")!: csrf])
                    #expect(patch.status == (row.mayWriteRegistry ? .ok : .forbidden), "\(row.login)")
                    if row.mayWriteRegistry {
                        _ = try await f.db.scoped(.everything).include(
                            RegistryEntry(schoolID: "0101", category: .lowResults, reason: "r", startDate: "2025-09-01", coordinator: "c"), actor: .commandLine)
                    }
                }
                #expect(try await f.db.user(login: "page-admin") != nil)
                #expect(try await f.db.user(login: "page-viewer") == nil)
                let admin = Browser(client)
                try await admin.signIn("admin")
                let audit = String(buffer: try await admin.request("/admin/audit").body)
                #expect(audit.contains("user.create") && audit.contains("registry.status"))
            }
        }
    }

    @Test func thePolicyTable() {
        let table: [Role: Set<Permission>] = [
            .admin: Set(Permission.allCases),
            .region: [.read, .writeRegistry, .uploadData, .runIdentification, .changeOwnPassword, .writeSchoolPlan, .commentPlan, .writeMunicipalPlan,
                      .recordVisit],
            .municipality: [.read, .writeRegistry, .uploadData, .changeOwnPassword, .writeSchoolPlan, .commentPlan, .writeMunicipalPlan, .recordVisit],
            .curator: [.read, .changeOwnPassword, .commentPlan, .recordVisit],
            .school: [.read, .changeOwnPassword, .writeSchoolPlan, .commentPlan],
            .viewer: [.read, .changeOwnPassword],
        ]
        for role in Role.allCases {
            #expect(Set(Permission.allCases.filter { Policy.allows(role, $0) }) == table[role], "\(role)")
        }
    }
}
