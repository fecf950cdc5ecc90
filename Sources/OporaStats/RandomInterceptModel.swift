import Foundation

/// How the variance components are estimated.
public enum VarianceEstimation: String, Sendable, Equatable {
    /// Restricted maximum likelihood (lme4's default `REML = TRUE`, statsmodels' `reml=True`).
    case reml
    /// Maximum likelihood.
    case ml
}

/// The estimated effect of one group (e.g. one school) in a random-intercept model.
public struct GroupEffect<Group: Hashable & Sendable>: Sendable {
    /// The group's label as given.
    public let id: Group
    /// Position of the group in the fit's `groups` (labels sorted ascending).
    public let index: Int
    /// Number of observations n_j.
    public let n: Int
    /// Empirical-Bayes prediction (BLUP) û_j = λ_j · mean_j(y − Xβ̂).
    public let estimate: Double
    /// Conditional SD √Var(u_j | y) = √(τ² (1 − λ_j)), evaluated at the estimated β, τ², σ².
    /// This is lme4's `ranef(condVar = TRUE)` ("postVar") and statsmodels' `random_effects_cov`;
    /// like both, it does not add the uncertainty of β̂.
    public let sd: Double
    /// estimate − z·sd, with z for the fit's interval level.
    public let lower: Double
    /// estimate + z·sd.
    public let upper: Double
    /// Shrinkage factor λ_j = τ² / (τ² + σ²/n_j) (0 when τ² = 0).
    public let shrinkage: Double
    /// The unshrunken mean residual mean_j(y − Xβ̂).
    public let meanResidual: Double
}

/// The result of fitting y_ij = x_ijᵀβ + u_j + e_ij, u_j ~ N(0, τ²), e_ij ~ N(0, σ²).
public struct RandomInterceptFit<Group: Hashable & Sendable>: Sendable {
    public let method: VarianceEstimation
    /// Fixed effects β̂ (GLS at the estimated variances); the intercept, when included, first.
    public let fixed: [Double]
    /// Standard errors of β̂: √diag(σ̂² (XᵀV⁻¹X)⁻¹) with V in σ² units — lme4's `vcov()`.
    /// (statsmodels' `bse_fe` inverts the joint observed Hessian instead and can differ by ~2%.)
    public let fixedSE: [Double]
    /// Covariance matrix of β̂ (as `fixedSE`).
    public let fixedCovariance: Matrix
    /// τ², the between-group variance (statsmodels' `cov_re`); exactly 0 at the boundary.
    public let groupVariance: Double
    /// σ², the residual variance (statsmodels' `scale`).
    public let residualVariance: Double
    /// The REML (or ML) log-likelihood at the optimum, as lme4's `logLik()` and statsmodels' `llf`.
    public let logLikelihood: Double
    /// θ = τ² / σ².
    public let varianceRatio: Double
    /// True when the optimum is at τ² = 0 (reported as 0, like lme4's singular fit).
    public let atBoundary: Bool
    public let observationCount: Int
    /// Confidence level of the group intervals.
    public let intervalLevel: Double
    /// One entry per group, labels sorted ascending (the order of lme4 factor levels and of
    /// statsmodels' `random_effects`).
    public let groups: [GroupEffect<Group>]
    /// Number of profiled-likelihood evaluations used.
    public let evaluations: Int

    /// Intraclass correlation τ² / (τ² + σ²).
    public var intraclassCorrelation: Double { groupVariance / (groupVariance + residualVariance) }
}

