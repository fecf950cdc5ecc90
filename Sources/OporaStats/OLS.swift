import Foundation

/// The result of an ordinary (or weighted) least-squares fit.
public struct OLSFit: Sendable {
    /// Coefficients in design order; the intercept, when included, comes first.
    public let coefficients: [Double]
    /// Standard errors √diag(σ̂² (XᵀWX)⁻¹).
    public let standardErrors: [Double]
    /// Covariance matrix σ̂² (XᵀWX)⁻¹ of the coefficients.
    public let covariance: Matrix
    /// Fitted values Xβ̂ (one per observation).
    public let fitted: [Double]
    /// Residuals y − Xβ̂ (unweighted, as statsmodels' `resid`).
    public let residuals: [Double]
    /// R²: 1 − Σw r² / Σw (y − ȳ_w)² with an intercept; uncentred (1 − Σw r² / Σw y²) without one,
    /// as statsmodels.
    public let rSquared: Double
    /// Adjusted R² (statsmodels' definition).
    public let adjustedRSquared: Double
    /// σ̂² = Σ w r² / (n − p), statsmodels' `scale`.
    public let residualVariance: Double
    /// n − p.
    public let residualDegreesOfFreedom: Int
    public let observationCount: Int
    public let hasIntercept: Bool

    /// t statistics β̂ / SE.
    public var tStatistics: [Double] { zip(coefficients, standardErrors).map { $0 / $1 } }
}

/// Least squares y ~ X, solved by Householder QR of (the row-weighted) design; no normal equations.
public enum OLS {
    /// Fits y ~ X.
    /// - Parameters:
    ///   - y: responses, n values.
    ///   - x: n × k covariate matrix (without an intercept column).
    ///   - intercept: prepend a column of ones (its coefficient comes first).
    ///   - weights: optional positive weights (weighted least squares, as statsmodels' `WLS`).
    /// - Throws: `StatsError.collinear(column:)` when the design is rank deficient (column index in
    ///   the design including the intercept); `.notEnoughData` when n ≤ p; `.invalidArgument` for
    ///   non-finite data or non-positive weights; `.dimensionMismatch`.
    public static func fit(y: [Double], x: Matrix, intercept: Bool = true, weights: [Double]? = nil) throws -> OLSFit {
        let n = y.count
        guard x.rows == n else { throw StatsError.dimensionMismatch("y has \(n) values, x has \(x.rows) rows") }
        if let w = weights {
            guard w.count == n else { throw StatsError.dimensionMismatch("weights: \(w.count) values for \(n) observations") }
            for v in w where !(v > 0) || !v.isFinite { throw StatsError.invalidArgument("weight \(v) is not positive and finite") }
        }
        for v in y where !v.isFinite { throw StatsError.invalidArgument("non-finite response") }
        for v in x.storage where !v.isFinite { throw StatsError.invalidArgument("non-finite covariate") }
        let p = x.cols + (intercept ? 1 : 0)
        guard p > 0 else { throw StatsError.invalidArgument("empty design") }
        guard n > p else { throw StatsError.notEnoughData("\(n) observations for \(p) coefficients") }

        // Design (column-major) with weights applied: rows scaled by √w.
        var design = [Double](repeating: 0, count: n * p)
        let sw = weights?.map { $0.squareRoot() } ?? [Double](repeating: 1, count: n)
        var col = 0
        if intercept { for i in 0..<n { design[i] = sw[i] }; col = 1 }
        for j in 0..<x.cols {
            for i in 0..<n { design[(col + j) * n + i] = x.storage[j * n + i] * sw[i] }
        }
        var b = (0..<n).map { y[$0] * sw[$0] }
        let qr = try householderQR(&design, rows: n, cols: p, rhs: &b)

        // β = R⁻¹ (Qᵀy)[0..<p]
        let rinv = upperInverse(qr, p)
        var beta = [Double](repeating: 0, count: p)
        for i in 0..<p { var s = 0.0; for k in i..<p { s += rinv[k * p + i] * b[k] }; beta[i] = s }

        // Residuals and fitted on the original scale.
        var fitted = [Double](repeating: 0, count: n)
        if intercept { for i in 0..<n { fitted[i] = beta[0] } }
        for j in 0..<x.cols {
            let bj = beta[col + j]
            for i in 0..<n { fitted[i] += x.storage[j * n + i] * bj }
        }
        let resid = (0..<n).map { y[$0] - fitted[$0] }
        var ssr = 0.0
        for i in 0..<n { ssr += (weights?[i] ?? 1) * resid[i] * resid[i] }
        let df = n - p
        let s2 = ssr / Double(df)

        // (RᵀR)⁻¹ = R⁻¹ R⁻ᵀ
        var cov = Matrix(rows: p, cols: p)
        for i in 0..<p { for j in 0...i {
            var s = 0.0
            for k in max(i, j)..<p { s += rinv[k * p + i] * rinv[k * p + j] }
            cov[i, j] = s * s2; cov[j, i] = s * s2
        } }

        var tss = 0.0
        if intercept {
            var sw0 = 0.0, swy = 0.0
            for i in 0..<n { let w = weights?[i] ?? 1; sw0 += w; swy += w * y[i] }
            let ybar = swy / sw0
            for i in 0..<n { let d = y[i] - ybar; tss += (weights?[i] ?? 1) * d * d }
        } else {
            for i in 0..<n { tss += (weights?[i] ?? 1) * y[i] * y[i] }
        }
        let r2 = 1 - ssr / tss
        let adj = 1 - Double(n - (intercept ? 1 : 0)) / Double(df) * (1 - r2)
        return OLSFit(coefficients: beta, standardErrors: cov.diagonal.map { $0.squareRoot() }, covariance: cov,
                      fitted: fitted, residuals: resid, rSquared: r2, adjustedRSquared: adj,
                      residualVariance: s2, residualDegreesOfFreedom: df, observationCount: n, hasIntercept: intercept)
    }

