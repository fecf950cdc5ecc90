import Foundation

/// Evidence that a practice moved a share of a group's members from one count to another in some
/// of its cells, as a Bayes factor — for `journal_mismatch`: pupils who would have been «понизили»
/// (ВПР mark below the journal mark) raised to the boundary of their journal mark.
///
/// Per cell and stratum k (a journal mark) with null chances p_L,k and p_B,k per member, moving a
/// share θ of the L members to B multiplies the multinomial likelihood of the counts (L_k, B_k) by
///
///     (1 − θ)^L_k · (1 + θ·p_L,k / p_B,k)^B_k,
///
/// and the cell's Bayes factor averages that over θ in `shares` (a discrete uniform prior on how
/// much was moved). A practice works in some of a school's cells and not others: each cell is
/// taken to be affected with chance π, so the school's factor is Π_c (1 − π + π·BF_c) — a silent
/// cell costs at most log(1/(1 − π)), where a test pooled over cells would let it dilute the rest.
/// Under the null every factor has mean 1 (an e-value). Measured against a model that knows the
/// demo generator (bench/ideal_observer.sh): cell by cell this finds what pooled and per-cell
/// p-value tests miss (docs/identification.md, "Session 7"). Written by hand: a few lines of
/// arithmetic that no library offers in this form; checked against numpy/scipy
/// (scripts/reference/make_cell_mixture_bayes_factor.py).
public enum CellMixtureBayesFactor {
    /// The prior grid of θ, the share of the L members moved.
    public static let shares: [Double] = [0.2, 0.4, 0.6, 0.8, 0.95]

    /// log(1 − θ) per θ in `shares`: a member left where it was.
    static let logKept = shares.map { log1p(-$0) }

    /// log BF of one cell. Strata without a B count (no boundary known) pass `b` = 0 and any `pb`.
    /// - Parameters: per stratum the counts `l`, `b` and their null chances `pl`, `pb` (pb > 0).
    public static func logCell(l: [Double], b: [Double], pl: [Double], pb: [Double]) -> Double {
        logCell(lowered: l.reduce(0, +), strata: b.indices.map { (b[$0], pl[$0] / pb[$0]) })
    }

    /// The same from the total L and per stratum (B, p_L/p_B); the form a national run calls
    /// 400,000 times (no arrays of its own).
    public static func logCell(lowered: Double, strata: [(b: Double, ratio: Double)]) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: shares.count) { terms in
            for t in 0..<shares.count {
                let theta = shares[t]
                var x = lowered * logKept[t]
                for s in strata where s.b > 0 { x += s.b * log1p(theta * s.ratio) }
                terms[t] = x
            }
            return logMeanExp(terms)
        }
    }

    /// log Π (1 − π + π·e^x) over the cells' log factors `x`.
    public static func logMixture(_ logCells: [Double], chance pi: Double) -> Double {
        logCells.reduce(0) { $0 + logEither($1, chance: pi) }
    }

    /// log(1 − w + w·e^x): a factor e^x that applies with chance w.
    public static func logEither(_ x: Double, chance w: Double) -> Double {
        let a = log1p(-w), b = log(w) + x
        let m = max(a, b)
        return m + log(exp(a - m) + exp(b - m))
    }

    static func logMeanExp<C: Collection<Double>>(_ x: C) -> Double {
        let m = x.max() ?? 0
        return m + log(x.reduce(0) { $0 + exp($1 - m) } / Double(x.count))
    }
}

extension CellMixtureBayesFactor {
    /// One stratum of a cell for the null simulation: n members, their null chances of L and B;
    /// `boundary` false when B is not known (then only L counts).
    public struct Stratum: Sendable {
        public var n: Int, pl: Double, pb: Double, boundary: Bool
        public init(n: Int, pl: Double, pb: Double, boundary: Bool) { self.n = n; self.pl = pl; self.pb = pb; self.boundary = boundary }
    }