/// Linear mixed model with one random intercept per group, fitted by REML or ML.
///
/// The likelihood is profiled over σ² and β, leaving a 1-D problem in θ = τ²/σ². Everything is
/// computed from sufficient statistics: the global Gram matrix of [X y] and, per group, n_j and
/// the column sums of [X_j y_j], because with V_j = σ²(I + θ11ᵀ),
///
///     [X y]ᵀ V⁻¹ [X y] · σ² = [X y]ᵀ[X y] − Σ_j c_j s_j s_jᵀ,   c_j = θ / (1 + n_j θ),
///
/// whose Cholesky factor gives β̂(θ), the profiled residual sum of squares q(θ) and log|XᵀV⁻¹X|.
/// The criterion (−2 log-likelihood, as lme4's `devcomp` / statsmodels' `llf`) is
///
///     REML: Σ log(1 + n_j θ) + log|XᵀWX| + (N − p)(1 + log(2π q / (N − p)))
///     ML:   Σ log(1 + n_j θ) + N (1 + log(2π q / N))
///
/// It is scanned over a grid in log θ, and the stationary point is then found by Brent's root
/// finder on its analytic derivative. If the criterion increases from θ = 0 the fit is on the
/// boundary and τ² = 0 is reported.
public enum RandomInterceptModel {
    /// Fits the model.
    /// - Parameters:
    ///   - y: responses, N values.
    ///   - x: N × k covariates (no intercept column).
    ///   - groups: the group label of each observation.
    ///   - intercept: include a fixed intercept (first coefficient).
    ///   - method: `.reml` (default) or `.ml`.
    ///   - level: confidence level of the per-group intervals (default 0.95).
    /// - Throws: `StatsError.collinear(column:)` for a rank-deficient design,
    ///   `.notEnoughData` for fewer than 2 groups or N ≤ p, `.invalidArgument`, `.dimensionMismatch`.
    public static func fit<Group: Hashable & Comparable & Sendable>(
        y: [Double], x: Matrix, groups: [Group], intercept: Bool = true,
        method: VarianceEstimation = .reml, level: Double = 0.95
    ) throws -> RandomInterceptFit<Group> {
        let nObs = y.count
        guard x.rows == nObs else { throw StatsError.dimensionMismatch("y has \(nObs) values, x has \(x.rows) rows") }
        guard groups.count == nObs else { throw StatsError.dimensionMismatch("groups: \(groups.count) labels for \(nObs) observations") }
        guard level > 0, level < 1 else { throw StatsError.invalidArgument("interval level \(level)") }
        for v in y where !v.isFinite { throw StatsError.invalidArgument("non-finite response") }
        for v in x.storage where !v.isFinite { throw StatsError.invalidArgument("non-finite covariate") }
        let k = x.cols
        let p = k + (intercept ? 1 : 0)
        guard p > 0 else { throw StatsError.invalidArgument("no fixed effects") }
        guard nObs > p else { throw StatsError.notEnoughData("\(nObs) observations for \(p) fixed effects") }

        // Group indices in sorted label order.
        var firstSeen: [Group: Int] = [:]
        var labels: [Group] = []
        for g in groups where firstSeen[g] == nil { firstSeen[g] = labels.count; labels.append(g) }
        let order = labels.indices.sorted { labels[$0] < labels[$1] }
        var rank = [Int](repeating: 0, count: labels.count)
        for (r, i) in order.enumerated() { rank[i] = r }
        let sortedLabels = order.map { labels[$0] }
        let nGroups = labels.count
        guard nGroups >= 2 else { throw StatsError.notEnoughData("\(nGroups) group(s); at least 2 needed") }
        var gidx = [Int](repeating: 0, count: nObs)
        for i in 0..<nObs { gidx[i] = rank[firstSeen[groups[i]]!] }

        // Augmented columns Z = [X̃ ỹ] (m = p + 1). With an intercept, covariates and y are
        // centred at their means for conditioning; β is transformed back at the end.
        let m = p + 1
        var xMeans = [Double](repeating: 0, count: k)
        var yMean = 0.0
        if intercept {
            for j in 0..<k { xMeans[j] = Descriptive.mean(x.column(j)) ?? 0 }
            yMean = Descriptive.mean(y) ?? 0
        }
        var gram = [Double](repeating: 0, count: m * m)     // ZᵀZ, column-major
        var sums = [Double](repeating: 0, count: nGroups * m) // per-group column sums
        var counts = [Int](repeating: 0, count: nGroups)
        var row = [Double](repeating: 0, count: m)
        for i in 0..<nObs {
            var c = 0
            if intercept { row[0] = 1; c = 1 }
            for j in 0..<k { row[c + j] = x.storage[j * nObs + i] - xMeans[j] }
            row[p] = y[i] - yMean
            let g = gidx[i]
            counts[g] += 1
            for a in 0..<m {
                sums[g * m + a] += row[a]
                let ra = row[a]
                for b in a..<m { gram[a * m + b] += ra * row[b] }
            }
        }
        for a in 0..<m { for b in a..<m { gram[b * m + a] = gram[a * m + b] } }
        let nj = counts.map(Double.init)

        // Collinearity check on XᵀX (θ = 0).
        do {
            var xtx = [Double](repeating: 0, count: p * p)
            for a in 0..<p { for b in 0..<p { xtx[b * p + a] = gram[b * m + a] } }
            if let bad = choleskyInPlace(&xtx, p, tolerance: 1e-11) { throw StatsError.collinear(column: bad) }
        }

        let problem = Profile(m: m, p: p, nObs: nObs, method: method, gram: gram, sums: sums, nj: nj)
        var evaluations = 0
        func objective(_ t: Double) -> Double { evaluations += 1; return problem.evaluate(theta: exp(t)).deviance }
        func slope(_ t: Double) -> Double {
            evaluations += 1
            let th = exp(t)
            return th * problem.evaluate(theta: th, derivative: true).derivative
        }

        // Boundary θ = 0.
        let at0 = problem.evaluate(theta: 0, derivative: true)
        evaluations += 1
        guard at0.deviance.isFinite else { throw StatsError.notEnoughData("degenerate data (zero residual variance)") }

        // Grid in t = log θ.
        var grid: [Double] = stride(from: -14.0, through: 12.0, by: 0.5).map { $0 }
        var values = grid.map(objective)
        var best = values.indices.min { values[$0] < values[$1] }!
        while best == grid.count - 1 && grid.last! < 30 {   // still decreasing at the top: extend
            let t = grid.last! + 2
            grid.append(t); values.append(objective(t)); best = values.indices.min { values[$0] < values[$1] }!
        }

        var theta: Double
        if at0.deviance <= values[best] && at0.derivative >= 0 {
            theta = 0
        } else {
            let lo = best == 0 ? -40.0 : grid[best - 1]
            let hi = best == grid.count - 1 ? grid[best] : grid[best + 1]
            if let t = Optimize.brentRoot(slope, lo, hi, tolerance: 1e-13) {
                theta = exp(t)
            } else {
                theta = exp(Optimize.goldenSectionMinimum(objective, lo, hi, tolerance: 1e-10))
            }
            // Boundary check: a stationary point that is no better than θ = 0.
            if problem.evaluate(theta: theta).deviance >= at0.deviance && at0.derivative >= 0 { theta = 0 }
        }

        let fin = problem.evaluate(theta: theta, derivative: false, details: true)
        evaluations += 1
        guard let det = fin.details else { throw StatsError.notPositiveDefinite }
        let nu = Double(method == .reml ? nObs - p : nObs)
        let sigma2 = det.q / nu
        let tau2 = theta * sigma2

        // β and its covariance, back on the original (uncentred) scale: β = J β̃ + ȳ e₀.
        var beta = det.beta
        var cov = Matrix(rows: p, cols: p)
        for a in 0..<p { for b in 0..<p { cov[a, b] = det.aInverse[b * p + a] * sigma2 } }
        if intercept {
            var b0 = beta[0] + yMean
            for j in 0..<k { b0 -= xMeans[j] * beta[1 + j] }
            beta[0] = b0
            var jm = Matrix.identity(p)
            for j in 0..<k { jm[0, 1 + j] = -xMeans[j] }
            cov = jm * cov * jm.transposed
        }

        let z = Normal.criticalValue(level: level)
        var effects: [GroupEffect<Group>] = []
        effects.reserveCapacity(nGroups)
        for g in 0..<nGroups {
            let n = nj[g]
            let sr = det.residualSums[g]
            let c = theta / (1 + n * theta)
            let est = c * sr
            let sd = (sigma2 * c).squareRoot()
            effects.append(GroupEffect(id: sortedLabels[g], index: g, n: counts[g], estimate: est, sd: sd,
                                       lower: est - z * sd, upper: est + z * sd,
                                       shrinkage: n * theta / (1 + n * theta), meanResidual: sr / n))
        }
        return RandomInterceptFit(method: method, fixed: beta, fixedSE: cov.diagonal.map { $0.squareRoot() },
                                  fixedCovariance: cov, groupVariance: tau2, residualVariance: sigma2,
                                  logLikelihood: -0.5 * fin.deviance, varianceRatio: theta, atBoundary: theta == 0,
                                  observationCount: nObs, intervalLevel: level, groups: effects,
                                  evaluations: evaluations)
    }

