import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

@Suite("Sign-in, sessions, CSRF and bearer tokens")
struct SignInTests {
    @Test func signsInWithASecureCookieAndSignsOut() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                let start = try await browser.request("/")
                #expect(start.status == .seeOther)
                #expect(start.headers[.location] == "/login?next=/")

                let page = try await browser.request("/login")
                let html = String(buffer: page.body)
                #expect(page.status == .ok && html.contains("<html lang=\"ru\">") && html.contains("Вход"))
                #expect(!Browser.csrf(in: html).isEmpty)

                let signIn = try await browser.signIn("municipality", next: "/account/password")
                #expect(signIn.status == .seeOther)
                #expect(signIn.headers[.location] == "/account/password")
                let cookie = try #require(signIn.headers[values: .setCookie].first { $0.hasPrefix("opora_session=") })
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/") && cookie.contains("Expires="))
                #expect(!cookie.contains("Secure"))
                // The database keeps a digest of the session id, never the id.
                let id = try #require(browser.cookies["opora_session"])
                #expect(try await f.db.session(tokenHash: TokenHash.hex(id), now: f.clock.now) != nil)
                #expect(try await f.db.session(tokenHash: id, now: f.clock.now) == nil)

                let home = String(buffer: try await browser.request("/").body)
                #expect(home.contains("municipality (муниципальный координатор)"))
                #expect(home.contains("0101") && !home.contains("0201") && !home.contains("0901"))
                #expect(home.contains("МБОУ «СОШ № 1» &lt;b&gt;"))

