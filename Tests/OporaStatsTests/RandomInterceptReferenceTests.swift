import Foundation
import Testing
@testable import OporaStats

/// Agreement with statsmodels MixedLM (and an exact numpy profiled-likelihood solution) on real
/// published data: mlmRev Exam and Hsb82.
@Suite struct RandomInterceptReferenceTests {
    static let datasets = ["exam", "hsb82", "hsb82_context"]

    struct Loaded {
        let fixture: MixedFixture
        let y: [Double]
        let x: [[Double]]
        let groups: [Int]
    }

    static func load(_ name: String) throws -> Loaded {
        let f = try Fixtures.json(name, as: MixedFixture.self)
        let d = try Fixtures.csv(String(f.csv.dropLast(4)))
        return Loaded(fixture: f, y: d[f.y]!, x: f.x.map { d[$0]! }, groups: d[f.group]!.map { Int($0) })
    }

    static func pair(_ f: MixedFixture, _ m: VarianceEstimation) -> MixedFixture.Pair { m == .reml ? f.reml : f.ml }

    /// Our fit must be at least as good as statsmodels' and agree with it to 4 significant digits.
    @Test(arguments: datasets, [VarianceEstimation.reml, .ml])
    func agreesWithStatsmodels(_ name: String, _ method: VarianceEstimation) throws {
        let d = try Self.load(name)
        let fit = try RandomInterceptModel.fit(y: d.y, columns: d.x, groups: d.groups, method: method)
        let sm = Self.pair(d.fixture, method).statsmodels
        #expect(fit.logLikelihood >= sm.llf - 1e-6)
        #expect(maxRelDiff(fit.fixed, sm.fe_params) < 1e-4)
        #expect(relDiff(fit.groupVariance, sm.cov_re) < 1e-4)
        #expect(relDiff(fit.residualVariance, sm.scale) < 1e-4)
        #expect(relDiff(fit.logLikelihood, sm.llf) < 1e-9)
        #expect(fit.groups.map { String($0.id) } == sm.group_labels)
        // BLUPs: to 1e-4 of the effect's own posterior SD (relative error is meaningless near 0).
        for (g, (u, v)) in zip(fit.groups, zip(sm.random_effects, sm.random_effects_var)) {
            #expect(abs(g.estimate - u) < 1e-4 * v.squareRoot(), "group \(g.id)")
            #expect(relDiff(g.sd * g.sd, v) < 1e-4, "group \(g.id)")
        }
    }

    /// Against the exact optimum (numpy, tightly converged), the agreement is much closer.
    @Test(arguments: datasets, [VarianceEstimation.reml, .ml])
    func agreesWithExactProfile(_ name: String, _ method: VarianceEstimation) throws {
        let d = try Self.load(name)
        let fit = try RandomInterceptModel.fit(y: d.y, columns: d.x, groups: d.groups, method: method)
        let ex = Self.pair(d.fixture, method).exact
        #expect(abs(fit.logLikelihood - ex.llf) < 1e-8)
        #expect(maxRelDiff(fit.fixed, ex.fe_params) < 1e-6)
        #expect(maxRelDiff(fit.fixedSE, ex.bse_fe) < 1e-6)       // lme4's vcov() convention
        #expect(relDiff(fit.groupVariance, ex.cov_re) < 1e-5)
        #expect(relDiff(fit.residualVariance, ex.scale) < 1e-7)
        #expect(fit.groups.map(\.n) == ex.group_n)
        #expect(maxRelDiff(fit.groups.map(\.shrinkage), ex.shrinkage!) < 1e-6)
        for (g, (u, v)) in zip(fit.groups, zip(ex.random_effects, ex.random_effects_var)) {
            #expect(abs(g.estimate - u) < 1e-6 * v.squareRoot(), "group \(g.id)")
            #expect(relDiff(g.sd * g.sd, v) < 1e-6, "group \(g.id)")
        }
    }

    /// Published lme4 values for Exam (normexam ~ standLRT + (1 | school), REML).
    @Test func examMatchesPublishedLme4() throws {
        let d = try Self.load("exam")
        let fit = try RandomInterceptModel.fit(y: d.y, columns: d.x, groups: d.groups)
        #expect(abs(-2 * fit.logLikelihood - 9368.8) < 0.05)  // "REML criterion at convergence: 9368.8"
        #expect(abs(fit.fixed[1] - 0.563307) < 5e-7)
        #expect(abs(fit.groupVariance - 0.09384) < 5e-6)
        #expect(abs(fit.residualVariance - 0.5659) < 5e-5)
    }

    @Test func intervalsAndShrinkageAreConsistent() throws {
        let d = try Self.load("exam")
        let fit = try RandomInterceptModel.fit(y: d.y, columns: d.x, groups: d.groups, level: 0.9)
        let z = Normal.criticalValue(level: 0.9)
        for g in fit.groups {
            #expect(abs(g.upper - g.estimate - z * g.sd) < 1e-12)
            #expect(abs(g.shrinkage - fit.groupVariance / (fit.groupVariance + fit.residualVariance / Double(g.n))) < 1e-12)
            #expect(abs(g.estimate - g.shrinkage * g.meanResidual) < 1e-12)
            #expect(abs(g.sd * g.sd - fit.groupVariance * (1 - g.shrinkage)) < 1e-12)
        }
        #expect(fit.groups.reduce(0) { $0 + $1.n } == 4059)
        #expect(!fit.atBoundary)
    }
}
