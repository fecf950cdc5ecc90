import Foundation
import OporaAnalysis
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

@Suite("Effect of support")
struct SupportEffectTests {
    /// 4 supported schools whose «2» fall by 20 points; 12 unsupported whose «2» fall by 5 points;
    /// the same context. The effect is −15 points with no spread.
    @Test func theSupportedAgainstTheirMatchedPeers() throws {
        var schools: [School] = [], results: [StudentResult] = [], indicators: [IndicatorValue] = []
        for i in 0..<16 {
            let id = String(format: "%04d", i)
            schools.append(School(id: id, name: id, municipality: "М", region: "Р", settlement: .urban, kind: .general, students: 200))
            indicators.append(IndicatorValue(year: 2025, schoolID: id, indicator: "low_income_share", value: 0.1 + Double(i % 4) * 0.05))
            indicators.append(IndicatorValue(year: 2025, schoolID: id, indicator: "single_parent_share", value: 0.2 + Double(i % 3) * 0.05))
            indicators.append(IndicatorValue(year: 2025, schoolID: id, indicator: "unemployed_parents_share", value: 0.05 + Double(i % 5) * 0.01))
            indicators.append(IndicatorValue(year: 2025, schoolID: id, indicator: "parents_higher_education_share", value: 0.3 + Double(i % 2) * 0.1))
            let supported = i < 4
            for (year, fails) in [(2024, 8), (2025, supported ? 4 : 7)] {
                let p = Procedure(year: year, assessment: .vpr, subject: "math", grade: 5)
                for s in 0..<20 {
                    results.append(StudentResult(procedure: p, schoolID: id, participant: "\(id)-\(year)-\(s)", score: 10, mark: s < fails ? 2 : 4, journalMark: nil))
                }
            }
        }
        let data = AnalysisData(schools: schools, indicators: indicators, tasks: [], results: results, aggregates: [])
        let snapshot = AnalysisSnapshot(version: 1, loaded: LoadedAnalysis(data: data, digest: DataDigest()))
        let entries = (0..<4).map { RegistryEntry(schoolID: String(format: "%04d", $0), category: .lowResults, reason: "r", startDate: "2025-01-15", coordinator: "c") }
        let effect = try #require(SupportEffect.estimate(supported: entries, snapshot: snapshot))
        #expect(effect.pairs.count == 4 && effect.outcomeYear == 2025 && effect.pairs.allSatisfy { $0.baselineYear == 2024 })
        #expect(abs(effect.supportedChange - (-0.2)) < 1e-12 && abs(effect.matchedChange - (-0.05)) < 1e-12)
        #expect(abs(effect.effect - (-0.15)) < 1e-12 && abs(effect.low - effect.high) < 1e-12)
        #expect(effect.pairs.allSatisfy { $0.matched.allSatisfy { Int($0)! >= 4 } })
        // Too few supported schools with data: no estimate rather than a number nobody should trust.
        #expect(SupportEffect.estimate(supported: Array(entries.prefix(2)), snapshot: snapshot) == nil)
    }
}
