import Foundation
import OporaAnalysis
import OporaCore
import OporaStats
import OporaStore

/// Did support work? The change in the share of «2» in ВПР of supported schools from the year
/// before their support began to the latest year, against the change in similar schools that were
/// not supported: each supported school is matched (with replacement) to its `k` nearest unsupported
/// schools on the baseline share of «2» and the well-being index (both standardised). The effect is
/// the mean of the paired differences, with a t interval over supported schools (matching is taken
/// as given, so the interval is somewhat narrow). Negative = fewer «2» than similar schools.
public struct SupportEffect: Sendable {
    public struct Pair: Sendable {
        public var schoolID: String
        public var baselineYear: Int
        public var change: Double
        public var matchedChange: Double
        public var matched: [String]
    }

    public var pairs: [Pair]
    public var outcomeYear: Int
    public var effect: Double
    public var low: Double
    public var high: Double
    public var supportedChange: Double
    public var matchedChange: Double

    /// `nil` when fewer than 3 supported schools have a baseline and an outcome year with ВПР.
    public static func estimate(supported entries: [RegistryEntry], snapshot: AnalysisSnapshot, k: Int = 3, level: Double = 0.95) -> SupportEffect? {
        guard let outcomeYear = snapshot.vprFailsByYear.values.flatMap(\.keys).max() else { return nil }
        func share(_ id: String, _ year: Int) -> Double? {
            guard let c = snapshot.vprFailsByYear[id]?[year], c.marked >= 10 else { return nil }
            return Double(c.fails) / Double(c.marked)
        }
        let supportedIDs = Set(entries.map(\.schoolID))
        let wellbeingYear = snapshot.wellbeing.keys.max()
        func wellbeing(_ id: String) -> Double? { wellbeingYear.flatMap { snapshot.wellbeing[$0]?[id]?.index } }
        var pairs: [Pair] = []
        for entry in entries {
            guard let start = Int(entry.startDate.prefix(4)) else { continue }
            let baselineYear = start - 1
            guard baselineYear < outcomeYear, let b = share(entry.schoolID, baselineYear), let o = share(entry.schoolID, outcomeYear),
                  let w = wellbeing(entry.schoolID) else { continue }
            // Candidates: never supported, with the same years of data.
            var candidates: [(id: String, b: Double, w: Double, change: Double)] = []
            for school in snapshot.data.schools where !supportedIDs.contains(school.id) {
                guard let cb = share(school.id, baselineYear), let co = share(school.id, outcomeYear), let cw = wellbeing(school.id) else { continue }
                candidates.append((school.id, cb, cw, co - cb))
            }
            guard candidates.count >= k else { continue }
            let sb = Descriptive.standardDeviation(candidates.map(\.b)) ?? 1, sw = Descriptive.standardDeviation(candidates.map(\.w)) ?? 1
            let nearest = candidates.sorted {
                pow(($0.b - b) / max(sb, 1e-9), 2) + pow(($0.w - w) / max(sw, 1e-9), 2)
                    < pow(($1.b - b) / max(sb, 1e-9), 2) + pow(($1.w - w) / max(sw, 1e-9), 2)
            }.prefix(k)
            let matchedChange = nearest.map(\.change).reduce(0, +) / Double(nearest.count)
            pairs.append(Pair(schoolID: entry.schoolID, baselineYear: baselineYear, change: o - b, matchedChange: matchedChange, matched: nearest.map(\.id)))
        }
        guard pairs.count >= 3 else { return nil }
        let d = pairs.map { $0.change - $0.matchedChange }
        let n = Double(d.count), mean = d.reduce(0, +) / n
        let sd = Descriptive.standardDeviation(d) ?? 0
        let t = StudentT.quantile(1 - (1 - level) / 2, degreesOfFreedom: n - 1)
        let half = t * sd / n.squareRoot()
        return SupportEffect(pairs: pairs, outcomeYear: outcomeYear, effect: mean, low: mean - half, high: mean + half,
                             supportedChange: pairs.map(\.change).reduce(0, +) / n, matchedChange: pairs.map(\.matchedChange).reduce(0, +) / n)
    }
}
