import Foundation

/// Group means standardised across groups, with the sampling variance of each standardised mean.
///
/// Group i has n_i values with sum S_i and sum of squares Q_i. Its mean m_i = S_i / n_i is
/// standardised across the groups, z_i = (m_i − m̄) / D with m̄ the unweighted mean of the group
/// means and D their sample standard deviation (ddof 1). Under a common within-group variance σ²
/// (one-way ANOVA), estimated by the pooled within-group variance
///
///     σ̂² = Σ (Q_i − n_i m_i²) / Σ (n_i − 1),
///
/// the sampling variance of z_i (given m̄ and D, which rest on all groups) is σ̂² / (n_i D²): how
/// much of a group's standardised mean is the luck of its few members.
public enum GroupMeans {
    public struct Standardized: Sendable, Equatable {
        public var z: [Double]
        public var variance: [Double]
        public var pooledVariance: Double
        public var sd: Double
    }

    /// `nil` with fewer than two groups, a group without values, no within-group degrees of freedom
    /// or equal means.
    public static func standardized(n: [Int], sum: [Double], sumSquares: [Double]) throws -> Standardized? {
        guard n.count == sum.count, n.count == sumSquares.count else {
            throw StatsError.dimensionMismatch("n has \(n.count), sum \(sum.count), sumSquares \(sumSquares.count)")
        }
        guard n.count >= 2, n.allSatisfy({ $0 > 0 }) else { return nil }
        let means = n.indices.map { sum[$0] / Double(n[$0]) }
        guard let centre = Descriptive.mean(means), let sd = Descriptive.standardDeviation(means), sd > 0 else { return nil }
        var ss = 0.0, df = 0
        for i in n.indices {
            ss += max(0, sumSquares[i] - sum[i] * means[i])
            df += n[i] - 1
        }
        guard df > 0 else { return nil }
        let pooled = ss / Double(df)
        return Standardized(z: means.map { ($0 - centre) / sd },
                            variance: n.map { pooled / (Double($0) * sd * sd) },
                            pooledVariance: pooled, sd: sd)
    }
}
