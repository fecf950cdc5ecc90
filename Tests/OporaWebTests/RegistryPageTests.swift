import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

/// The registry pages: list with filters and counts, one entry with history, including a school and
/// changing its status through forms, refusals shown on the form, and territory and role checks.
@Suite("Registry pages")
struct RegistryPageTests {
    @Test func listShowsTheTerritoryWithCountsAndFilters() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("region")
                let list = try await browser.request("/registry")
                #expect(list.status == .ok)
                let page = String(buffer: list.body)
                #expect(page.contains("/registry/0101") && page.contains("/registry/0201"))
                #expect(!page.contains("/registry/0901"))  // the neighbouring region
                #expect(page.contains("МБОУ «СОШ № 1» &lt;b&gt;"))
                #expect(page.contains("включена</a>: 2 школы"))
                #expect(page.contains("в программе</a>: 0 школ"))
                #expect(page.contains("низкие результаты") && page.contains("01.09.2025") && page.contains("Иванова И. И."))

                _ = try await f.db.scoped(.everything).changeStatus(schoolID: "0201", to: .inProgramme, actor: .commandLine)
                let inProgramme = String(buffer: try await browser.request("/registry?status=in_programme").body)
                #expect(inProgramme.contains("/registry/0201") && !inProgramme.contains("/registry/0101"))
                #expect(inProgramme.contains("Показано: 1 школа из 2"))
                #expect(inProgramme.contains("<option value=\"in_programme\" selected>"))
                let social = String(buffer: try await browser.request("/registry?category=social_risk").body)
                #expect(!social.contains("/registry/0101") && social.contains("Нет школ с такими условиями"))
                let english = String(buffer: try await browser.request("/registry?lang=en").body)
                #expect(english.contains("included</a>: 1 school") && english.contains("in the programme</a>: 1 school"))

