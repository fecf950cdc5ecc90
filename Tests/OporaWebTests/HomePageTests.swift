import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

@Suite("Home page")
struct HomePageTests {
    @Test func listsTheTerritorysSchoolsInRussianWithEscaping() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("region")
                let response = try await browser.request("/")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let body = String(buffer: response.body)
                #expect(body.contains("4 школы в 2 муниципалитетах"))
                #expect(body.contains("город Заречный") && !body.contains("0901"))
                #expect(body.contains("1\u{202F}234"))
                #expect(body.contains("&lt;b&gt;") && !body.contains("<b>"))
                #expect(body.contains("включена"))
                // Nothing is loaded from elsewhere (an inline SVG may name its XML namespace, which loads nothing).
                #expect(!body.contains("src=\"http") && !body.contains("href=\"http") && !body.contains("url(http"))
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            }
        }
    }

    @Test func anEmptyTerritorySaysHowToLoadData() async throws {
        try await WebFixture.with { f in
            let hash = try await Passwords.hash(WebSample.password, cost: 4)
            _ = try await f.db.createUser(UserRecord(login: "lonely", passwordHash: hash, role: .curator), actor: .commandLine)
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("lonely")
                #expect(String(buffer: try await browser.request("/").body).contains("opora import"))
            }
        }
    }
}
