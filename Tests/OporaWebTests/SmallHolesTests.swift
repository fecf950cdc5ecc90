import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

/// Issue 23, small holes: sign-in CSRF bound to a server-issued token, headers on every response,
/// 405 for a wrong method, one bcrypt cost for accounts and the decoy.
@Suite("Small holes")
struct SmallHolesTests {
    @Test func aMatchingCookieAndFieldTheServerDidNotIssueAreRefused() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                // Any matching pair used to pass: a forged one is refused now.
                let forged = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "opora_login_csrf=abc"],
                    body: ByteBuffer(string: "login=municipality&password=\(WebSample.password.replacingOccurrences(of: " ", with: "+"))&csrf=abc"))
                #expect(forged.status == .forbidden)
                // A token the server issued works, as the form and .ci/run's smoke login use it.
                let page = String(buffer: try await browser.request("/login").body)
                let token = Browser.csrf(in: page)
                #expect(token.split(separator: ".").count == 3)
                // Tampered (another expiry with the same signature): refused.
                let parts = token.split(separator: ".")
                let tampered = "\(Int(parts[0])! + 100000).\(parts[1]).\(parts[2])"
                let bad = try await client.execute(
                    uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "opora_login_csrf=\(tampered)"],
                    body: ByteBuffer(string: "login=municipality&password=x&csrf=\(tampered)"))
                #expect(bad.status == .forbidden)
                // Expired: refused once its hour has passed.
                f.clock.advance(3700)
                let late = try await browser.request("/login", .post, form: ["login": "municipality", "password": WebSample.password, "csrf": token])
                #expect(late.status == .forbidden)
                let ok = try await browser.signIn("municipality")
                #expect(ok.status == .seeOther && ok.headers[.location] == "/")
            }
        }
    }

    @Test func everyResponseSaysNosniffAndAReferrerPolicy() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let bearer: HTTPFields = [.authorization: "Bearer \(f.tokens["region"]!)"]
                let responses = [
                    try await client.execute(uri: "/health", method: .get),
                    try await client.execute(uri: "/login", method: .get),
                    try await client.execute(uri: "/", method: .get),
                    try await client.execute(uri: "/api/v1/schools", method: .get, headers: bearer),
                    try await client.execute(uri: "/api/v1/nothing-here", method: .get, headers: bearer),
                    try await client.execute(uri: "/api/v1/schools", method: .get, headers: [.authorization: "Bearer wrong"]),
                    try await client.execute(uri: "/no-such-page", method: .get, headers: bearer),
                    try await client.execute(uri: "/identification/runs/\(f.runID)/csv", method: .get, headers: bearer),
                ]
                for r in responses {
                    #expect(r.headers[HeaderName("X-Content-Type-Options")!] == "nosniff", "\(r.status)")
                    #expect(r.headers[HeaderName("Referrer-Policy")!] == "same-origin", "\(r.status)")
                }
            }
        }
    }

    @Test func aWrongMethodOnAnExistingPathIs405WithAllow() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let bearer: HTTPFields = [.authorization: "Bearer \(f.tokens["region"]!)"]
                let api = try await client.execute(uri: "/api/v1/schools", method: .delete, headers: bearer)
                #expect(api.status == .methodNotAllowed)
                #expect(api.headers[.allow] == "GET, HEAD")
                #expect(String(buffer: api.body).contains("method_not_allowed"))
                let page = try await client.execute(uri: "/health", method: .put)
                #expect(page.status == .methodNotAllowed && page.headers[.allow] == "GET, HEAD")
                let login = try await client.execute(uri: "/login", method: .delete)
                #expect(login.status == .methodNotAllowed && login.headers[.allow] == "GET, HEAD, POST")
                // A path with a parameter, and a path nobody serves: 404 stays 404.
                #expect(try await client.execute(uri: "/api/v1/schools/0101", method: .post, headers: bearer).status == .methodNotAllowed)
                #expect(try await client.execute(uri: "/api/v1/nowhere", method: .delete, headers: bearer).status == .notFound)
            }
        }
    }

    @Test func oneBcryptCostForAccountsAndTheDecoyAndWeakerHashesAreReplaced() async throws {
        #expect(Passwords.cost(of: "$2b$10$abcdefghijklmnopqrstuu") == 10)
        #expect(Passwords.cost(of: "plain") == nil)
        #expect(Passwords.defaultCost == WebConfiguration().bcryptCost)
        #expect(Passwords.cost(of: try await Passwords.decoyHash(cost: 5)) == 5)
        try await WebFixture.with { f in
            // The fixture's accounts are hashed at cost 4; a server set to cost 5 replaces the hash
            // on a successful sign-in (and only then).
            let before = try #require(try await f.db.user(login: "viewer")).passwordHash
            #expect(Passwords.cost(of: before) == 4)
            let router = buildRouter(database: f.db, configuration: WebConfiguration(trustForwardedFor: true, bcryptCost: 5, now: { f.clock.now }))
            try await Application(router: router).test(.router) { (client: any TestClientProtocol) async throws -> Void in
                let browser = Browser(client)
                #expect(try await browser.signIn("viewer", password: "wrong password").status == .unauthorized)
                #expect(try #require(try await f.db.user(login: "viewer")).passwordHash == before)
                #expect(try await browser.signIn("viewer").status == .seeOther)
            }
            let after = try #require(try await f.db.user(login: "viewer")).passwordHash
            #expect(Passwords.cost(of: after) == 5)
            #expect(Bcrypt.verify(WebSample.password, hash: after))
        }
    }
}
