import Foundation

/// A confidence interval for a proportion.
public struct ProportionInterval: Sendable, Equatable {
    /// The observed proportion k / n.
    public let estimate: Double
    public let lower: Double
    public let upper: Double
}

public enum Proportion {
    /// Wilson score interval for k successes out of n trials with critical value `z`
    /// (1.959963984540054 for 95%). Matches statsmodels' `proportion_confint(method="wilson")`.
    /// Returns `nil` when n ≤ 0 or k is outside 0...n.
    ///
    /// centre = (p̂ + z²/2n) / (1 + z²/n), half-width = z/(1 + z²/n) · √(p̂(1−p̂)/n + z²/4n²).
    public static func wilson(successes k: Int, trials n: Int, z: Double = 1.959963984540054) -> ProportionInterval? {
        guard n > 0, k >= 0, k <= n, z >= 0 else { return nil }
        let nn = Double(n), p = Double(k) / nn, z2 = z * z
        let denom = 1 + z2 / nn
        let centre = (p + z2 / (2 * nn)) / denom
        let half = z / denom * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        return ProportionInterval(estimate: p, lower: max(0, centre - half), upper: min(1, centre + half))
    }

    /// Wilson interval at a two-sided confidence level (e.g. 0.95).
    public static func wilson(successes k: Int, trials n: Int, level: Double) -> ProportionInterval? {
        guard level > 0, level < 1 else { return nil }
        return wilson(successes: k, trials: n, z: Normal.criticalValue(level: level))
    }
}
