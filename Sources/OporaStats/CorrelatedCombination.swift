import Foundation

/// Combining one-sided p-values of tests that are positively correlated, such as two signs computed
/// from the same students. Fisher's and Stouffer's methods assume independent tests and overstate
/// the evidence of correlated ones. Brown's method (1975) keeps Fisher's statistic X = −2 Σ ln p but
/// refers it to a scaled χ² with the variance the correlation implies, using Kost & McDermott's
/// (2002) approximation of cov(−2 ln pᵢ, −2 ln pⱼ) for one-sided tests whose normal scores correlate
/// ρ: 3.263ρ + 0.710ρ² + 0.027ρ³. Stouffer's sum of normal scores is divided by its standard
/// deviation √(k + 2 Σ ρᵢⱼ) instead of √k.
public enum CorrelatedCombination {
    /// Brown's method: `p` one-sided p-values, `rho[i][j]` the correlation of tests i and j under the null.
    public static func fisherBrown(_ p: [Double], correlation rho: [[Double]]) -> Double {
        let k = p.count
        guard k > 0 else { return .nan }
        let x = -2 * p.map { log(min(1, max($0, 1e-300))) }.reduce(0, +)
        let mean = 2 * Double(k)
        var variance = 4 * Double(k)
        for i in 0..<k { for j in (i + 1)..<k where j < k { variance += 2 * covariance(rho[i][j]) } }
        let c = variance / (2 * mean), f = 2 * mean * mean / variance
        return ChiSquare.sf(x / c, degreesOfFreedom: f)
    }

    /// Stouffer's method for correlated tests.
    public static func stouffer(_ p: [Double], correlation rho: [[Double]]) -> Double {
        let k = p.count
        guard k > 0 else { return .nan }
        let z = p.map { -Normal.quantile(min(1, max($0, 1e-300))) }.reduce(0, +)
        var variance = Double(k)
        for i in 0..<k { for j in (i + 1)..<k where j < k { variance += 2 * rho[i][j] } }
        return Normal.sf(z / variance.squareRoot())
    }

    /// Kost & McDermott's cov(−2 ln pᵢ, −2 ln pⱼ) for one-sided tests with normal-score correlation ρ.
    public static func covariance(_ rho: Double) -> Double { 3.263 * rho + 0.710 * rho * rho + 0.027 * rho * rho * rho }

    /// The correlation of two tests' normal scores across many groups, leaving out the groups with a
    /// score beyond ±`trim` on either test: the few groups with a real effect (large scores on both)
    /// would make the tests look more correlated under the null than they are, while trimming at 3
    /// drops well under 1% of null groups. 0 when it cannot be estimated.
    public static func nullCorrelation(_ zx: [Double], _ zy: [Double], trim: Double = 3) -> Double {
        var x: [Double] = [], y: [Double] = []
        for i in 0..<min(zx.count, zy.count) where abs(zx[i]) <= trim && abs(zy[i]) <= trim && zx[i].isFinite && zy[i].isFinite {
            x.append(zx[i]); y.append(zy[i])
        }
        let n = x.count
        guard n >= 3 else { return 0 }
        let mx = x.reduce(0, +) / Double(n), my = y.reduce(0, +) / Double(n)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<n { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx); syy += (y[i] - my) * (y[i] - my) }
        guard sxx > 0, syy > 0 else { return 0 }
        return sxy / (sxx * syy).squareRoot()
    }
}
