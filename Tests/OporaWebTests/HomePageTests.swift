import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaServices
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
                // The cached table follows the registry at once (its cache is keyed by the audit version).
                _ = try await f.db.scoped(.everything).changeStatus(schoolID: "0101", to: .inProgramme, actor: .commandLine)
                let after = String(buffer: try await browser.request("/?registry=in_programme").body)
                #expect(after.contains(#"href="/schools/0101""#))
                // Nothing is loaded from elsewhere (an inline SVG may name its XML namespace, which loads nothing).
                #expect(!body.contains("src=\"http") && !body.contains("href=\"http") && !body.contains("url(http"))
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            }
        }
    }

    /// The seeds' programme-level indicators on the municipal dashboard, fresh after every change.
    /// Issue 16: a browser's GET form writes a space as `+`; the filter, the search and the selected
    /// option must read it as a space (before, «город+Заречный» matched no school).
    @Test func aFilterWithSpacesAsABrowserSendsItFindsTheSchools() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("region")
                let town = "%D0%B3%D0%BE%D1%80%D0%BE%D0%B4+%D0%97%D0%B0%D1%80%D0%B5%D1%87%D0%BD%D1%8B%D0%B9"  // «город Заречный»
                let filtered = String(buffer: try await browser.request("/?municipality=\(town)").body)
                #expect(filtered.contains("По фильтру — 3 из 4 школ"))
                #expect(filtered.contains("<option selected>город Заречный</option>"))
                #expect(!filtered.contains("МКОУ «ООШ с. Покровка»"))
                // A multi-word search, with `+` and with `%20`.
                for q in ["%D0%A1%D0%9E%D0%A8+%E2%84%96+3", "%D0%A1%D0%9E%D0%A8%20%E2%84%96%203"] {  // «СОШ № 3»
                    let found = String(buffer: try await browser.request("/?q=\(q)").body)
                    #expect(found.contains("По фильтру — 1 из 4 школ"), "q=\(q)")
                    #expect(found.contains(#"value="СОШ № 3""#))
                }
            }
        }
    }

    @Test func theMunicipalDashboardShowsTheProgrammesIndicators() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let coordinator = Browser(client)
                try await coordinator.signIn("municipality")
                let before = String(buffer: try await coordinator.request("/").body)
                #expect(before.contains("Программа поддержки: показатели") && before.contains("Школ в программе поддержки"))
                #expect(before.contains("пока нет дорожных карт с показателями"))

                let town = f.db.scoped(.municipality(WebSample.town))
                let template = try #require(ProgrammeTemplates.find("seed-000-municipal-roadmap"))
                let id = try await town.create(template.draft(owner: .municipality(WebSample.town), start: Day("2026-09-01")!), actor: .commandLine)
                let goal = try #require(try await town.indicators(programmeID: id)?.first { $0.target == 0.3 })
                _ = try await town.record(indicatorID: goal.id, period: "2026", value: 0.35, actor: .commandLine)

                let after = String(buffer: try await coordinator.request("/").body)
                #expect(after.contains(#"id="roadmap-indicators""#) && after.contains("индикатор цели"))
                #expect(after.contains("35,0%") && after.contains("цель достигнута"))
                // Another municipality's coordinator does not see this roadmap's indicators.
                let hash = try await Passwords.hash(WebSample.password, cost: 4)
                _ = try await f.db.createUser(UserRecord(login: "other-town", passwordHash: hash, role: .municipality, territoryKind: .municipality,
                                                         territory: WebSample.district), actor: .commandLine)
                let other = Browser(client)
                try await other.signIn("other-town")
                #expect(!String(buffer: try await other.request("/").body).contains("индикатор цели"))
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
