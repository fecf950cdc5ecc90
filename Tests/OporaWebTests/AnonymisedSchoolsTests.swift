import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

/// Issue 23: a school account sees the other schools of its municipality without names; the
/// municipality sees them named. ВПР results give no place among the schools.
@Suite("Other schools anonymised for a school account")
struct AnonymisedSchoolsTests {
    /// The same students in ВПР math, grade 4 in 2024 and grade 5 in 2025, 30 per school: value
    /// added can be computed; schools differ in their gains.
    static func results() -> [StudentResult] {
        var out: [StudentResult] = []
        let prior = Procedure(year: 2024, assessment: .vpr, subject: "math", grade: 4)
        let outcome = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)
        for (k, school) in ["0101", "0102", "0103", "0201"].enumerated() {
            for i in 0..<30 {
                let before = Double(5 + (i * 7 + k) % 11)
                let after = min(20, before + Double(k) - 1 + Double((i * 5) % 3))
                func mark(_ s: Double) -> Int { s < 6 ? 2 : s < 10 ? 3 : s < 14 ? 4 : 5 }
                out.append(StudentResult(procedure: prior, schoolID: school, participant: "\(school)-\(i)", score: before, mark: mark(before), journalMark: mark(before)))
                out.append(StudentResult(procedure: outcome, schoolID: school, participant: "\(school)-\(i)", score: after, mark: mark(after), journalMark: mark(after)))
            }
        }
        return out
    }

    @Test func theValueAddedChartNamesOnlyTheSchoolItself() async throws {
        try await WebFixture.with { f in
            try await f.db.store(Dataset(schools: WebSample.schools, results: Self.results()), source: "test")
            try await f.test { client in
                let municipality = Browser(client)
                try await municipality.signIn("municipality")
                let named = String(buffer: try await municipality.request("/schools/0101").body)
                #expect(named.contains("id=\"va-h\""), "value added is shown")
                #expect(named.contains("МБОУ «Лицей № 2»") && named.contains("МБОУ «СОШ № 3»"))

                let school = Browser(client)
                try await school.signIn("school")
                let page = String(buffer: try await school.request("/schools/0101").body)
                #expect(page.contains("id=\"va-h\""))
                #expect(page.contains("Школа 1") && page.contains("Школа 2"))
                #expect(!page.contains("Лицей № 2") && !page.contains("СОШ № 3") && !page.contains("0102") && !page.contains("0103"))
                #expect(page.contains("МБОУ «СОШ № 1»"))
                // ВПР: no place among the schools («3/3»-style rank) in the chart's description.
                #expect(!page.contains("/3)") && !named.contains("/3)"))
            }
        }
    }
}
