import Foundation
import OporaCore
import OporaStats

/// A sign's second way to a flag, besides its pooled score test: a cell-by-cell Bayes factor over
/// the years (`CellMixtureBayesFactor` for `journal_mismatch`, `BoundaryPushBayesFactor` for
/// `score_heaping`), each cell affected with chance ½ and each year before with chance ½. The pooled
/// test lets a school's honest cells dilute the few where a practice works; here a silent cell costs
/// at most log 2. The factor is a statistic, not a verdict: a school whose factor reaches
/// `bayes_factor` with the analysis year's own factor ≥ 1 (earlier years alone never flag) gets its
/// p-value from the factor's null distribution, simulated from the same chances, and
/// Benjamini–Hochberg runs over all the tested schools (the others count as p = 1) at `fdr_q`
/// (`corrected`); `min_effect` applies to the sign's effect in the cells where the factor shows it.
/// Measured on the demo generator against an ideal observer: docs/identification.md, "Session 7"
/// and "Session 8".
struct CellFactorEvidence {
    static let cellChance = 0.5, yearChance = 0.5
    /// Draws of the null simulation: 200 for every candidate, then 2,000 for those whose p lies within
    /// a factor `refineFactor` of the largest p the correction across schools accepts, either side.
    /// With 200 draws the Wilson–Hilferty tail came out up to 7× too small for `score_heaping` near
    /// p = 0.001 (a few hundred draws underestimate the skewness of a heavy tail) and up to 8× off
    /// either way for `journal_mismatch` (20,000 draws as the truth); with 2,000, within 2×.
    static let draws = 200, refinedDraws = 2000, refineFactor = 10.0
    var logFactor: Double
    var logFactorYear: Double
    var effect: Double
    var p = 1.0, q = 1.0
    var flagged = false
    var years: Int
    /// The simulated tail for (observed, draws), kept for a candidate so that `corrected` can refine it.
    private var tail: ((Double, Int) -> Double)? = nil

    /// The statistic alone: the analysis year's mixture over its cells, and each earlier year's (p = 1
    /// until `simulate`).
    init(logFactorYear: Double, earlier: [Double]) {
        self.logFactorYear = logFactorYear
        logFactor = logFactorYear + earlier.reduce(0) { $0 + CellMixtureBayesFactor.logEither($1, chance: Self.yearChance) }
        effect = 0
        years = 1 + earlier.count
    }

    /// - Parameters: the analysis year's cell log factors, then each earlier year's (newest first);
    ///   the rest as for `simulate`.
    init(cells: [Double], earlier: [[Double]], effect: Double, bar: Double, sure: Double, school: String, year: Int,
         nullTail: @escaping (_ observed: Double, _ draws: Int, _ seed: UInt64) -> Double) {
        self.init(logFactorYear: CellMixtureBayesFactor.logMixture(cells, chance: Self.cellChance),
                  earlier: earlier.map { CellMixtureBayesFactor.logMixture($0, chance: Self.cellChance) })
        if isCandidate(bar: bar) { simulate(effect: effect, sure: sure, school: school, year: year, nullTail: nullTail) }
    }

    /// Whether the school's p is simulated: its factor reaches `bar` and the analysis year's own
    /// factor is at least 1 (earlier years alone never flag).
    func isCandidate(bar: Double) -> Bool { logFactor >= log(bar) && logFactorYear >= 0 }

    /// The candidate's effect and p. `sure` is the p-value below which the correction accepts
    /// whatever the other schools' (`fdr_q` over the number of schools tested); `nullTail` the
    /// simulated tail of the observed factor for a number of draws and a seed.
    mutating func simulate(effect: Double, sure: Double, school: String, year: Int,
                           nullTail: @escaping (_ observed: Double, _ draws: Int, _ seed: UInt64) -> Double) {
        self.effect = effect
        // Under the null the factor's mean is 1 (each cell's factor and each mixture has mean 1), so
        // P(factor ≥ x) ≤ 1/x (Markov). Where that bound alone is below `sure` the school is accepted
        // whatever the simulation says, and the bound is reported: most planted schools' factors are
        // astronomical, and simulating them would be work for nothing.
        if -logFactor <= log(sure) {
            p = exp(-logFactor)
            return
        }
        // The seed from the school and year: the same data give the same list.
        let seed = StableHash.fnv1a("\(school)/\(year)".utf8)
        p = nullTail(logFactor, Self.draws, seed)
        tail = { nullTail($0, $1, seed) }
    }

    /// Benjamini–Hochberg over `list` and the flags at `fdr` and `minEffect`; the p-values near the
    /// decision are simulated again with more draws first.
    static func corrected(_ list: [CellFactorEvidence], fdr: Double, minEffect: Double) -> [CellFactorEvidence] {
        var list = list
        var q = SignStats.q(list.map(\.p))
        let accepted = list.indices.filter { q[$0] <= fdr }.map { list[$0].p }.max() ?? fdr / Double(max(1, list.count))
        let near = list.indices.filter { list[$0].tail != nil && list[$0].p >= accepted / refineFactor && list[$0].p <= accepted * refineFactor }
        // On all cores: each is a simulation of its own.
        let refined: [Double] = Chunked.map(near.count, minimumPerRange: 8) { range in
            range.map { list[near[$0]].tail!(list[near[$0]].logFactor, refinedDraws) }
        }
        for (k, i) in near.enumerated() { list[i].p = refined[k] }
        if !near.isEmpty { q = SignStats.q(list.map(\.p)) }
        return list.indices.map { i in
            var e = list[i]
            e.q = q[i]
            e.flagged = q[i] <= fdr && e.effect >= minEffect
            e.tail = nil // its cells are not needed any more
            return e
        }
    }

    var strength: SignStrength { SignStats.strength(q: q, effect: effect, minEffect: 0) }

    /// The sentence's part on the factor, when it flags: `practice` says what the factor weighs
    /// («если в части процедур …», "if in some procedures …").
    func text(_ year: Int, practice: (ru: String, en: String), _ l: Language) -> String {
        guard flagged else { return "" }
        // Factors run to astronomical sizes in large schools; past a million the size says nothing more.
        func factor(_ x: Double) -> String {
            x >= log(1e6) ? (l == .ru ? "больше 1 000 000" : "over 1,000,000") : Wording.number(exp(x), l, digits: 0)
        }
        let f = factor(logFactor), fy = factor(logFactorYear)
        if l == .ru {
            return " Байесов фактор (во сколько раз такие числа вероятнее, \(practice.ru), чем если нет): \(fy) за \(year) г."
                + (years > 1 ? ", \(f) вместе с предыдущими годами" : "") + "; так много или больше без такой практики — p \(Wording.isP(p, .ru)), q \(Wording.isP(q, .ru)) с поправкой на множественность."
        }
        return " Bayes factor (how many times likelier these counts are \(practice.en) than if not): \(fy) for \(year)"
            + (years > 1 ? ", \(f) with the years before" : "") + "; as large or larger without such a practice: p \(Wording.isP(p, .en)), q \(Wording.isP(q, .en)) after correcting for testing all schools."
    }
}