    /// Fits the model with covariates given as columns (each of N values).
    public static func fit<Group: Hashable & Comparable & Sendable>(
        y: [Double], columns: [[Double]], groups: [Group], intercept: Bool = true,
        method: VarianceEstimation = .reml, level: Double = 0.95
    ) throws -> RandomInterceptFit<Group> {
        let x = columns.isEmpty ? Matrix(rows: y.count, cols: 0) : try Matrix(columns: columns)
        return try fit(y: y, x: x, groups: groups, intercept: intercept, method: method, level: level)
    }

    // MARK: - Profiled criterion

    struct Details {
        var beta: [Double]
        var q: Double
        var aInverse: [Double]       // (XᵀWX)⁻¹, p × p column-major
        var residualSums: [Double]   // Σ_{i∈j} (y − Xβ̂), per group
    }

    struct Evaluation {
        var deviance: Double
        var derivative: Double
        var details: Details?
    }

    struct Profile {
        let m: Int, p: Int, nObs: Int
        let method: VarianceEstimation
        let gram: [Double]
        let sums: [Double]
        let nj: [Double]

        func evaluate(theta: Double, derivative wantDerivative: Bool = false, details wantDetails: Bool = false) -> Evaluation {
            let nG = nj.count
            var mat = gram
            var logDetL = 0.0
            sums.withUnsafeBufferPointer { s in
                mat.withUnsafeMutableBufferPointer { M in
                    for g in 0..<nG {
                        let n = nj[g]
                        logDetL += log1p(n * theta)
                        let c = theta / (1 + n * theta)
                        if c == 0 { continue }
                        let base = g * m
                        for a in 0..<m {
                            let ca = c * s[base + a]
                            for b in a..<m { M[a * m + b] -= ca * s[base + b] }  // upper triangle (row a, col b stored at b*m+a? see below)
                        }
                    }
                }
            }
            // The loop above updated entries at index a*m+b for b ≥ a, i.e. element (b, a): the lower triangle.
            for a in 0..<m { for b in (a + 1)..<max(m, a + 1) { mat[b * m + a] = mat[a * m + b] } }
            guard choleskyInPlace(&mat, m, tolerance: 0) == nil else {
                return Evaluation(deviance: .infinity, derivative: .nan, details: nil)
            }
            // L is in the lower triangle: element (i, j) at j*m + i.
            var logDetA = 0.0
            for i in 0..<p { logDetA += 2 * log(mat[i * m + i]) }
            let lpp = mat[p * m + p]
            let q = lpp * lpp
            guard q > 0 else { return Evaluation(deviance: .infinity, derivative: .nan, details: nil) }
            let nObsD = Double(nObs)
            let deviance: Double
            let nu: Double
            switch method {
            case .reml:
                nu = nObsD - Double(p)
                deviance = logDetL + logDetA + nu * (1 + log(2 * Double.pi * q / nu))
            case .ml:
                nu = nObsD
                deviance = logDetL + nu * (1 + log(2 * Double.pi * q / nu))
            }
            if !wantDerivative && !wantDetails { return Evaluation(deviance: deviance, derivative: .nan, details: nil) }

            // β̃ = L11⁻ᵀ l21, where l21 = L[p, 0..<p].
            var beta = [Double](repeating: 0, count: p)
            for i in 0..<p { beta[i] = mat[i * m + p] }
            for i in stride(from: p - 1, through: 0, by: -1) {
                var s = beta[i]
                for j in (i + 1)..<max(p, i + 1) { s -= mat[i * m + j] * beta[j] }
                beta[i] = s / mat[i * m + i]
            }
            var d1 = 0.0, d2 = 0.0, d3 = 0.0
            var residualSums = [Double](repeating: 0, count: wantDetails ? nG : 0)
            var w = [Double](repeating: 0, count: p)
            for g in 0..<nG {
                let n = nj[g]
                let base = g * m
                var sr = sums[base + p]
                for i in 0..<p { sr -= sums[base + i] * beta[i] }
                if wantDetails { residualSums[g] = sr }
                if wantDerivative {
                    let den = 1 + n * theta
                    let dc = 1 / (den * den)
                    d1 += n / den
                    d3 += dc * sr * sr
                    if method == .reml {
                        // ‖L11⁻¹ s_x‖²
                        var nrm = 0.0
                        for i in 0..<p {
                            var s = sums[base + i]
                            for j in 0..<i { s -= mat[j * m + i] * w[j] }
                            w[i] = s / mat[i * m + i]
                            nrm += w[i] * w[i]
                        }
                        d2 += dc * nrm
                    }
                }
            }
            let derivative = d1 - d2 - nu * d3 / q
            var details: Details? = nil
            if wantDetails {
                var l11 = [Double](repeating: 0, count: p * p)
                for a in 0..<p { for b in 0..<p { l11[b * p + a] = mat[b * m + a] } }
                details = Details(beta: beta, q: q, aInverse: inverseFromCholesky(l11, p), residualSums: residualSums)
            }
            return Evaluation(deviance: deviance, derivative: derivative, details: details)
        }
    }

