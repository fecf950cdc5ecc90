import Foundation
import Testing
@testable import OporaStats

/// Against scripts/reference/make_correlated_combination.py (scipy's chi2 and normal, numpy's corrcoef).
@Suite struct CorrelatedCombinationTests {
    struct Case: Decodable { var p: [Double]; var rho: Double; var fisher_brown: Double; var stouffer: Double }
    struct Correlation: Decodable { var x: [Double]; var y: [Double]; var rho: Double }
    struct File: Decodable { var cases: [Case]; var correlation: Correlation }

    @Test func matchesScipy() throws {
        let f = try Fixtures.json("correlated_combination", as: File.self)
        for c in f.cases {
            let rho = c.p.indices.map { i in c.p.indices.map { j in i == j ? 1 : c.rho } }
            #expect(abs(CorrelatedCombination.fisherBrown(c.p, correlation: rho) / c.fisher_brown - 1) < 1e-9, "\(c)")
            #expect(abs(CorrelatedCombination.stouffer(c.p, correlation: rho) / c.stouffer - 1) < 1e-9, "\(c)")
        }
        #expect(abs(CorrelatedCombination.nullCorrelation(f.correlation.x, f.correlation.y) - f.correlation.rho) < 1e-12)
    }

    @Test("correlation discounts the evidence; none leaves Fisher's method as it is")
    func discounts() {
        let p = [0.004, 0.006]
        let independent = CorrelatedCombination.fisherBrown(p, correlation: [[1, 0], [0, 1]])
        let fisher = ChiSquare.sf(-2 * (log(0.004) + log(0.006)), degreesOfFreedom: 4)
        #expect(abs(independent - fisher) < 1e-14)
        #expect(CorrelatedCombination.fisherBrown(p, correlation: [[1, 0.5], [0.5, 1]]) > 2 * independent)
    }
}
