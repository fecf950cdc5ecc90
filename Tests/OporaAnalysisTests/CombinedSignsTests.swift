import Foundation
import OporaCore
import Testing
@testable import OporaAnalysis

/// `combined_signs` over a window of years: a practice that persists adds up across the years, but
/// only a school whose analysis year itself leans is flagged.
@Suite("combined_signs: the family's evidence over the years")
struct CombinedSignsTests {
    static let family = ["journal_mismatch", "score_heaping"]

    /// 200 schools with uniform p-values on both signs of the family in every year (a fixed
    /// generator), except the schools given in `special` (school → year → (p of each sign)).
    static func signTests(_ special: [String: [Int: (Double, Double)]]) -> [Int: [String: [String: SignTest]]] {
        var state: UInt64 = 12345
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return (Double(state >> 11) + 0.5) / Double(1 << 53)
        }
        var byYear: [Int: [String: [String: SignTest]]] = [:]
        for year in 2023...2025 {
            for k in 0..<200 {
                let school = String(format: "S%03d", k)
                let honest = (uniform(), uniform())
                let p = special[school]?[year] ?? honest
                for (sign, value) in zip(family, [p.0, p.1]) {
                    let minEffect = sign == "journal_mismatch" ? 0.25 : 0.15
                    byYear[year, default: [:]][sign, default: [:]][school] = SignTest(
                        p: value, q: 1, effect: value < 0.5 ? 2 * minEffect : -minEffect, minEffect: minEffect,
                        procedures: ["vpr:math:5:\(year)"], n: 40, flagged: false)
                }
            }
        }
        return byYear
    }

    static func run(_ special: [String: [Int: (Double, Double)]], years: Int) -> [String: [IdentificationFlag]] {
        let schools = (0..<200).map {
            School(id: String(format: "S%03d", $0), name: "Школа", municipality: "район", region: "область",
                   settlement: .urban, kind: .general, students: 300)
        }
        let data = AnalysisData(schools: schools, indicators: [], tasks: [], results: [], aggregates: [])
        let ctx = IdentificationContext(data: data, rules: .default, year: 2025)
        let tests = signTests(special)
        var out = Outcome()
        out.signTests = tests[2025]!
        var criterion = RuleSet.default.criterion("combined_signs")!
        criterion.parameters["years"] = .number(Double(years))
        let earlier = years > 1 ? tests.filter { $0.key < 2025 && $0.key > 2025 - years } : [:]
        NonObjective.combined(criterion, ctx, earlier: earlier, &out)
        return out.flags
    }

    /// Moderate in the analysis year, strong in the two before: S000.
    /// Strong in the years before, silent in the analysis year: S001.
    static let special: [String: [Int: (Double, Double)]] = [
        "S000": [2025: (0.02, 0.08), 2024: (0.001, 0.01), 2023: (0.002, 0.02)],
        "S001": [2025: (0.6, 0.7), 2024: (1e-6, 1e-5), 2023: (1e-6, 1e-5)],
    ]

    @Test func aPersistentPracticeAddsUpAcrossTheYears() throws {
        let flags = Self.run(Self.special, years: 3)
        #expect(Set(flags.keys) == ["S000"])
        let flag = try #require(flags["S000"]?.first)
        #expect(flag.criterion == "combined_signs" && flag.year == 2025)
        #expect(flag.textRU.contains("в 2024 г. p = ") && flag.textRU.contains("в 2023 г. p = "))
        #expect(flag.textRU.contains("Совокупное p за 2023–2025 гг."))
        #expect(flag.textEN.contains("Combined p over 2023–2025"))
        #expect(flag.procedures == ["vpr:math:5:2025"])
    }

    @Test func theAnalysisYearAloneIsNotEnoughForTheModerateSchool() {
        // Without the earlier years S000's evidence is p ≈ 0.01 among 200 schools: no flag.
        #expect(Self.run(Self.special, years: 1).isEmpty)
    }
}