    /// In-place Cholesky of a symmetric n × n column-major matrix; on success the lower triangle
    /// (element (i, j) at j*n + i, i ≥ j) holds L and the function returns nil. Returns the index
    /// of the first pivot that is not positive (relative to its original diagonal × tolerance).
    static func choleskyInPlace(_ a: inout [Double], _ n: Int, tolerance: Double) -> Int? {
        for j in 0..<n {
            let orig = a[j * n + j]
            var d = orig
            for k in 0..<j { d -= a[k * n + j] * a[k * n + j] }
            if !(d > tolerance * abs(orig)) || !(d > 0) || !d.isFinite { return j }
            let ljj = d.squareRoot()
            a[j * n + j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = a[j * n + i]
                for k in 0..<j { s -= a[k * n + i] * a[k * n + j] }
                a[j * n + i] = s / ljj
            }
        }
        return nil
    }

    /// (L Lᵀ)⁻¹ from a lower-triangular column-major L.
    static func inverseFromCholesky(_ l: [Double], _ p: Int) -> [Double] {
        var inv = [Double](repeating: 0, count: p * p)
        var col = [Double](repeating: 0, count: p)
        for c in 0..<p {
            for i in 0..<p { col[i] = i == c ? 1 : 0 }
            for i in 0..<p {
                var s = col[i]
                for k in 0..<i { s -= l[k * p + i] * col[k] }
                col[i] = s / l[i * p + i]
            }
            for i in stride(from: p - 1, through: 0, by: -1) {
                var s = col[i]
                for k in (i + 1)..<max(p, i + 1) { s -= l[i * p + k] * col[k] }
                col[i] = s / l[i * p + i]
            }
            for i in 0..<p { inv[c * p + i] = col[i] }
        }
        return inv
    }
}
