import Foundation
import Testing
@testable import OporaStats

/// Against scripts/reference/make_boundary_push_bayes_factor.py (scipy's binomial likelihoods for the
/// cell factor, exact enumerations for the null mean and the null tail of a school).
@Suite struct BoundaryPushBayesFactorTests {
    struct Window: Decodable {
        var below: Int, at: Int, raised_at: Int, q: Double, u: Double, v: Double, journal: Bool
        var window: BoundaryPushBayesFactor.Window {
            .init(below: below, at: at, raisedAt: raised_at, pAt: q, pRaised: journal ? u : nil, pMovedRaised: v)
        }
    }
    struct Cell: Decodable { var windows: [Window]; var log_cell: Double }
    struct Expectation: Decodable { var windows: [Window]; var mean: Double }
    struct Tail: Decodable { var statistic: Double; var p: Double }
    struct NullTail: Decodable { var years: [[[Window]]]; var tails: [Tail]; var total_probability: Double }
    struct File: Decodable { var cells: [Cell]; var expectation: Expectation; var null_tail: NullTail }

    static func fixture() throws -> File { try Fixtures.json("boundary_push_bayes_factor", as: File.self) }

    @Test("a cell's factor is the ratio of the binomial likelihoods with scores pushed, averaged over θ")
    func cellFactor() throws {
        for c in try Self.fixture().cells {
            let x = BoundaryPushBayesFactor.logCell(c.windows.map(\.window))
            #expect(abs(x - c.log_cell) <= 1e-9 * max(1, abs(c.log_cell)), "\(c): \(x)")
        }
    }

    @Test("under the null the factor has mean 1 (an e-value), by exact enumeration")
    func nullMeanIsOne() throws {
        let e = try Self.fixture().expectation
        #expect(abs(e.mean - 1) < 1e-9)
        // The same enumeration over the Swift factor.
        func pmf(_ k: Int, _ n: Int, _ p: Double) -> Double {
            exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) + Double(k) * log(p) + Double(n - k) * log1p(-p))
        }
        let w = e.windows.map(\.window)
        let n0 = w[0].below + w[0].at, n1 = w[1].below + w[1].at
        var mean = 0.0
        for a0 in 0...n0 { for r0 in 0...a0 { for a1 in 0...n1 { for r1 in 0...a1 {
            let p = pmf(a0, n0, w[0].pAt) * pmf(r0, a0, w[0].pRaised!) * pmf(a1, n1, w[1].pAt) * pmf(r1, a1, w[1].pRaised!)
            var x = w
            (x[0].below, x[0].at, x[0].raisedAt) = (n0 - a0, a0, r0)
            (x[1].below, x[1].at, x[1].raisedAt) = (n1 - a1, a1, r1)
            mean += p * exp(BoundaryPushBayesFactor.logCell(x))
        } } } }
        #expect(abs(mean - 1) < 1e-9, "\(mean)")
    }

    @Test("scores at the boundary that are «повысили» weigh more than the same scores that are not")
    func theJournalPartCarriesEvidence() {
        let honest = BoundaryPushBayesFactor.Window(below: 2, at: 4, raisedAt: 0, pAt: 0.33, pRaised: 0.08, pMovedRaised: 0.75)
        var raised = honest
        raised.raisedAt = 3
        var noJournal = honest
        noJournal.pRaised = nil
        #expect(BoundaryPushBayesFactor.logCell([raised]) > BoundaryPushBayesFactor.logCell([noJournal]) + 2)
        #expect(BoundaryPushBayesFactor.logCell([honest]) < BoundaryPushBayesFactor.logCell([noJournal]))
        // An empty window says nothing.
        let empty = BoundaryPushBayesFactor.Window(below: 0, at: 0, raisedAt: 0, pAt: 0.33, pRaised: 0.08, pMovedRaised: 0.75)
        #expect(abs(BoundaryPushBayesFactor.logCell([empty])) < 1e-12)
    }

    @Test("the simulated null tail is the exact one (enumerated): counted within sampling error, Wilson–Hilferty within 2×")
    func nullTailAgainstEnumeration() throws {
        let f = try Self.fixture().null_tail
        #expect(abs(f.total_probability - 1) < 1e-9)
        let years = f.years.map { $0.map { $0.map(\.window) } }
        let draws = BoundaryPushBayesFactor.nullDraws(years, cellChance: 0.5, yearChance: 0.5, draws: 40000, seed: 5)
        for t in f.tails {
            let counted = Double(draws.filter { $0 >= t.statistic - 1e-9 }.count) / Double(draws.count)
            #expect(counted / t.p > 0.7 && counted / t.p < 1.4, "\(t): counted \(counted)")
            let p = BoundaryPushBayesFactor.nullTail(years, observed: t.statistic, cellChance: 0.5, yearChance: 0.5, draws: 20000, seed: 7)
            #expect(p / t.p > 0.5 && p / t.p < 2, "\(t): \(p)")
        }
        let a = BoundaryPushBayesFactor.nullTail(years, observed: 1, cellChance: 0.5, yearChance: 0.5, draws: 200, seed: 3)
        let b = BoundaryPushBayesFactor.nullTail(years, observed: 1, cellChance: 0.5, yearChance: 0.5, draws: 200, seed: 3)
        #expect(a == b)
    }
}