    /// The upper tail p of a school's statistic under the null, by simulation: `years[0]` holds the
    /// analysis year's cells (their mixture counts as is), each later group an earlier year's (its
    /// mixture applies with chance `yearChance`). Each draw takes every stratum's counts from its null
    /// multinomial; the draws' mean, SD and skewness give the tail by Wilson–Hilferty
    /// (`SkewedNormalScore`), so a few hundred draws reach the small p-values a correction across
    /// many schools needs. Deterministic for a `seed`.
    public static func nullTail(_ years: [[[Stratum]]], observed: Double, cellChance: Double, yearChance: Double,
                                draws: Int, seed: UInt64) -> Double {
        let count = shares.count
        // Flat: the strata in order; per stratum and θ the weight of one member at the boundary, computed once.
        let strata = years.flatMap { $0.flatMap { $0 } }
        let weights = strata.flatMap { s in shares.map { s.boundary && s.pb > 0 ? log1p($0 * s.pl / s.pb) : 0 } }
        // L's draws, and B's among those not in L (its chance conditional on that).
        var lowered = strata.map { BinomialSampler(probability: $0.pl, maxTrials: $0.n) }
        var boundary = strata.map { s in BinomialSampler(probability: min(1, s.pb / max(1e-12, 1 - s.pl)), maxTrials: s.n) }
        var moments = NullMoments()
        NullLayout(years).draw(draws, seed: seed, cellChance: cellChance, yearChance: yearChance, add: { k, terms, rng in
            let s = strata[k]
            let l = lowered[k].sample(trials: s.n, using: &rng)
            let b = s.boundary ? boundary[k].sample(trials: s.n - l, using: &rng) : 0
            for t in 0..<count { terms[t] += Double(l) * logKept[t] + Double(b) * weights[k * count + t] }
        }, each: { moments.add($0) })
        return moments.tail(observed)
    }

    /// Where each cell and each year of a school's elements (strata, windows) ends in their flat
    /// order, and the draw → year → cell loop both null simulations run over it (nested arrays cost
    /// a retain on every access).
    struct NullLayout {
        var cellEnds: [Int] = [], yearEnds: [Int] = []

        init<Element>(_ years: [[[Element]]]) {
            for year in years {
                for cell in year { cellEnds.append((cellEnds.last ?? 0) + cell.count) }
                yearEnds.append(cellEnds.count)
            }
        }

        /// `draws` null draws from one generator: `add(k, &terms, &rng)` draws element k's counts and
        /// adds their log ratio per θ to its cell's terms; a year is the mixture of its cells, and each
        /// earlier year applies with chance `yearChance`. `each` receives every draw's statistic.
        @inline(__always)
        func draw(_ draws: Int, seed: UInt64, cellChance: Double, yearChance: Double,
                  add: (Int, inout [Double], inout SplitMix64) -> Void, each: (Double) -> Void) {
            var rng = SplitMix64(seed: seed)
            var terms = [Double](repeating: 0, count: shares.count)
            for _ in 0..<draws {
                var total = 0.0, cell = 0, k = 0
                for (y, yearEnd) in yearEnds.enumerated() {
                    var year = DrawMixture()
                    while cell < yearEnd {
                        for t in 0..<terms.count { terms[t] = 0 }
                        while k < cellEnds[cell] {
                            add(k, &terms, &rng)
                            k += 1
                        }
                        year.add(terms, chance: cellChance)
                        cell += 1
                    }
                    total += y == 0 ? year.value : logEither(year.value, chance: yearChance)
                }
                each(total)
            }
        }
    }

    /// A year's mixture over its cells, log Π_c (1 − π + π·BF_c), in a null draw: the product kept as a
    /// number (rescaled into `logs` when it drifts far from 1) and each BF_c = mean_θ e^terms summed
    /// directly, one `exp` per θ and no `log` per cell — the logs of `logEither(logMeanExp(…))` were
    /// most of a national run's simulations. Terms too large for `exp` take that way instead.
    struct DrawMixture {
        var product = 1.0, logs = 0.0

        @inline(__always)
        mutating func add(_ terms: [Double], chance pi: Double) {
            var sum = 0.0, big = false
            for t in terms { if t > 600 { big = true }; sum += exp(t) }
            if big { logs += CellMixtureBayesFactor.logEither(CellMixtureBayesFactor.logMeanExp(terms), chance: pi); return }
            product *= 1 - pi + pi * sum / Double(terms.count)
            if product > 1e200 || product < 1e-200 { logs += log(product); product = 1 }
        }

