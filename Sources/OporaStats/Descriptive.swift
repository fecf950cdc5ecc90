import Foundation

/// Descriptive statistics. Functions taking `[Double?]` treat `nil` as *missing*: missing values
/// are skipped (never read as zero) and the number actually used is what counts as n.
public enum Descriptive {
    /// Arithmetic mean; `nil` for an empty input.
    public static func mean(_ x: [Double]) -> Double? {
        guard !x.isEmpty else { return nil }
        // Two-pass mean: sum, then correct by the mean residual (reduces rounding error).
        let m = x.reduce(0, +) / Double(x.count)
        let corr = x.reduce(0) { $0 + ($1 - m) } / Double(x.count)
        return m + corr
    }

    /// Mean of the present values; `nil` when none is present.
    public static func mean(_ x: [Double?]) -> Double? { mean(x.compactMap { $0 }) }

    /// Variance with `ddof` delta degrees of freedom (1 = sample variance, numpy's `ddof`).
    /// `nil` when fewer than `ddof + 1` values.
    public static func variance(_ x: [Double], ddof: Int = 1) -> Double? {
        guard x.count > ddof, let m = mean(x) else { return nil }
        var ss = 0.0, s = 0.0
        for v in x { let d = v - m; ss += d * d; s += d }
        return (ss - s * s / Double(x.count)) / Double(x.count - ddof)
    }

    public static func variance(_ x: [Double?], ddof: Int = 1) -> Double? { variance(x.compactMap { $0 }, ddof: ddof) }

    public static func standardDeviation(_ x: [Double], ddof: Int = 1) -> Double? { variance(x, ddof: ddof).map { $0.squareRoot() } }

    public static func standardDeviation(_ x: [Double?], ddof: Int = 1) -> Double? { standardDeviation(x.compactMap { $0 }, ddof: ddof) }

    /// Quantile of type 7 (Hyndman & Fan; R's default, numpy's default `linear` method):
    /// h = (n − 1) p, linear interpolation between the order statistics around h.
    /// `nil` for empty input or p outside [0, 1].
    public static func quantile(_ x: [Double], _ p: Double) -> Double? {
        quantiles(x, [p])?.first ?? nil
    }

    /// Several type-7 quantiles at once (sorts once). `nil` for empty input; an element is `nil`
    /// when its p is outside [0, 1].
    public static func quantiles(_ x: [Double], _ ps: [Double]) -> [Double?]? {
        guard !x.isEmpty else { return nil }
        let s = x.sorted()
        return ps.map { p in quantileSorted(s, p) }
    }

    /// Type-7 quantile of already sorted data.
    public static func quantileSorted(_ s: [Double], _ p: Double) -> Double? {
        guard !s.isEmpty, p >= 0, p <= 1 else { return nil }
        let h = Double(s.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, s.count - 1)
        let frac = h - Double(lo)
        return s[lo] + frac * (s[hi] - s[lo])
    }

    public static func quantile(_ x: [Double?], _ p: Double) -> Double? { quantile(x.compactMap { $0 }, p) }

    /// The type-7 median of `x`, found by selection (Hoare's quickselect, median-of-three pivots)
    /// instead of a full sort, reordering `x` in place: the same value as `quantileSorted(x.sorted(), 0.5)`,
    /// in linear expected time. For the fits that take a median of thousands of values at every
    /// step of a root search (`RandomEffectsNull`), where sorting was most of their time.
    /// Written by hand: the standard library has no selection (nth-element) algorithm.
    public static func medianSelecting(_ x: inout [Double]) -> Double? {
        guard !x.isEmpty else { return nil }
        let h = Double(x.count - 1) * 0.5
        let lo = Int(h.rounded(.down))
        let frac = h - Double(lo)
        return x.withUnsafeMutableBufferPointer { b -> Double in
            select(b, lo)
            // After selection everything past `lo` is ≥ b[lo]: the next order statistic is their minimum.
            var next = b[lo]
            if lo + 1 < b.count {
                next = b[lo + 1]
                for i in (lo + 2)..<b.count where b[i] < next { next = b[i] }
            }
            return b[lo] + frac * (next - b[lo])
        }
    }

    /// Reorders `b` so that `b[k]` is its k-th smallest value, with nothing smaller after it and
    /// nothing larger before it.
    static func select(_ b: UnsafeMutableBufferPointer<Double>, _ k: Int) {
        var left = 0, right = b.count - 1
        while right > left {
            let mid = left + (right - left) / 2
            // Median of three as the pivot, moved to `mid`.
            if b[mid] < b[left] { b.swapAt(mid, left) }
            if b[right] < b[left] { b.swapAt(right, left) }
            if b[right] < b[mid] { b.swapAt(right, mid) }
            let pivot = b[mid]
            var i = left, j = right
            while i <= j {
                while b[i] < pivot { i += 1 }
                while pivot < b[j] { j -= 1 }
                if i <= j { b.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { right = j } else if k >= i { left = i } else { return }
        }
    }

    /// Median (type-7 quantile at 0.5).
    public static func median(_ x: [Double]) -> Double? { quantile(x, 0.5) }

    /// z-scores (x − mean) / sd of the present values, keeping `nil` where a value is missing.
    ///
    /// Returns `nil` (no scores at all) when fewer than `ddof + 1` values are present or the
    /// standard deviation is zero: a constant indicator carries no information and must not be
    /// silently turned into zeros.
    public static func standardize(_ x: [Double?], ddof: Int = 1) -> [Double?]? {
        let present = x.compactMap { $0 }
        guard let m = mean(present), let sd = standardDeviation(present, ddof: ddof), sd > 0 else { return nil }
        return x.map { $0.map { ($0 - m) / sd } }
    }

    /// z-scores for complete data; `nil` when the standard deviation is zero or n ≤ ddof.
    public static func standardize(_ x: [Double], ddof: Int = 1) -> [Double]? {
        guard let m = mean(x), let sd = standardDeviation(x, ddof: ddof), sd > 0 else { return nil }
        return x.map { ($0 - m) / sd }
    }

    /// Pearson correlation of paired values; `nil` if fewer than 2 pairs or a variable is constant.
    public static func pearson(_ x: [Double], _ y: [Double]) throws -> Double? {
        guard x.count == y.count else { throw StatsError.dimensionMismatch("pearson: \(x.count) vs \(y.count) values") }
        guard x.count >= 2, let mx = mean(x), let my = mean(y) else { return nil }
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in 0..<x.count {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return nil }
        return max(-1, min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// Pearson correlation over the pairs where both values are present ("pairwise complete").
    public static func pearson(_ x: [Double?], _ y: [Double?]) throws -> Double? {
        guard x.count == y.count else { throw StatsError.dimensionMismatch("pearson: \(x.count) vs \(y.count) values") }
        var a: [Double] = [], b: [Double] = []
        for i in 0..<x.count { if let u = x[i], let v = y[i] { a.append(u); b.append(v) } }
        return try pearson(a, b)
    }
}
