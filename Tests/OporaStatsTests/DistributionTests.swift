import Foundation
import Testing
@testable import OporaStats

@Suite struct DistributionTests {
    let h: HelpersFixture
    init() throws { h = try Fixtures.json("helpers", as: HelpersFixture.self) }

    @Test func normalQuantileMatchesScipy() {
        for (p, x) in zip(h.norm_ppf.p, h.norm_ppf.x) {
            #expect(relDiff(Normal.quantile(p), x) < 1e-12, "p = \(p)")
        }
        #expect(Normal.quantile(0) == -.infinity)
        #expect(Normal.quantile(1) == .infinity)
        #expect(Normal.quantile(1.5).isNaN)
        #expect(abs(Normal.criticalValue(level: 0.95) - 1.959963984540054) < 1e-14)
    }

    @Test func normalCDFMatchesScipy() {
        for (i, x) in h.norm_cdf.x.enumerated() {
            #expect(relDiff(Normal.cdf(x), h.norm_cdf.cdf[i]) < 1e-13, "x = \(x)")
            #expect(relDiff(Normal.sf(x), h.norm_cdf.sf[i]) < 1e-13, "x = \(x)")
        }
    }

    @Test func quantileInvertsCDF() {
        for p in stride(from: 0.001, to: 1, by: 0.0371) {
            #expect(abs(Normal.cdf(Normal.quantile(p)) - p) < 1e-15)
        }
    }

    @Test func binomialTailsMatchScipy() {
        for b in h.binomial {
            #expect(relDiff(Binomial.upperTail(atLeast: b.k, trials: b.n, probability: b.p), b.sf_ge) < 1e-11, "\(b)")
            #expect(relDiff(Binomial.lowerTail(atMost: b.k, trials: b.n, probability: b.p), b.cdf_le) < 1e-11, "\(b)")
        }
    }

    @Test func poissonTailsMatchScipy() {
        for q in h.poisson {
            #expect(relDiff(Poisson.upperTail(atLeast: q.k, mean: q.lambda), q.sf_ge) < 1e-11, "\(q)")
            #expect(relDiff(Poisson.lowerTail(atMost: q.k, mean: q.lambda), q.cdf_le) < 1e-11, "\(q)")
        }
    }

    @Test func chiSquareSurvivalMatchesScipy() {
        for c in h.chi2_sf {
            #expect(relDiff(ChiSquare.sf(c.x, degreesOfFreedom: c.df), c.sf) < 1e-11, "\(c)")
        }
    }
}
