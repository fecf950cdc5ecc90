import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// Precision and recall against the generator's truth on small regions: regressions fail here.
@Suite("Identification quality against truth.csv")
struct IdentificationQualityTests {
    @Test("official_fail_share matches truth exactly; non_objective precision ≥ 0.9, recall ≥ 0.75", arguments: [UInt64(7), 11])
    func quality(seed: UInt64) throws {
        let region = try GeneratedRegion.make(schools: 300, seed: seed)
        let result = Identification.run(data: region.data, rules: .default, year: 2025)
        let low = PrecisionRecall(flagged: result.schools(flaggedBy: "official_fail_share"), truth: region.truthSchools("low_results", year: 2025))
        let non = PrecisionRecall(flagged: result.schools(in: "non_objective"), truth: region.truthSchools("non_objective", year: 2025))
        print("seed \(seed) low_results(official): \(low)")
        print("seed \(seed) non_objective: \(non)")
        print("seed \(seed) social_risk: \(PrecisionRecall(flagged: result.schools(in: "social_risk"), truth: region.truthSchools("social_risk", year: 2025)))")
        print("seed \(seed) resource_deficit: \(PrecisionRecall(flagged: result.schools(in: "resource_deficit"), truth: region.truthSchools("resource_deficit", year: 2025)))")
        #expect(low.fp == 0 && low.fn == 0)
        #expect(non.precision >= 0.9)
        // The goal is 0.9; what the signs reach today on these seeds is 0.75–0.83 (see bench/).
        #expect(non.recall >= 0.75)
    }
}
