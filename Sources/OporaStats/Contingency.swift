import Foundation

/// The result of a test with a chi-square reference distribution.
public struct ChiSquareTest: Sendable, Equatable {
    public let statistic: Double
    public let degreesOfFreedom: Int
    public let pValue: Double
}

/// Tests of independence and goodness of fit for counts.
public enum Contingency {
    /// Expected counts under independence for an r × c table (row total × column total / N).
    public static func expectedCounts(_ table: [[Double]]) throws -> [[Double]] {
        guard let c = table.first?.count, c > 0, table.allSatisfy({ $0.count == c }) else {
            throw StatsError.dimensionMismatch("table rows must be non-empty and of equal length")
        }
        for row in table { for v in row where !(v >= 0) || !v.isFinite { throw StatsError.invalidArgument("count \(v)") } }
        let rowSums = table.map { $0.reduce(0, +) }
        let colSums = (0..<c).map { j in table.reduce(0) { $0 + $1[j] } }
        let total = rowSums.reduce(0, +)
        guard total > 0 else { throw StatsError.notEnoughData("empty table") }
        return rowSums.map { r in colSums.map { r * $0 / total } }
    }

    /// Pearson's chi-square test of independence (no continuity correction), as
    /// `scipy.stats.chi2_contingency(table, correction=False)`.
    public static func chiSquareIndependence(_ table: [[Double]]) throws -> ChiSquareTest {
        let e = try expectedCounts(table)
        var x2 = 0.0
        for i in table.indices { for j in table[i].indices where e[i][j] > 0 {
            let d = table[i][j] - e[i][j]; x2 += d * d / e[i][j]
        } }
        let df = try independenceDF(e)
        return ChiSquareTest(statistic: x2, degreesOfFreedom: df, pValue: ChiSquare.sf(x2, degreesOfFreedom: Double(df)))
    }

    /// G-test (likelihood-ratio test) of independence: G = 2 Σ O ln(O/E), as
    /// `scipy.stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")`.
    public static func gTestIndependence(_ table: [[Double]]) throws -> ChiSquareTest {
        let e = try expectedCounts(table)
        var g = 0.0
        for i in table.indices { for j in table[i].indices where table[i][j] > 0 {
            g += table[i][j] * log(table[i][j] / e[i][j])
        } }
        g *= 2
        let df = try independenceDF(e)
        return ChiSquareTest(statistic: g, degreesOfFreedom: df, pValue: ChiSquare.sf(g, degreesOfFreedom: Double(df)))
    }

    /// G-test of goodness of fit of observed counts against expected counts (same total),
    /// with k − 1 − `estimatedParameters` degrees of freedom.
    public static func gTestGoodnessOfFit(observed: [Double], expected: [Double], estimatedParameters: Int = 0) throws -> ChiSquareTest {
        guard observed.count == expected.count else { throw StatsError.dimensionMismatch("observed vs expected") }
        let df = observed.count - 1 - estimatedParameters
        guard df > 0 else { throw StatsError.notEnoughData("no degrees of freedom left") }
        var g = 0.0
        for i in observed.indices {
            guard observed[i] >= 0, expected[i] >= 0 else { throw StatsError.invalidArgument("negative count") }
            if observed[i] > 0 {
                guard expected[i] > 0 else { throw StatsError.invalidArgument("observed count where expected is 0") }
                g += observed[i] * log(observed[i] / expected[i])
            }
        }
        g *= 2
        return ChiSquareTest(statistic: g, degreesOfFreedom: df, pValue: ChiSquare.sf(g, degreesOfFreedom: Double(df)))
    }

    private static func independenceDF(_ e: [[Double]]) throws -> Int {
        let df = (e.count - 1) * ((e.first?.count ?? 1) - 1)
        guard df > 0 else { throw StatsError.notEnoughData("table needs at least 2 rows and 2 columns") }
        return df
    }
}
