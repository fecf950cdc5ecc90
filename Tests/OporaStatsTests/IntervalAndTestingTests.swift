import Foundation
import Testing
@testable import OporaStats

@Suite struct IntervalAndTestingTests {
    let h: HelpersFixture
    init() throws { h = try Fixtures.json("helpers", as: HelpersFixture.self) }

    @Test func wilsonMatchesStatsmodels() throws {
        for w in h.wilson {
            let ci = try #require(Proportion.wilson(successes: w.k, trials: w.n, z: w.z))
            #expect(abs(ci.lower - w.lower) < 1e-14, "\(w)")
            #expect(abs(ci.upper - w.upper) < 1e-14, "\(w)")
            let byLevel = try #require(Proportion.wilson(successes: w.k, trials: w.n, level: 1 - w.alpha))
            #expect(abs(byLevel.lower - w.lower) < 1e-12)
        }
        #expect(Proportion.wilson(successes: 1, trials: 0) == nil)
        #expect(Proportion.wilson(successes: 5, trials: 3) == nil)
    }

    @Test func benjaminiHochbergMatchesStatsmodels() throws {
        let q = try MultipleTesting.benjaminiHochberg(h.bh.p)
        for (a, b) in zip(q, h.bh.q) { #expect(abs(a - b) < 1e-14) }
        #expect(throws: StatsError.self) { try MultipleTesting.benjaminiHochberg([0.1, 1.2]) }
        #expect(throws: StatsError.self) { try MultipleTesting.benjaminiHochberg([Double.nan]) }
    }

    @Test func benjaminiHochbergIgnoresMissingTests() throws {
        let q = try MultipleTesting.benjaminiHochberg([0.01, nil, 0.04, 0.03] as [Double?])
        #expect(q[1] == nil)
        // m = 3: sorted 0.01, 0.03, 0.04 -> 0.03, 0.04, 0.04
        #expect(abs(q[0]! - 0.03) < 1e-15 && abs(q[2]! - 0.04) < 1e-15 && abs(q[3]! - 0.04) < 1e-15)
    }

    @Test func contingencyTestsMatchScipy() throws {
        let c = h.contingency
        let x2 = try Contingency.chiSquareIndependence(c.table)
        #expect(relDiff(x2.statistic, c.chi2) < 1e-12 && relDiff(x2.pValue, c.chi2_p) < 1e-10 && x2.degreesOfFreedom == c.df)
        let g = try Contingency.gTestIndependence(c.table)
        #expect(relDiff(g.statistic, c.g) < 1e-12 && relDiff(g.pValue, c.g_p) < 1e-10)
        #expect(throws: StatsError.self) { try Contingency.gTestIndependence([[1, 2]]) }
        let gof = try Contingency.gTestGoodnessOfFit(observed: [10, 10], expected: [10, 10])
        #expect(gof.statistic == 0 && gof.pValue == 1)
    }
}
