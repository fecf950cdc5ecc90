import Foundation
import Testing
@testable import OporaStats

/// Against scripts/reference/make_cell_mixture_bayes_factor.py (scipy's multinomial likelihoods for
/// the cell factor, numpy for the mixture, an exact enumeration for the null mean).
@Suite struct CellMixtureBayesFactorTests {
    struct Cell: Decodable { var n: [Int]; var l: [Double]; var b: [Double]; var pl: [Double]; var pb: [Double]; var log_cell: Double }
    struct School: Decodable { var log_cells: [Double]; var chance: Double; var log_mixture: Double }
    struct Expectation: Decodable { var n: [Int]; var pl: [Double]; var pb: [Double]; var mean: Double }
    struct Stratum: Decodable { var n: Int; var pl: Double; var pb: Double }
    struct Tail: Decodable { var statistic: Double; var p: Double }
    struct NullTail: Decodable { var years: [[[Stratum]]]; var tails: [Tail] }
    struct File: Decodable { var cells: [Cell]; var schools: [School]; var expectation: Expectation; var null_tail: NullTail }

    @Test("a cell's factor is the likelihood ratio of the moved chances, averaged over θ")
    func cellFactor() throws {
        for c in try Fixtures.json("cell_mixture_bayes_factor", as: File.self).cells {
            let x = CellMixtureBayesFactor.logCell(l: c.l, b: c.b, pl: c.pl, pb: c.pb)
            #expect(abs(x - c.log_cell) <= 1e-9 * max(1, abs(c.log_cell)), "\(c): \(x)")
        }
    }

    @Test func schoolMixture() throws {
        for s in try Fixtures.json("cell_mixture_bayes_factor", as: File.self).schools {
            let x = CellMixtureBayesFactor.logMixture(s.log_cells, chance: s.chance)
            #expect(abs(x - s.log_mixture) <= 1e-10 * max(1, abs(s.log_mixture)), "\(s): \(x)")
        }
    }

    @Test("under the null the factor has mean 1 (an e-value), by exact enumeration")
    func nullMeanIsOne() throws {
        let e = try Fixtures.json("cell_mixture_bayes_factor", as: File.self).expectation
        #expect(abs(e.mean - 1) < 1e-9)
        // The same enumeration here, over the Swift factor.
        func pmf(_ n: Int, _ l: Int, _ b: Int, _ pl: Double, _ pb: Double) -> Double {
            let r = n - l - b
            let logC = lgamma(Double(n + 1)) - lgamma(Double(l + 1)) - lgamma(Double(b + 1)) - lgamma(Double(r + 1))
            return exp(logC + Double(l) * log(pl) + Double(b) * log(pb) + Double(r) * log1p(-pl - pb))
        }
        var mean = 0.0
        for l0 in 0...e.n[0] { for b0 in 0...(e.n[0] - l0) { for l1 in 0...e.n[1] { for b1 in 0...(e.n[1] - l1) {
            let p = pmf(e.n[0], l0, b0, e.pl[0], e.pb[0]) * pmf(e.n[1], l1, b1, e.pl[1], e.pb[1])
            mean += p * exp(CellMixtureBayesFactor.logCell(l: [Double(l0), Double(l1)], b: [Double(b0), Double(b1)], pl: e.pl, pb: e.pb))
        } } } }
        #expect(abs(mean - 1) < 1e-9, "\(mean)")
    }

    @Test("more pupils moved to the boundary is more evidence; a silent cell costs at most log 1/(1 − π)")
    func monotoneAndCapped() {
        let base = CellMixtureBayesFactor.logCell(l: [3], b: [2], pl: [0.25], pb: [0.1])
        let moved = CellMixtureBayesFactor.logCell(l: [1], b: [4], pl: [0.25], pb: [0.1])
        #expect(moved > base)
        let silent = CellMixtureBayesFactor.logCell(l: [30], b: [0], pl: [0.25], pb: [0.1])
        #expect(CellMixtureBayesFactor.logEither(silent, chance: 0.5) >= log(0.5) - 1e-12)
    }

    @Test("the simulated null tail is the exact one (enumerated) within Wilson–Hilferty's accuracy")
    func nullTailAgainstEnumeration() throws {
        let f = try Fixtures.json("cell_mixture_bayes_factor", as: File.self).null_tail
        let years = f.years.map { $0.map { $0.map { CellMixtureBayesFactor.Stratum(n: $0.n, pl: $0.pl, pb: $0.pb, boundary: true) } } }
        for t in f.tails {
            let p = CellMixtureBayesFactor.nullTail(years, observed: t.statistic, cellChance: 0.5, yearChance: 0.5, draws: 20000, seed: 7)
            #expect(p / t.p > 0.5 && p / t.p < 2, "\(t): \(p)")
        }
        // Deterministic for a seed.
        let a = CellMixtureBayesFactor.nullTail(years, observed: 1, cellChance: 0.5, yearChance: 0.5, draws: 200, seed: 3)
        let b = CellMixtureBayesFactor.nullTail(years, observed: 1, cellChance: 0.5, yearChance: 0.5, draws: 200, seed: 3)
        #expect(a == b)
    }

    @Test("binomial draws follow the binomial distribution (chi-square against the exact probabilities)")
    func binomialSampler() {
        var rng = SplitMix64(seed: 11)
        for (n, p) in [(12, 0.25), (30, 0.07), (9, 0.8), (40, 0.5)] {
            let draws = 20000
            var counts = [Int](repeating: 0, count: n + 1)
            for _ in 0..<draws { counts[Binomial.sample(trials: n, probability: p, using: &rng)] += 1 }
            var chi = 0.0, df = -1
            for k in 0...n {
                let expected = Double(draws) * exp(lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
                    + Double(k) * log(p) + Double(n - k) * log1p(-p))
                guard expected >= 5 else { continue }
                chi += pow(Double(counts[k]) - expected, 2) / expected
                df += 1
            }
            #expect(ChiSquare.sf(chi, degreesOfFreedom: Double(df)) > 0.001, "n \(n) p \(p): χ² \(chi) on \(df)")
        }
    }
}

@Suite struct BinomialSamplerTests {
    @Test("the sampler's draws are Binomial.sample's for the same generator, for every p and trials")
    func sameDrawsAsBinomialSample() {
        for p in [0.0, 0.03, 0.2, 0.5, 0.51, 0.8, 0.97, 1.0] {
            var sampler = BinomialSampler(probability: p, maxTrials: 40)
            var a = SplitMix64(seed: 5), b = SplitMix64(seed: 5)
            for i in 0..<2000 {
                let n = (i * 7) % 41
                #expect(sampler.sample(trials: n, using: &a) == Binomial.sample(trials: n, probability: p, using: &b), "p \(p) n \(n)")
            }
        }
    }
}
