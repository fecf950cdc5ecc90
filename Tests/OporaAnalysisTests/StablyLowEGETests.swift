import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// The HSE variant of «stably low»: ЕГЭ failed in both Russian and mathematics, year after year.
@Suite("Stably low, HSE variant (ЕГЭ)")
struct StablyLowEGETests {
    /// ЕГЭ results of one school and year: `failed` below the minimum score, the rest well above.
    static func ege(_ school: String, _ subject: String, _ year: Int, n: Int, failed: Int, minimum: Int) -> [StudentResult] {
        let p = Procedure(year: year, assessment: .ege, subject: subject, grade: 11)
        return (0..<n).map { i in
            StudentResult(procedure: p, schoolID: school, participant: "\(school)-\(subject)-\(year)-\(i)",
                          score: Double(i < failed ? minimum - 1 : 70), mark: nil, journalMark: nil)
        }
    }

    static let rules = try! RuleSet.parse("""
        name: hse
        version: "1"
        categories:
          low_results:
            stably_low: {measure: ege_fails, years: 3, min_years: 3}
        """)

    @Test func failingBothSubjectsEveryYearIsFlaggedAndOneSubjectIsNot() throws {
        var r: [StudentResult] = []
        for y in 2023...2025 {
            r += Self.ege("A", "russian", y, n: 20, failed: 1, minimum: 24) + Self.ege("A", "math", y, n: 12, failed: y == 2025 ? 3 : 1, minimum: 27)
            r += Self.ege("B", "russian", y, n: 20, failed: 2, minimum: 24) + Self.ege("B", "math", y, n: 12, failed: 0, minimum: 27)
            // C misses 2024 in maths: failing both only in two of three years.
            r += Self.ege("C", "russian", y, n: 15, failed: 1, minimum: 24) + Self.ege("C", "math", y, n: 10, failed: y == 2024 ? 0 : 2, minimum: 27)
        }
        // D sat ЕГЭ only in 2025: not enough years to judge.
        r += Self.ege("D", "russian", 2025, n: 10, failed: 5, minimum: 24) + Self.ege("D", "math", 2025, n: 10, failed: 5, minimum: 27)
        // E: a score of exactly the minimum passes.
        for y in 2023...2025 {
            r += Self.ege("E", "russian", y, n: 10, failed: 0, minimum: 24) + Self.ege("E", "math", y, n: 10, failed: 0, minimum: 27)
            r.append(StudentResult(procedure: Procedure(year: y, assessment: .ege, subject: "math", grade: 11), schoolID: "E",
                                   participant: "E-edge-\(y)", score: 27, mark: nil, journalMark: nil))
        }
        let schools = ["A", "B", "C", "D", "E"].map { School(id: $0, name: "Школа \($0)", municipality: "район", region: "область",
                                                             settlement: .urban, kind: .general, students: 500) }
        let data = AnalysisData(schools: schools, indicators: [], tasks: [], results: r, aggregates: [])
        let result = Identification.run(data: data, rules: Self.rules, year: 2025)
        #expect(result.schools(flaggedBy: "stably_low") == ["A"], "B fails Russian only, C not in 2024, E's 27 is a pass")
        let a = try #require(result.schools.first { $0.schoolID == "A" }?.flags.first { $0.criterion == "stably_low" })
        #expect(a.value == 3 && a.threshold == 3 && a.procedures == ["ege:russian:11:2025", "ege:math:11:2025"])
        #expect(a.textRU.contains("2025 г. — русский язык 1 из 20, математика 3 из 12") && a.textRU.contains("вариант ВШЭ"))
        #expect(a.textEN.contains("2023 — Russian 1 of 20, mathematics 1 of 12"))
        let d = try #require(result.schools.first { $0.schoolID == "D" })
        #expect(d.flags.isEmpty && d.notEnoughData.contains { $0.criterion == "stably_low" && $0.n == 1 })
        // The minimums are the rule set's: at 71 in maths, 70 points fail — B and C fail both every year; E still passes Russian.
        let strict = try RuleSet.parse("""
            name: hse
            version: "1"
            categories:
              low_results:
                stably_low: {measure: ege_fails, years: 3, min_years: 3, ege_min_math: 71}
            """)
        #expect(Set(Identification.run(data: data, rules: strict, year: 2025).schools(flaggedBy: "stably_low")) == ["A", "B", "C"])
        #expect(throws: (any Error).self) { _ = try RuleSet.parse("name: x\nversion: \"1\"\ncategories:\n  low_results:\n    stably_low: {ege_min_math: 101}\n") }
    }
}
