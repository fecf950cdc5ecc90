import Foundation

/// One-dimensional root finding and minimisation.
public enum Optimize {
    /// Brent's method (zeroin) for a root of `f` in [a, b], where f(a) and f(b) have opposite signs
    /// (or one is zero). Returns `nil` when the bracket does not straddle a root.
    public static func brentRoot(_ f: (Double) -> Double, _ ax: Double, _ bx: Double,
                                 tolerance: Double = 1e-13, maxIterations: Int = 200) -> Double? {
        var a = ax, b = bx
        var fa = f(a), fb = f(b)
        if fa == 0 { return a }
        if fb == 0 { return b }
        guard (fa < 0) != (fb < 0) else { return nil }
        var c = b, fc = fb
        var d = b - a, e = d
        for _ in 0..<maxIterations {
            if (fb > 0) == (fc > 0) { c = a; fc = fa; d = b - a; e = d }
            if abs(fc) < abs(fb) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa }
            let tol1 = 2 * Double.ulpOfOne * abs(b) + 0.5 * tolerance
            let xm = 0.5 * (c - b)
            if abs(xm) <= tol1 || fb == 0 { return b }
            if abs(e) >= tol1 && abs(fa) > abs(fb) {
                let s = fb / fa
                var p: Double, q: Double
                if a == c {
                    p = 2 * xm * s; q = 1 - s
                } else {
                    let q0 = fa / fc, r = fb / fc
                    p = s * (2 * xm * q0 * (q0 - r) - (b - a) * (r - 1))
                    q = (q0 - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * xm * q - abs(tol1 * q), abs(e * q)) { e = d; d = p / q } else { d = xm; e = d }
            } else {
                d = xm; e = d
            }
            a = b; fa = fb
            b += abs(d) > tol1 ? d : (xm > 0 ? tol1 : -tol1)
            fb = f(b)
        }
        return b
    }

    /// Golden-section search for a minimum of a unimodal `f` on [a, b].
    public static func goldenSectionMinimum(_ f: (Double) -> Double, _ a0: Double, _ b0: Double,
                                            tolerance: Double = 1e-10) -> Double {
        let g = (5.0.squareRoot() - 1) / 2
        var a = a0, b = b0
        var x1 = b - g * (b - a), x2 = a + g * (b - a)
        var f1 = f(x1), f2 = f(x2)
        while b - a > tolerance {
            if f1 <= f2 { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = f(x1) }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = f(x2) }
        }
        return 0.5 * (a + b)
    }
}