                // A municipality sees only its own.
                let town = Browser(client)
                try await town.signIn("municipality")
                let own = String(buffer: try await town.request("/registry").body)
                #expect(own.contains("/registry/0101") && !own.contains("/registry/0201"))
                #expect(own.contains("включена</a>: 1 школа"))
            }
        }
    }

    @Test func entryShowsHistoryAndOutsideTheTerritoryIsNotFound() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("municipality")
                let entry = try await browser.request("/registry/0101")
                #expect(entry.status == .ok)
                let page = String(buffer: entry.body)
                #expect(page.contains("Включена в реестр: низкие результаты") && page.contains("cli"))
                #expect(page.contains("Сменить статус"))
                #expect(page.contains("<option value=\"in_programme\">в программе</option>"))
                #expect(!page.contains("<option value=\"exit_proposed\""))  // not from «включена»
                #expect(try await browser.request("/registry/0201").status == .notFound)   // another municipality
                #expect(try await browser.request("/registry/0102").status == .notFound)   // in the territory, not in the registry
                #expect(try await browser.request("/registry/no-such").status == .notFound)
            }
        }
    }

    @Test func includeFromTheFormRedirectsToTheEntryAndRefusalsKeepTheInput() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("municipality")
                let form = try await browser.request("/registry/new?school=0102")
                #expect(form.status == .ok)
                let page = String(buffer: form.body)
                #expect(page.contains("МБОУ «Лицей № 2»"))
                #expect(page.contains("name=\"coordinator\" value=\"municipality\""))
                #expect(page.contains("name=\"start_date\" type=\"date\" value=\"\(DateText.isoDay(f.clock.now))\""))
                let csrf = try await browser.csrf()

                var fields = ["csrf": csrf, "school": "0102", "category": "social_risk", "reason": " ", "start_date": "2026-09-01",
                              "coordinator": "Петров П. П.", "note": "по решению комиссии"]
                let missingReason = try await browser.request("/registry/new", .post, form: fields)
                #expect(missingReason.status == .badRequest)
                let refused = String(buffer: missingReason.body)
                #expect(refused.contains("Укажите основание включения."))
                #expect(refused.contains("value=\"Петров П. П.\"") && refused.contains("по решению комиссии"))
                #expect(try await f.db.scoped(.everything).registryEntry(schoolID: "0102") == nil)

                fields["start_date"] = "2026-02-30"
                fields["reason"] = "ШНСУ по паспорту"
                #expect(try await browser.request("/registry/new", .post, form: fields).status == .badRequest)

                fields["start_date"] = "2026-09-01"
                let done = try await browser.request("/registry/new", .post, form: fields)
                #expect(done.status == .seeOther)
                #expect(done.headers[.location] == "/registry/0102")
                let entry = String(buffer: try await browser.request("/registry/0102").body)
                #expect(entry.contains("неблагоприятные социальные условия") && entry.contains("01.09.2026"))
                #expect(entry.contains("по решению комиссии") && entry.contains("ШНСУ по паспорту"))

                let again = try await browser.request("/registry/new?lang=en", .post, form: fields)
                #expect(again.status == .conflict)
                #expect(String(buffer: again.body).contains("The school is already in the registry."))
            }
        }
    }

    @Test func statusChangeAllowsOnlyTheNextStatuses() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("municipality")
                let csrf = try await browser.csrf()
                let skip = try await browser.request("/registry/0101/status", .post,
                                                     form: ["csrf": csrf, "status": "exit_proposed", "note": "сразу на выход"])
                #expect(skip.status == .conflict)
                let page = String(buffer: skip.body)
                #expect(page.contains("Из статуса «включена» нельзя перейти в «предложен выход»."))
                #expect(page.contains("сразу на выход"))
                #expect(try await f.db.scoped(.everything).registryEntry(schoolID: "0101")?.status == .included)

                let moved = try await browser.request("/registry/0101/status", .post,
                                                      form: ["csrf": csrf, "status": "in_programme", "note": "программа утверждена"])
                #expect(moved.status == .seeOther && moved.headers[.location] == "/registry/0101")
                #expect(try await f.db.scoped(.everything).registryEntry(schoolID: "0101")?.status == .inProgramme)
                let entry = String(buffer: try await browser.request("/registry/0101").body)
                #expect(entry.contains("статус: включена → в программе") && entry.contains("программа утверждена"))
                #expect(entry.contains("<td>municipality</td>"))
                // The store refuses the same skip through the API too.
                let audit = try await f.db.auditLog(limit: 5)
                #expect(audit.first?.action == "registry.status" && audit.first?.actor == "municipality")
            }
        }
    }

    @Test func viewerMayNotWriteAndOutsideTheTerritoryIsNotFound() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let viewer = Browser(client)
                try await viewer.signIn("viewer")
                let csrf = try await viewer.csrf()
                let list = String(buffer: try await viewer.request("/registry").body)
                #expect(list.contains("/registry/0101") && !list.contains("/registry/new"))
                #expect(!String(buffer: try await viewer.request("/registry/0101").body).contains("Сменить статус"))
                #expect(try await viewer.request("/registry/new?school=0102").status == .forbidden)
                #expect(try await viewer.request("/registry/0101/status", .post, form: ["csrf": csrf, "status": "in_programme"]).status == .forbidden)
                #expect(try await viewer.request("/registry/new", .post, form: ["csrf": csrf, "school": "0102", "category": "low_results",
                                                                                 "reason": "x", "start_date": "2026-09-01", "coordinator": "x"]).status
                        == .forbidden)
                // Outside the territory too: a viewer may never change a status, so the answer does not depend on the school.
                #expect(try await viewer.request("/registry/0201/status", .post, form: ["csrf": csrf, "status": "in_programme"]).status == .forbidden)

                let town = Browser(client)
                try await town.signIn("municipality")
                let townCSRF = try await town.csrf()
                #expect(try await town.request("/registry/new?school=0201").status == .notFound)
                #expect(try await town.request("/registry/0201/status", .post, form: ["csrf": townCSRF, "status": "in_programme"]).status == .notFound)
                #expect(try await town.request("/registry/new", .post, form: ["csrf": townCSRF, "school": "0201", "category": "low_results",
                                                                               "reason": "x", "start_date": "2026-09-01", "coordinator": "x"]).status
                        == .notFound)
                #expect(try await f.db.scoped(.everything).registryEntry(schoolID: "0201")?.status == .included)
            }
        }
    }
}