                let out = try await browser.request("/logout", .post, form: ["csrf": try await browser.csrf()])
                #expect(out.headers[.location] == "/login")
                #expect(browser.cookies["opora_session"] == nil)
                #expect(try await f.db.session(tokenHash: TokenHash.hex(id), now: f.clock.now) == nil)
                #expect(try await browser.request("/").status == .seeOther)
            }
        }
    }

    @Test func aWrongPasswordAndAnUnknownLoginGetTheSameAnswer() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                let wrong = try await browser.signIn("admin", password: "wrong password")
                let unknown = try await browser.signIn("nobody", password: "wrong password")
                #expect(wrong.status == .unauthorized && unknown.status == .unauthorized)
                #expect(String(buffer: wrong.body).contains("Неверный логин или пароль."))
                #expect(String(buffer: unknown.body).contains("Неверный логин или пароль."))
                #expect(browser.cookies["opora_session"] == nil)
                // A sign-in form without its token, or from another site, is refused.
                let forged = try await Browser(client).request("/login", .post, form: ["login": "admin", "password": WebSample.password, "csrf": "x"])
                #expect(forged.status == .forbidden)
                // An outside `next` never becomes a redirect target.
                #expect(try await browser.signIn("admin", next: "//evil.example/").headers[.location] == "/")
            }
        }
    }

    @Test func fiveFailuresPerLoginAndAddressBlockForTheWindow() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                for _ in 0..<5 { #expect(try await browser.signIn("school", password: "guess").status == .unauthorized) }
                let blocked = try await browser.signIn("school")
                #expect(blocked.status == .tooManyRequests)
                #expect(String(buffer: blocked.body).contains("Слишком много неудачных попыток входа. Попробуйте снова через 15 минут."))
                // Another address, or another login from this address, is not blocked.
                let other = Browser(client)
                other.address = "10.0.0.2"
                #expect(try await other.signIn("school").status == .seeOther)
                #expect(try await browser.signIn("viewer").status == .seeOther)
                f.clock.advance(15 * 60 + 1)
                #expect(try await Browser(client).signIn("school").status == .seeOther)
            }
        }
    }

    @Test func stateChangesWithASessionNeedItsCSRFToken() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("municipality")
                let body = #"{"status":"in_programme"}"#
                #expect(try await browser.request("/api/v1/registry/0101", .patch, json: body).status == .forbidden)
                let wrong = try await browser.request("/api/v1/registry/0101", .patch, json: body, headers: [HeaderName("X-CSRF-Token")!: "wrong"])
                #expect(wrong.status == .forbidden)
                #expect(String(buffer: wrong.body).contains("\"code\":\"csrf\""))
                #expect(try await browser.request("/account/password", .post, form: ["current": WebSample.password]).status == .forbidden)
                #expect(try await browser.request("/logout", .post, form: ["csrf": "wrong"]).status == .forbidden)
                #expect(try await f.db.scoped(.everything).registryEntry(schoolID: "0101")?.status == .included)

                let token = try await browser.csrf()
                let ok = try await browser.request("/api/v1/registry/0101", .patch, json: body, headers: [HeaderName("X-CSRF-Token")!: token])
                #expect(ok.status == .ok)
                #expect(try await f.db.scoped(.everything).registryEntry(schoolID: "0101")?.status == .inProgramme)
                // Reading needs no token.
                #expect(try await browser.request("/api/v1/registry").status == .ok)
            }
        }
    }

    @Test func aSessionExpires() async throws {
        try await WebFixture.with(sessionLifetime: .seconds(600)) { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("viewer")
                #expect(try await browser.request("/api/v1/me").status == .ok)
                f.clock.advance(599)
                #expect(try await browser.request("/").status == .ok)
                f.clock.advance(2)
                #expect(try await browser.request("/").status == .seeOther)
                let api = try await browser.request("/api/v1/me")
                #expect(api.status == .unauthorized)
                #expect(String(buffer: api.body).contains("\"code\":\"unauthorized\""))
            }
        }
    }

    @Test func bearerTokensNeedNoCookieAndNoCSRF() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let auth: HTTPFields = [.authorization: "Bearer \(f.tokens["region"]!)"]
                let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: auth)
                #expect(me.status == .ok)
                #expect(String(buffer: me.body).contains("\"login\":\"region\""))
                var json = auth
                json[.contentType] = "application/json"
                let patch = try await client.execute(uri: "/api/v1/registry/0201", method: .patch, headers: json,
                                                     body: ByteBuffer(string: #"{"status":"in_programme","note":"по плану"}"#))
                #expect(patch.status == .ok)
                let bad = try await client.execute(uri: "/api/v1/schools", method: .get, headers: [.authorization: "Bearer not-a-token"])
                #expect(bad.status == .unauthorized)
                #expect(bad.headers[.wwwAuthenticate] == "Bearer")
                #expect(try await client.execute(uri: "/api/v1/schools", method: .get).status == .unauthorized)
                #expect(try await f.db.apiTokens(userID: try #require(try await f.db.user(login: "region")).id).first?.lastUsedAt != nil)
            }
        }
    }

    @Test func changesThePasswordAndEndsOtherSessions() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let laptop = Browser(client), office = Browser(client)
                try await laptop.signIn("school")
                try await office.signIn("school")
                let csrf = try await laptop.csrf()
                let mismatch = try await laptop.request("/account/password", .post,
                                                        form: ["csrf": csrf, "current": WebSample.password, "new": "new password 1", "repeat": "other"])
                #expect(mismatch.status == .badRequest && String(buffer: mismatch.body).contains("Новые пароли не совпадают."))
                let short = try await laptop.request("/account/password", .post, form: ["csrf": csrf, "current": WebSample.password, "new": "short", "repeat": "short"])
                #expect(String(buffer: short.body).contains("не короче 8 символов"))
                let wrong = try await laptop.request("/account/password", .post, form: ["csrf": csrf, "current": "nope", "new": "new password 1", "repeat": "new password 1"])
                #expect(wrong.status == .badRequest)

                let done = try await laptop.request("/account/password", .post,
                                                    form: ["csrf": csrf, "current": WebSample.password, "new": "new password 1", "repeat": "new password 1"])
                #expect(done.status == .ok && String(buffer: done.body).contains("Пароль изменён."))
                #expect(try await laptop.request("/schools/0101").status == .ok)
                #expect(try await office.request("/schools/0101").status == .seeOther)
                #expect(try await Browser(client).signIn("school").status == .unauthorized)
                #expect(try await Browser(client).signIn("school", password: "new password 1").status == .seeOther)
                let entry = try #require(try await f.db.auditLog().first)
                #expect(entry.action == "user.password" && entry.actor == "school" && entry.afterJSON == nil)
            }
        }
    }

    @Test func theLanguageSwitchIsRemembered() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                let english = try await browser.request("/login?lang=en")
                #expect(String(buffer: english.body).contains("<html lang=\"en\">"))
                #expect(browser.cookies["opora_lang"] == "en")
                try await browser.signIn("admin")
                let home = String(buffer: try await browser.request("/").body)
                #expect(home.contains("<html lang=\"en\">") && home.contains("5 schools in 3 municipalities"))
                let russian = String(buffer: try await browser.request("/?lang=ru").body)
                #expect(russian.contains("5 школ в 3 муниципалитетах"))
                #expect(String(buffer: try await browser.request("/").body).contains("<html lang=\"ru\">"))
            }
        }
    }
}
