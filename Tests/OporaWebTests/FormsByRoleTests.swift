import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import Testing
@testable import OporaWeb

/// Issue 16: no role is shown a form it may not submit (a viewer was offered the event form on
/// /municipal-plans and lost what it typed to a bare «Ошибка 403»), and a refusal says why, in
/// Russian, with the way back.
@Suite("Forms by role")
struct FormsByRoleTests {
    static let pages = ["/", "/identification", "/registry", "/registry/0101", "/municipal-plans", "/attention", "/data",
                        "/schools/0101", "/schools/0101/plan", "/schools/0101/diagnosis", "/schools/0101/questionnaire", "/admin/users"]

    /// Every `<form method="post" action="…">` of a page, as the route it posts to.
    static func postedRoutes(_ html: String) throws -> [String] {
        let form = try Regex(#"<form[^>]*method="post"[^>]*action="([^"]+)""#)
        return html.matches(of: form).map { String($0.output[1].substring!) }.compactMap { action in
            ViewTests.routes(action).first { $0.hasPrefix("POST ") }
        }
    }

    @Test func noRoleSeesAFormItMayNotSubmit() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                var checked = 0
                for account in WebSample.accounts() {
                    let browser = Browser(client)
                    try await browser.signIn(account.login)
                    for page in Self.pages {
                        let response = try await browser.request(page)
                        guard response.status == .ok else { continue }
                        for route in try Self.postedRoutes(String(buffer: response.body)) {
                            let access = try #require(RoutePolicy.table[route])
                            #expect(access.allows(account.role), "\(account.login) is offered \(route) on \(page)")
                            checked += 1
                        }
                    }
                }
                #expect(checked > 30)
                // The check can fail: the viewer's page with a coordinator's form would be reported.
                let offered = try Self.postedRoutes(#"<form method="post" action="/municipal-plans/events">"#)
                #expect(offered == ["POST /municipal-plans/events"] && !RoutePolicy.table[offered[0]]!.allows(.viewer))
            }
        }
    }

    @Test func aRefusalSaysWhyInRussianWithTheWayBack() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let viewer = Browser(client)
                try await viewer.signIn("viewer")
                let plans = String(buffer: try await viewer.request("/municipal-plans").body)
                #expect(!plans.contains(#"action="/municipal-plans/events""#))
                let refused = try await viewer.request("/municipal-plans/events", .post,
                                                       form: ["csrf": try await viewer.csrf(), "kind": "seminar", "topic": "x"],
                                                       headers: [.referer: "http://127.0.0.1/municipal-plans"])
                let page = String(buffer: refused.body)
                #expect(refused.status == .forbidden)
                #expect(page.contains("Это действие вам недоступно") && page.contains("Ваша роль — «наблюдатель»"))
                #expect(page.contains(#"<a href="/municipal-plans">← Вернуться назад</a>"#))
                #expect(!page.contains("Ошибка 403"))
            }
        }
    }
}
