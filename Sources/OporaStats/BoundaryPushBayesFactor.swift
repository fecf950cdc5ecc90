import Foundation

/// Evidence that scores just below mark boundaries were pushed onto them in some of a school's
/// cells, as a Bayes factor — `score_heaping`'s second way to a flag.
///
/// Per cell and boundary b, of the scores in the window b − 2 … b (a push moves scores within it, so
/// its size is fixed): `at` of them exactly at b, `below` at b − 2 or b − 1; and of those at b,
/// `raisedAt` «повысили» (ВПР mark above the journal mark). Under the null a score in the window is
/// at b with chance q, and a score at b is «повысил» with chance u. Pushing a share θ of the scores
/// below onto b makes the chance at b q + θ(1 − q) and, since a pushed pupil keeps the journal mark
/// of the mark below (a «повысил» with chance v), the chance of «повысил» at b
/// u' = (q·u + θ(1 − q)·v) / (q + θ(1 − q)). The cell's likelihood ratio is
///
///     (1 − θ)^below · ((q + θ(1 − q)) / q)^at · (u'/u)^raisedAt · ((1 − u')/(1 − u))^(at − raisedAt),
///
/// multiplied over the cell's boundaries and averaged over θ in `CellMixtureBayesFactor.shares`.
/// Schools combine cells and years as `CellMixtureBayesFactor` does. The journal part carries most of
/// the power: a pushed score is usually above the journal mark the teacher gave all year, where an
/// honest score at the boundary seldom is (the window counts alone found a fraction of the schools;
/// docs/identification.md, "Session 8"). Written by hand for the same reasons as
/// `CellMixtureBayesFactor`; checked against scipy (scripts/reference/make_boundary_push_bayes_factor.py).
public enum BoundaryPushBayesFactor {
    /// One boundary of a cell: its counts and null chances. Without journal marks pass `raisedAt` 0
    /// and `pRaised` nil: then only the window counts.
    public struct Window: Sendable {
        public var below: Int, at: Int, raisedAt: Int
        /// q, u and v above.
        public var pAt: Double, pRaised: Double?, pMovedRaised: Double
        public init(below: Int, at: Int, raisedAt: Int, pAt: Double, pRaised: Double?, pMovedRaised: Double) {
            self.below = below; self.at = at; self.raisedAt = raisedAt
            self.pAt = pAt; self.pRaised = pRaised; self.pMovedRaised = pMovedRaised
        }
    }

    /// log BF of one cell (its boundaries together).
    public static func logCell<C: Collection<Window>>(_ windows: C) -> Double {
        let shares = CellMixtureBayesFactor.shares
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: shares.count) { terms in
            // The logs of a window's terms only where its counts are not 0: this runs over every cell
            // of a national run, and most windows have few scores at the boundary.
            let below = windows.reduce(0) { $0 + $1.below }
            for t in shares.indices { terms[t] = Double(below) * logKept[t] }
            for w in windows where w.at > 0 {
                for (t, theta) in shares.enumerated() {
                    let moved = theta * (1 - w.pAt)
                    var x = Double(w.at) * log1p(moved / w.pAt)
                    if let u = w.pRaised {
                        let u2 = (w.pAt * u + moved * w.pMovedRaised) / (w.pAt + moved)
                        if w.raisedAt > 0 { x += Double(w.raisedAt) * log(u2 / u) }
                        if w.at > w.raisedAt { x += Double(w.at - w.raisedAt) * log((1 - u2) / (1 - u)) }
                    }
                    terms[t] += x
                }
            }
            return CellMixtureBayesFactor.logMeanExp(terms)
        }
    }

    /// log(1 − θ) per θ: a score left below the boundary.
    static let logKept = CellMixtureBayesFactor.shares.map { log1p(-$0) }

    /// One window's log likelihood ratio per member for a share θ: a score below b, a score at b, and
    /// among those at b a «повысил» or not (the counts times these give the ratio).
    struct Weights {
        var below: Double, at: Double, raised = 0.0, notRaised = 0.0

        init(_ w: Window, share t: Int) {
            let theta = CellMixtureBayesFactor.shares[t]
            let moved = theta * (1 - w.pAt)
            below = log1p(-theta)
            at = log1p(moved / w.pAt)
            if let u = w.pRaised {
                let u2 = (w.pAt * u + moved * w.pMovedRaised) / (w.pAt + moved)
                raised = log(u2 / u)
                notRaised = log((1 - u2) / (1 - u))
            }
        }

        @inline(__always)
        func logRatio(below b: Int, at a: Int, raisedAt r: Int) -> Double {
            Double(b) * below + Double(a) * at + Double(r) * raised + Double(a - r) * notRaised
        }
    }

    /// The upper tail p of a school's statistic under the null, by simulation, as
    /// `CellMixtureBayesFactor.nullTail`: `years[0]` the analysis year's cells, each a list of windows.
    public static func nullTail(_ years: [[[Window]]], observed: Double, cellChance: Double, yearChance: Double,
                                draws: Int, seed: UInt64) -> Double {
        var moments = CellMixtureBayesFactor.NullMoments()
        for x in nullDraws(years, cellChance: cellChance, yearChance: yearChance, draws: draws, seed: seed) { moments.add(x) }
        return moments.tail(observed)
    }

    /// The school's statistic in `draws` simulated null data sets: per draw each window's `at` from its
    /// size and q, `raisedAt` from `at` and u. Deterministic for a `seed`.
    public static func nullDraws(_ years: [[[Window]]], cellChance: Double, yearChance: Double, draws: Int, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        let shares = CellMixtureBayesFactor.shares.count
        // Flat: the windows in order, where each cell and each year ends; every window's weights per θ
        // and its samplers computed once (nested arrays cost a retain on every access).
        let windows = years.flatMap { $0.flatMap { $0 } }
        var cellEnds: [Int] = [], yearEnds: [Int] = []
        for year in years {
            for cell in year { cellEnds.append((cellEnds.last ?? 0) + cell.count) }
            yearEnds.append(cellEnds.count)
        }
        let weights = windows.flatMap { w in (0..<shares).map { Weights(w, share: $0) } }
        var atDraws = windows.map { BinomialSampler(probability: $0.pAt, maxTrials: $0.below + $0.at) }
        var raisedDraws = windows.map { BinomialSampler(probability: $0.pRaised ?? 0, maxTrials: $0.below + $0.at) }
        var terms = [Double](repeating: 0, count: shares)
        var out: [Double] = []
        out.reserveCapacity(draws)
        for _ in 0..<draws {
            var total = 0.0, cell = 0, k = 0
            for (y, yearEnd) in yearEnds.enumerated() {
                var year = CellMixtureBayesFactor.DrawMixture()
                while cell < yearEnd {
                    for t in 0..<shares { terms[t] = 0 }
                    while k < cellEnds[cell] {
                        let w = windows[k]
                        let size = w.below + w.at
                        let at = atDraws[k].sample(trials: size, using: &rng)
                        let raised = w.pRaised == nil ? 0 : raisedDraws[k].sample(trials: at, using: &rng)
                        for t in 0..<shares { terms[t] += weights[k * shares + t].logRatio(below: size - at, at: at, raisedAt: raised) }
                        k += 1
                    }
                    year.add(terms, chance: cellChance)
                    cell += 1
                }
                total += y == 0 ? year.value : CellMixtureBayesFactor.logEither(year.value, chance: yearChance)
            }
            out.append(total)
        }
        return out
    }
}
