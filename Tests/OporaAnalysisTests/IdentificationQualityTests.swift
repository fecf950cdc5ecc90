import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// Precision and recall against the generator's truth on small regions: regressions fail here.
/// The floors are what the default rule set reaches on these seeds (bench/identification_quality.sh
/// gives the table over more seeds), a little below so that a harmless change of a rounding does
/// not fail, but any real loss does.
@Suite("Identification quality against truth.csv")
struct IdentificationQualityTests {
    @Test("official_fail_share exact; non_objective P ≥ 0.85, R ≥ 0.9; resource_deficit P ≥ 0.85; social_risk P ≥ 0.55",
          arguments: [UInt64(7), 11])
    func quality(seed: UInt64) throws {
        let region = try GeneratedRegion.make(schools: 300, seed: seed)
        let result = Identification.run(data: region.data, rules: .default, year: 2025)
        let low = PrecisionRecall(flagged: result.schools(flaggedBy: "official_fail_share"), truth: region.truthSchools("low_results", year: 2025))
        let non = PrecisionRecall(flagged: result.schools(in: "non_objective"), truth: region.truthSchools("non_objective", year: 2025))
        let social = PrecisionRecall(flagged: result.schools(in: "social_risk"), truth: region.truthSchools("social_risk", year: 2025))
        let resource = PrecisionRecall(flagged: result.schools(in: "resource_deficit"), truth: region.truthSchools("resource_deficit", year: 2025))
        print("seed \(seed) low_results(official): \(low)")
        print("seed \(seed) non_objective: \(non)")
        print("seed \(seed) social_risk: \(social)")
        print("seed \(seed) resource_deficit: \(resource)")
        #expect(low.fp == 0 && low.fn == 0)
        // Measured (engine 7): seed 7 P 0.880 (3 false alarms of 25) R 0.957; seed 11 P 1.000 R 0.917.
        // The goal, 0.9 for both, is met pooled over many seeds (bench/identification_quality.sh); on
        // one seed a single false alarm moves precision by 0.04, so its floor here is lower.
        #expect(non.precision >= 0.85)
        #expect(non.recall >= 0.9)
        // hard_task_help is found in every planted school on these seeds.
        let planted = region.truthMechanisms(year: 2025)
        let help = Set(planted.filter { $0.value == "hard_task_help" }.keys)
        #expect(help.isSubset(of: result.schools(in: "non_objective")))
        // Measured: seed 7 P 0.889, seed 11 P 1.000 (recall 1.0 on both).
        #expect(resource.precision >= 0.85 && resource.recall >= 0.99)
        // Measured: seed 7 0.567, seed 11 0.800 (P = R: the bottom 10% against 10% planted).
        #expect(social.precision >= 0.55)
    }
}