    /// Fits y ~ X with X given as a list of covariate columns (each of n values).
    public static func fit(y: [Double], columns: [[Double]], intercept: Bool = true, weights: [Double]? = nil) throws -> OLSFit {
        let x = columns.isEmpty ? Matrix(rows: y.count, cols: 0) : try Matrix(columns: columns)
        return try fit(y: y, x: x, intercept: intercept, weights: weights)
    }

    /// In-place Householder QR of an n × p column-major matrix, applying Qᵀ to `rhs` as it goes.
    /// Returns R (p × p, column-major, upper triangle).
    static func householderQR(_ a: inout [Double], rows n: Int, cols p: Int, rhs: inout [Double],
                              relativeTolerance: Double = 1e-10) throws -> [Double] {
        var r = [Double](repeating: 0, count: p * p)
        var colNorms = [Double](repeating: 0, count: p)
        for j in 0..<p { var s = 0.0; for i in 0..<n { s += a[j * n + i] * a[j * n + i] }; colNorms[j] = s.squareRoot() }
        try a.withUnsafeMutableBufferPointer { A in
            try rhs.withUnsafeMutableBufferPointer { B in
                for k in 0..<p {
                    let base = k * n
                    var norm2 = 0.0
                    for i in k..<n { norm2 += A[base + i] * A[base + i] }
                    let norm = norm2.squareRoot()
                    if !(norm > relativeTolerance * colNorms[k]) || colNorms[k] == 0 { throw StatsError.collinear(column: k) }
                    let alpha = A[base + k] > 0 ? -norm : norm
                    A[base + k] -= alpha           // v = x − αe₁ stored in place
                    let vnorm2 = norm2 - 2 * alpha * (A[base + k] + alpha) + alpha * alpha
                    // vᵀv = ‖x‖² − 2α x₁ + α²  (x₁ is the original pivot = A[base+k] + alpha)
                    for j in (k + 1)..<max(p, k + 1) {
                        let cb = j * n
                        var s = 0.0
                        for i in k..<n { s += A[base + i] * A[cb + i] }
                        let f = 2 * s / vnorm2
                        for i in k..<n { A[cb + i] -= f * A[base + i] }
                    }
                    var s = 0.0
                    for i in k..<n { s += A[base + i] * B[i] }
                    let f = 2 * s / vnorm2
                    for i in k..<n { B[i] -= f * A[base + i] }
                    r[k * p + k] = alpha
                    for j in (k + 1)..<max(p, k + 1) { r[j * p + k] = A[j * n + k] }
                }
            }
        }
        return r
    }

    /// Inverse of an upper-triangular p × p column-major matrix (result also upper triangular).
    static func upperInverse(_ r: [Double], _ p: Int) -> [Double] {
        var inv = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            inv[j * p + j] = 1 / r[j * p + j]
            for i in stride(from: j - 1, through: 0, by: -1) {
                var s = 0.0
                for k in (i + 1)...j { s += r[k * p + i] * inv[j * p + k] }
                inv[j * p + i] = -s / r[i * p + i]
            }
        }
        return inv
    }
}
