import Foundation

/// The standard normal distribution.
public enum Normal {
    /// Φ(x), the lower-tail probability. Accurate in the far lower tail (uses erfc).
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// 1 − Φ(x), the upper-tail probability, without cancellation for large x.
    public static func sf(_ x: Double) -> Double { 0.5 * erfc(x / 2.0.squareRoot()) }

    /// The density φ(x).
    public static func pdf(_ x: Double) -> Double { exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }

    /// Φ⁻¹(p), the quantile function: −∞ at 0, +∞ at 1, NaN outside [0, 1].
    ///
    /// Acklam's rational approximation (relative error < 1.2e-9) polished by one Halley step
    /// on erfc, which brings it to close to full double precision.
    public static func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p > 0.5 { return -lowerQuantile(1 - p) }  // 1 - p is exact for p in [0.5, 1]
        return lowerQuantile(p)
    }

    /// Two-sided critical value z such that P(|Z| ≤ z) = `level` (e.g. 1.959963984540054 for 0.95).
    public static func criticalValue(level: Double) -> Double { quantile(0.5 + level / 2) }

    private static func lowerQuantile(_ p: Double) -> Double {
        // p in (0, 0.5]
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
                ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else {
            let q = p - 0.5
            let r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
                (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        // Halley refinement (two steps are cheap and make it robust).
        for _ in 0..<2 {
            let e = cdf(x) - p
            let u = e * (2 * Double.pi).squareRoot() * exp(0.5 * x * x)
            guard u.isFinite else { break }
            x -= u / (1 + 0.5 * x * u)
        }
        return x
    }
}

/// Special functions: regularised incomplete gamma and beta functions.
public enum SpecialFunctions {
    /// Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a), a > 0, x ≥ 0.
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        guard a > 0, x >= 0, a.isFinite, !x.isNaN else { return .nan }
        if x == 0 { return 0 }
        if x.isInfinite { return 1 }
        return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x)
    }

    /// Regularised upper incomplete gamma Q(a, x) = 1 − P(a, x), computed without cancellation.
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        guard a > 0, x >= 0, a.isFinite, !x.isNaN else { return .nan }
        if x == 0 { return 1 }
        if x.isInfinite { return 0 }
        return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x)
    }

    private static func gammaSeries(_ a: Double, _ x: Double) -> Double {
        var ap = a
        var sum = 1 / a
        var del = sum
        for _ in 0..<10_000 {
            ap += 1
            del *= x / ap
            sum += del
            if abs(del) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(-x + a * log(x) - lgamma(a))
    }

    private static func gammaContinuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return exp(-x + a * log(x) - lgamma(a)) * h
    }

    /// Regularised incomplete beta I_x(a, b), a, b > 0, 0 ≤ x ≤ 1.
    public static func regularizedBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        guard a > 0, b > 0, x >= 0, x <= 1 else { return .nan }
        if x == 0 { return 0 }
        if x == 1 { return 1 }
        let lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        let front = exp(lnFront)
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x, a, b) / a
        } else {
            return 1 - front * betaContinuedFraction(1 - x, b, a) / b
        }
    }

    /// 1 − I_x(a, b) = I_{1−x}(b, a), computed on the side that avoids cancellation.
    public static func regularizedBetaComplement(_ x: Double, _ a: Double, _ b: Double) -> Double {
        guard a > 0, b > 0, x >= 0, x <= 1 else { return .nan }
        if x == 0 { return 1 }
        if x == 1 { return 0 }
        let lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        let front = exp(lnFront)
        if x < (a + 1) / (a + b + 2) {
            return 1 - front * betaContinuedFraction(x, a, b) / a
        } else {
            return front * betaContinuedFraction(1 - x, b, a) / b
        }
    }

    private static func betaContinuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1..<10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return h
    }
}

/// Binomial(n, p) tail probabilities.
public enum Binomial {
    /// P(X ≥ k): e.g. the chance of seeing at least `k` events among `n` if each has probability `p`.
    public static func upperTail(atLeast k: Int, trials n: Int, probability p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k <= 0 { return 1 }
        if k > n { return 0 }
        if p == 0 { return 0 }
        if p == 1 { return 1 }
        return SpecialFunctions.regularizedBeta(p, Double(k), Double(n - k + 1))
    }

    /// P(X ≤ k).
    public static func lowerTail(atMost k: Int, trials n: Int, probability p: Double) -> Double {
        guard n >= 0, p >= 0, p <= 1 else { return .nan }
        if k < 0 { return 0 }
        if k >= n { return 1 }
        if p == 0 { return 1 }
        if p == 1 { return 0 }
        return SpecialFunctions.regularizedBetaComplement(p, Double(k + 1), Double(n - k))
    }
}

/// Poisson(λ) tail probabilities.
public enum Poisson {
    /// P(X ≥ k).
    public static func upperTail(atLeast k: Int, mean lambda: Double) -> Double {
        guard lambda >= 0 else { return .nan }
        if k <= 0 { return 1 }
        if lambda == 0 { return 0 }
        return SpecialFunctions.regularizedGammaP(Double(k), lambda)
    }

    /// P(X ≤ k).
    public static func lowerTail(atMost k: Int, mean lambda: Double) -> Double {
        guard lambda >= 0 else { return .nan }
        if k < 0 { return 0 }
        if lambda == 0 { return 1 }
        return SpecialFunctions.regularizedGammaQ(Double(k + 1), lambda)
    }
}

/// The chi-square distribution.
public enum ChiSquare {
    /// P(X > x) for X ~ χ²(df).
    public static func sf(_ x: Double, degreesOfFreedom df: Double) -> Double {
        guard df > 0 else { return .nan }
        if x <= 0 { return 1 }
        return SpecialFunctions.regularizedGammaQ(df / 2, x / 2)
    }

    /// P(X ≤ x) for X ~ χ²(df).
    public static func cdf(_ x: Double, degreesOfFreedom df: Double) -> Double {
        guard df > 0 else { return .nan }
        if x <= 0 { return 0 }
        return SpecialFunctions.regularizedGammaP(df / 2, x / 2)
    }
}

/// Student's t distribution (for intervals of a mean of few values).
public enum StudentT {
    /// P(T ≤ x) with `df` degrees of freedom, through the regularized incomplete beta function.
    public static func cdf(_ x: Double, degreesOfFreedom df: Double) -> Double {
        guard df > 0, x.isFinite else { return x > 0 ? 1 : 0 }
        let tail = 0.5 * SpecialFunctions.regularizedBeta(df / (df + x * x), df / 2, 0.5)
        return x >= 0 ? 1 - tail : tail
    }

    /// The `p` quantile, by bisection on the cdf (monotone; 200 steps reach machine precision).
    public static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        guard p > 0, p < 1, df > 0 else { return p >= 1 ? .infinity : -.infinity }
        if p == 0.5 { return 0 }
        var lo = -1.0, hi = 1.0
        while cdf(lo, degreesOfFreedom: df) > p { lo *= 2 }
        while cdf(hi, degreesOfFreedom: df) < p { hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if cdf(mid, degreesOfFreedom: df) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-13 * max(1, abs(mid)) { break }
        }
        return (lo + hi) / 2
    }
}