        var value: Double { logs + log(product) }
    }

    /// The first three moments of a statistic's simulated null draws, and the upper tail they give
    /// by Wilson–Hilferty (`SkewedNormalScore`).
    struct NullMoments {
        var draws = 0.0, sum = 0.0, sum2 = 0.0, sum3 = 0.0

        mutating func add(_ x: Double) { draws += 1; sum += x; sum2 += x * x; sum3 += x * x * x }

        func tail(_ observed: Double) -> Double {
            let mean = sum / draws
            let variance = max(0, sum2 / draws - mean * mean)
            guard variance > 1e-12 else { return observed > mean + 1e-9 ? 0 : 1 }
            let sd = variance.squareRoot()
            let skew = (sum3 / draws - 3 * mean * sum2 / draws + 2 * mean * mean * mean) / (variance * sd)
            return Normal.sf(SkewedNormalScore.z((observed - mean) / sd, skewness: skew))
        }
    }
}

/// Steele, Lea and Flood's SplitMix64: a small, fast, reproducible generator (the same draws on every
/// machine for a seed), for simulated null distributions. Written by hand: the standard library's
/// generator cannot be seeded.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}

/// Many draws from Binomial(m, p) for one p and trials m that vary: each m's cumulative
/// probabilities are computed once, by the recurrence `Binomial.sample` walks, so the draws are the
/// same as its own for the same generator — without its `pow` on every draw, which was most of a
/// national run's null simulations.
public struct BinomialSampler: Sendable {
    let p: Double
    let complement: Bool
    /// Per trials m (up to `maxTrials`), the cumulative probabilities of 0…m (of the complement's
    /// count when p > ½), once needed.
    var tables: [[Double]?]

    public init(probability p: Double, maxTrials: Int) {
        self.p = p
        complement = p > 0.5
        tables = [[Double]?](repeating: nil, count: p > 0 && p < 1 && maxTrials <= 1000 ? maxTrials + 1 : 0)
    }

    public mutating func sample(trials n: Int, using rng: inout SplitMix64) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        guard n < tables.count else { return Binomial.sample(trials: n, probability: p, using: &rng) }
        if tables[n] == nil { tables[n] = Self.cumulative(n, complement ? 1 - p : p) }
        let u = rng.uniform()
        var k = 0
        tables[n]!.withUnsafeBufferPointer { cdf in
            while u >= cdf[k] && k < n { k += 1 }
        }
        return complement ? n - k : k
    }

    /// The same sums, in the same order, as `Binomial.sample`'s walk (p ≤ ½).
    static func cumulative(_ n: Int, _ p: Double) -> [Double] {
        let ratio = p / (1 - p)
        var pk = pow(1 - p, Double(n)), cdf = pk
        var out = [cdf]
        out.reserveCapacity(n + 1)
        for k in 0..<n {
            pk *= ratio * Double(n - k) / Double(k + 1)
            cdf += pk
            out.append(cdf)
        }
        return out
    }
}

extension Binomial {
    /// One draw by inversion (walking the probabilities up from 0; for p > ½ the complement), which
    /// is exact and fast for the tens of pupils of a class.
    public static func sample(trials n: Int, probability p: Double, using rng: inout SplitMix64) -> Int {
        guard n > 0, p > 0 else { return 0 }
        guard p < 1 else { return n }
        if p > 0.5 { return n - sample(trials: n, probability: 1 - p, using: &rng) }
        if n > 1000 {
            // (1 − p)^n would underflow: the normal approximation, which is close at this size.
            let z = (-2 * log(1 - rng.uniform())).squareRoot() * cos(2 * Double.pi * rng.uniform())
            return min(n, max(0, Int((Double(n) * p + z * (Double(n) * p * (1 - p)).squareRoot()).rounded())))
        }
        let u = rng.uniform()
        let ratio = p / (1 - p)
        var pk = pow(1 - p, Double(n)), cdf = pk, k = 0
        while u >= cdf && k < n {
            pk *= ratio * Double(n - k) / Double(k + 1)
            k += 1
            cdf += pk
        }
        return k
    }
}
