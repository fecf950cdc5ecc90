import OporaCore

/// A school's social well-being index (ИСБ) with what it was computed from, for the school profile.
public struct WellbeingScore: Sendable, Hashable {
    public var schoolID: String
    /// `nil` = not enough components reported.
    public var index: Double?
    public var componentsUsed: Int
    /// The raw component values the index used (indicator code → value).
    public var values: [String: Double]
    /// Share of the region's schools with a lower index (0…1), when the index is known.
    public var percentile: Double?
}

extension Analytics {
    /// The well-being index of every school as the rule set's `wellbeing_index` criterion defines it
    /// (the default set when the criterion is switched off), keyed by school id.
    public static func wellbeing(_ data: AnalysisData, rules: RuleSet = .default, year: Int) -> [String: WellbeingScore] {
        guard let criterion = rules.criterion("wellbeing_index") ?? RuleSet.default.criterion("wellbeing_index") else { return [:] }
        let scores = ContextCriteria.wellbeingScores(criterion, data: data, year: year)
        let known = scores.compactMap(\.index).sorted()
        var out: [String: WellbeingScore] = [:]
        for s in scores {
            let percentile = s.index.map { x in Double(lowerBound(known, x)) / Double(max(1, known.count)) }
            out[s.school] = WellbeingScore(schoolID: s.school, index: s.index, componentsUsed: s.used, values: s.values, percentile: percentile)
        }
        return out
    }

    private static func lowerBound(_ sorted: [Double], _ x: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
