import Foundation

/// An empirical null for per-group score statistics whose extra-binomial spread grows with the
/// group's size.
///
/// Each group i has a score statistic `u` (observed minus expected, oriented) with null variance
/// `v` (its Fisher information), so u/v estimates the group's effect with variance 1/v. Real groups
/// differ a little even without the practice being looked for, so the effect is modelled as
/// u/v ~ N(μ, 1/v + τ²), and the standardised statistic is
///
///     z = (u − μ·v) / √(v + τ²·v²).
///
/// μ and τ² ≥ 0 are estimated robustly from all groups (most of which are null): μ makes the median
/// of z zero and τ² makes its robust SD (1.4826 · MAD) one — a Paule–Mandel-type moment estimator
/// with the median and MAD in place of the mean and the sum of squares, so that the few groups with
/// a real effect do not inflate τ². τ² = 0 when the robust SD is already at most one. With τ² > 0 a
/// large group's z shrinks more than a small group's: a difference that is significant only because
/// the group is large is discounted, while a small group keeps nearly its binomial z.
public enum RandomEffectsNull {
    public struct Fit: Sendable, Equatable {
        public var mu: Double
        public var tau2: Double
        public var z: [Double]
    }

    /// A root of f bracketed by [a, b] (f(a) and f(b) of opposite signs): regula falsi with the
    /// Illinois modification, and a halving step whenever two steps did not halve the bracket.
    static func root(_ f: (Double) -> Double, _ a0: Double, _ b0: Double, tolerance: Double = 1e-12) -> Double {
        var a = a0, b = b0, fa = f(a), fb = f(b)
        if fa == 0 { return a }
        if fb == 0 { return b }
        guard (fa > 0) != (fb > 0) else { return (a + b) / 2 }
        var last = 0, checkWidth = b - a, steps = 0
        for _ in 0..<300 {
            steps += 1
            var c = (a * fb - b * fa) / (fb - fa)
            if steps % 3 == 0 {
                if b - a > checkWidth / 2 { c = (a + b) / 2 }
                checkWidth = b - a
            }
            if !(c > a && c < b) { c = (a + b) / 2 }
            let fc = f(c)
            if fc == 0 { return c }
            if (fc > 0) == (fa > 0) {
                a = c; fa = fc
                if last == -1 { fb /= 2 }
                last = -1
            } else {
                b = c; fb = fc
                if last == 1 { fa /= 2 }
                last = 1
            }
            if b - a <= tolerance * max(1, abs(a), abs(b)) { break }
        }
        return (a * fb - b * fa) / (fb - fa)
    }

    /// The median of the values in `s` (reordered), exactly `Descriptive.quantileSorted(sorted, 0.5)`:
    /// the two middle order statistics are found by selection, and the same formula is applied.
    static func median(reordering s: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = s.count
        let h = Double(n - 1) * 0.5
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, n - 1)
        select(s, lo)
        // Everything after position lo is ≥ s[lo]: the next order statistic is their minimum.
        var next = s[lo]
        if hi > lo {
            next = s[hi]
            for i in (hi + 1)..<n where s[i] < next { next = s[i] }
        }
        return s[lo] + (h - Double(lo)) * (next - s[lo])
    }

    /// Reorders `s` so that s[k] is its k-th smallest value, with no larger value before it and no
    /// smaller one after it (quickselect: Hoare partitions around a median of three).
    static func select(_ s: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        var left = 0, right = s.count - 1
        while right > left {
            let mid = left + (right - left) / 2
            if s[mid] < s[left] { s.swapAt(mid, left) }
            if s[right] < s[left] { s.swapAt(right, left) }
            if s[right] < s[mid] { s.swapAt(right, mid) }
            let pivot = s[mid]
            var i = left, j = right
            while i <= j {
                while s[i] < pivot { i += 1 }
                while pivot < s[j] { j -= 1 }
                if i <= j {
                    s.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            // [left, j] ≤ pivot ≤ [i, right], and the values between j and i equal the pivot.
            if k <= j { right = j } else if k >= i { left = i } else { return }
        }
    }

    /// Fits μ and τ² by alternating the two one-dimensional equations (each solved by `root`);
    /// groups with v ≤ 0 or non-finite values must be left out by the caller.
    public static func fit(u: [Double], v: [Double], maxIterations: Int = 100) throws -> Fit {
        guard u.count == v.count else { throw StatsError.dimensionMismatch("u has \(u.count), v has \(v.count)") }
        guard !u.isEmpty else { throw StatsError.notEnoughData("no groups") }
        guard v.allSatisfy({ $0 > 0 && $0.isFinite }), u.allSatisfy(\.isFinite) else {
            throw StatsError.invalidArgument("v must be positive and all values finite")
        }
        let n = u.count
        var zBuffer = [Double](repeating: 0, count: n)
        func zs(_ mu: Double, _ t: Double) -> [Double] {
            for i in 0..<n { zBuffer[i] = (u[i] - mu * v[i]) / (v[i] + t * v[i] * v[i]).squareRoot() }
            return zBuffer
        }
        // The fit takes hundreds of medians of all n values: selected in a scratch buffer instead of
        // sorting a copy each time (at 40,000 schools the sorting was most of the fit).
        var scratch = [Double](repeating: 0, count: n)
        func median(_ x: [Double]) -> Double {
            scratch.withUnsafeMutableBufferPointer { s in
                for i in 0..<n { s[i] = x[i] }
                return Self.median(reordering: s)
            }
        }
        func spread(_ mu: Double, _ t: Double) -> Double {
            let z = zs(mu, t), m = median(z)
            return 1.4826 * scratch.withUnsafeMutableBufferPointer { s in
                for i in 0..<n { s[i] = abs(z[i] - m) }
                return Self.median(reordering: s)
            }
        }
        let ratios = (0..<n).map { u[$0] / v[$0] }
        var lo0 = ratios.min()! - 1, hi0 = ratios.max()! + 1
        if lo0 == hi0 { lo0 -= 1; hi0 += 1 }
        var mu = 0.0, tau2 = 0.0
        for _ in 0..<maxIterations {
            // μ: the median of z is non-increasing in μ, positive below every u/v and negative above.
            let t = tau2
            let newMu = root({ median(zs($0, t)) }, lo0, hi0)
            // τ²: the robust SD of z falls as τ² grows; zero when it is already at most one.
            var newTau2 = 0.0
            if spread(newMu, 0) > 1 {
                var a = 0.0, b = 1e-6
                while spread(newMu, b) > 1 && b < 1e12 { a = b; b *= 4 }
                newTau2 = root({ spread(newMu, $0) - 1 }, a, b)
            }
            let done = abs(newMu - mu) <= 1e-10 * max(1, abs(newMu)) && abs(newTau2 - tau2) <= 1e-10 * max(1e-9, newTau2)
            mu = newMu
            tau2 = newTau2
            if done { break }
        }
        return Fit(mu: mu, tau2: tau2, z: zs(mu, tau2))
    }
}
