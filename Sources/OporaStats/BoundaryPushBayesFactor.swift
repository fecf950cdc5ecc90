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
            for t in shares.indices { terms[t] = Double(below) * CellMixtureBayesFactor.logKept[t] }
            for w in windows where w.at > 0 {
                for (t, theta) in shares.enumerated() {
                    var x = Double(w.at) * Weights.logAt(w, theta)
                    if let u = w.pRaised {
                        let u2 = Weights.raisedChance(w, theta, u)
                        if w.raisedAt > 0 { x += Double(w.raisedAt) * Weights.logRaised(u, u2) }
                        if w.at > w.raisedAt { x += Double(w.at - w.raisedAt) * Weights.logNotRaised(u, u2) }
                    }
                    terms[t] += x
                }
            }
            return CellMixtureBayesFactor.logMeanExp(terms)
        }
    }

    /// One window's log likelihood ratio per member for a share θ: a score below b, a score at b, and
    /// among those at b a «повысил» or not (the counts times these give the ratio).
    struct Weights {
        var below: Double, at: Double, raised = 0.0, notRaised = 0.0

        init(_ w: Window, share t: Int) {
            let theta = CellMixtureBayesFactor.shares[t]
            below = CellMixtureBayesFactor.logKept[t]
            at = Self.logAt(w, theta)
            if let u = w.pRaised {
                let u2 = Self.raisedChance(w, theta, u)
                raised = Self.logRaised(u, u2)
                notRaised = Self.logNotRaised(u, u2)
            }
        }

        /// A score at b: log((q + θ(1 − q)) / q).
        @inline(__always) static func logAt(_ w: Window, _ theta: Double) -> Double { log1p(theta * (1 - w.pAt) / w.pAt) }

        /// u', the chance of «повысил» at b when a share θ of the scores below was pushed onto it.
        @inline(__always) static func raisedChance(_ w: Window, _ theta: Double, _ u: Double) -> Double {
            let moved = theta * (1 - w.pAt)
            return (w.pAt * u + moved * w.pMovedRaised) / (w.pAt + moved)
        }

        @inline(__always) static func logRaised(_ u: Double, _ u2: Double) -> Double { log(u2 / u) }
        @inline(__always) static func logNotRaised(_ u: Double, _ u2: Double) -> Double { log((1 - u2) / (1 - u)) }

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
        let shares = CellMixtureBayesFactor.shares.count
        // Flat: the windows in order; every window's weights per θ and its samplers computed once.
        let windows = years.flatMap { $0.flatMap { $0 } }
        let weights = windows.flatMap { w in (0..<shares).map { Weights(w, share: $0) } }
        var atDraws = windows.map { BinomialSampler(probability: $0.pAt, maxTrials: $0.below + $0.at) }
        var raisedDraws = windows.map { BinomialSampler(probability: $0.pRaised ?? 0, maxTrials: $0.below + $0.at) }
        var out: [Double] = []
        out.reserveCapacity(draws)
        CellMixtureBayesFactor.NullLayout(years).draw(draws, seed: seed, cellChance: cellChance, yearChance: yearChance, add: { k, terms, rng in
            let w = windows[k]
            let size = w.below + w.at
            let at = atDraws[k].sample(trials: size, using: &rng)
            let raised = w.pRaised == nil ? 0 : raisedDraws[k].sample(trials: at, using: &rng)
            for t in 0..<shares { terms[t] += weights[k * shares + t].logRatio(below: size - at, at: at, raisedAt: raised) }
        }, each: { out.append($0) })
        return out
    }
}
