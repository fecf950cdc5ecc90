import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

/// Results for the town's schools: 0101 has 40% «2» in two ВПР (the official risk criterion),
/// 0102 and 0103 have none; 0201 (the district) has 50%.
enum PageSample {
    static func results() -> [StudentResult] {
        var out: [StudentResult] = []
        for subject in ["math", "russian"] {
            let p = Procedure(year: 2025, assessment: .vpr, subject: subject, grade: 5)
            for (school, fails) in [("0101", 8), ("0102", 0), ("0103", 1), ("0201", 10)] {
                for i in 0..<20 {
                    let mark = i < fails ? 2 : (i % 3 == 0 ? 5 : (i % 3 == 1 ? 4 : 3))
                    out.append(StudentResult(procedure: p, schoolID: school, participant: "\(school)-\(subject)-\(i)",
                                             score: Double(mark * 4 + i % 3), mark: mark, journalMark: min(5, mark + (i % 4 == 0 ? 1 : 0))))
                }
            }
        }
        return out
    }
}

@Suite("Pages: dashboard, school profile, identification")
struct PageTests {
    @Test func theDashboardShowsTheTerritorysSchoolsWithFlagsAndFilters() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("municipality")
                let body = String(buffer: try await browser.request("/").body)
                #expect(body.contains("Всего 3 школы"))
                #expect(body.contains("/schools/0101") && body.contains("/schools/0103") && !body.contains("/schools/0201"))
                #expect(body.contains("tag-low_results"))
                // Counts by category come from the newest run and only count the territory's schools.
                #expect(body.contains("Всего школ с категориями"))
                let flagged = String(buffer: try await browser.request("/?category=low_results").body)
                #expect(flagged.contains("По фильтру — 1 из 3 школ") && flagged.contains("/schools/0101") && !flagged.contains("/schools/0102"))
                let searched = String(buffer: try await browser.request("/?q=%D0%BB%D0%B8%D1%86%D0%B5%D0%B9").body)  // "лицей"
                #expect(searched.contains("/schools/0102") && !searched.contains("/schools/0101"))
                let sorted = String(buffer: try await browser.request("/?sort=students&dir=desc").body)
                let first = sorted.range(of: "/schools/0101")!.lowerBound, last = sorted.range(of: "/schools/0103")!.lowerBound
                #expect(first < last)
                #expect(sorted.contains("aria-sort=\"descending\""))
                // A municipality cannot widen its view by asking for another municipality.
                let other = String(buffer: try await browser.request("/?municipality=%D0%9B%D0%B5%D0%B1%D0%B5%D0%B4%D1%8F%D0%BD%D1%81%D0%BA%D0%B8%D0%B9%20%D1%80%D0%B0%D0%B9%D0%BE%D0%BD").body)
                #expect(other.contains("По фильтру — 0 из 3 школ") && !other.contains("/schools/0201"))
            }
        }
    }

    @Test func theSchoolsTableComesAPageAtATime() async throws {
        try await WebFixture.with { f in
            let many = (1...230).map { i in
                School(id: String(format: "7%03d", i), name: "Школа \(i)", municipality: WebSample.town, region: WebSample.region,
                       settlement: .urban, kind: .general, students: 100 + i)
            }
            try await f.db.store(Dataset(schools: WebSample.schools + many), source: "test")
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("municipality")
                let first = String(buffer: try await browser.request("/?sort=id").body)
                #expect(first.contains("Всего 233 школы, показаны 1–100") && first.contains("/schools/7097") && !first.contains("/schools/7098\""))
                #expect(first.contains("rel=\"next\"") && !first.contains("rel=\"prev\""))
                let last = String(buffer: try await browser.request("/?sort=id&dir=asc&page=3").body)
                #expect(last.contains("показаны 201–233") && last.contains("/schools/7230") && last.contains("rel=\"prev\"") && !last.contains("rel=\"next\""))
                #expect(String(buffer: try await browser.request("/?page=99").body).contains("показаны 201–233"))
            }
        }
    }

    @Test func aSchoolAccountGoesToItsProfileAndCannotOpenAnother() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("school")
                let home = try await browser.request("/")
                #expect(home.status == .seeOther && home.headers[.location] == "/schools/0101")
                let profile = String(buffer: try await browser.request("/schools/0101").body)
                #expect(profile.contains("«2» получили 40% в школе 0101"))
                #expect(profile.contains("низкие результаты") && profile.contains("включена"))
                #expect(try await browser.request("/schools/0102").status == .notFound)
                #expect(try await browser.request("/schools/0901").status == .notFound)
                #expect(try await browser.request("/schools/nope").status == .notFound)
                // Error pages speak the chosen language and keep the navigation.
                let missing = try await browser.request("/schools/0102?lang=en")
                let missingPage = String(buffer: missing.body)
                #expect(missing.status == .notFound && missingPage.contains("Not found.") && missingPage.contains("Sign out"))
                // The language links keep the page's own query.
                #expect(String(buffer: try await browser.request("/schools/0101?procedure=vpr:math:5").body)
                    .contains("href=\"/schools/0101?procedure=vpr:math:5&amp;lang=ru\""))
                let english = String(buffer: try await browser.request("/schools/0101?lang=en").body)
                #expect(english.contains("40% got a «2» in school 0101") && english.contains("low results"))
            }
        }
    }

    @Test func theProfileShowsResultsAgainstTheRegion() async throws {
        try await WebFixture.with { f in
            try await f.db.store(Dataset(schools: WebSample.schools, results: PageSample.results()), source: "test")
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("municipality")
                let profile = String(buffer: try await browser.request("/schools/0101").body)
                #expect(profile.contains("ВПР, математика, 5 класс"))
                // 8 of 20 got «2»: 40,0%; the region (0101, 0102, 0103, 0201 and 0901 has none): 19 of 80 = 23,8%.
                #expect(profile.contains("40,0%") && profile.contains("23,8%"))
                #expect(profile.contains("<svg") && profile.contains("role=\"img\""))
            }
        }
    }

    @Test func identificationRunsFromTheWebAndIsScopedCSVAndCompared() async throws {
        try await WebFixture.with { f in
            try await f.db.store(Dataset(schools: WebSample.schools, results: PageSample.results()), source: "test")
            try await f.test { client in
                let coordinator = Browser(client)
                try await coordinator.signIn("municipality")
                let csrf = try await coordinator.csrf()
                #expect(try await coordinator.request("/identification/run", .post, form: ["csrf": csrf, "year": "2025", "rules": "default"]).status == .forbidden)

                let analyst = Browser(client)
                try await analyst.signIn("region")
                let token = try await analyst.csrf()
                // Exactly one rule set offered as chosen, and no empty alert box (Mustache treats "" as present).
                let form = String(buffer: try await analyst.request("/identification").body)
                #expect(form.components(separatedBy: " checked").count - 1 == 1)
                #expect(!form.contains("class=\"error\" role=\"alert\"></"))
                let bad = try await analyst.request("/identification/run", .post,
                                                    form: ["csrf": token, "year": "2025", "rules": "pasted", "rules_text": "reliable_n: -3"])
                #expect(bad.status == .badRequest && String(buffer: bad.body).contains("reliable_n"))
                let run = try await analyst.request("/identification/run", .post, form: ["csrf": token, "year": "2025", "rules": "default"])
                #expect(run.status == .seeOther)
                let location = try #require(run.headers[.location])
                #expect(location.hasPrefix("/identification/runs/"))
                let id = String(location.dropFirst("/identification/runs/".count))

                // The coordinator sees the run, with only the town's schools.
                let page = String(buffer: try await coordinator.request(location).body)
                #expect(page.contains("/schools/0101") && !page.contains("/schools/0201"))
                #expect(page.contains("доля «2» (официальный критерий)"))
                let csv = try await coordinator.request("\(location)/csv")
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                let text = String(buffer: csv.body)
                #expect(text.contains("0101") && !text.contains("0201"))
                let regionCSV = String(buffer: try await analyst.request("\(location)/csv").body)
                #expect(regionCSV.contains("0201"))

                // Compared with the fixture's run: 0101 stays, 0103 never entered.
                let compared = String(buffer: try await coordinator.request("/identification/compare?a=\(f.runID)&b=\(id)").body)
                #expect(compared.contains("Вошли") && compared.contains("Вышли"))
                #expect(try await coordinator.request("/identification/compare?a=\(f.runID)&b=999").status == .notFound)
                #expect(try await coordinator.request("/identification/runs/999").status == .notFound)
                let runs = String(buffer: try await coordinator.request("/identification").body)
                #expect(runs.contains("№\(id)") && !runs.contains("Запустить выявление"))

                // A rule set with value-added: each school's estimate and band on the run page; a procedure without results refuses the run.
                let withVA = try await analyst.request("/identification/run", .post, form: [
                    "csrf": token, "year": "2025", "rules": "pasted",
                    "rules_text": "name: va\nversion: \"1\"\nvalue_added: {outcome: 'vpr:math:5', model: multilevel}\n"])
                #expect(withVA.status == .seeOther)
                let vaPage = String(buffer: try await analyst.request(withVA.headers[.location] ?? "").body)
                #expect(vaPage.contains("Добавленная ценность (vpr:math:5:2025)"))
                let noResults = try await analyst.request("/identification/run", .post, form: [
                    "csrf": token, "year": "2025", "rules": "pasted", "rules_text": "name: va\nversion: \"1\"\nvalue_added: {outcome: 'vpr:math:7'}\n"])
                #expect(noResults.status == .badRequest && String(buffer: noResults.body).contains("Добавленная ценность не рассчитана"))
            }
        }
    }
}
