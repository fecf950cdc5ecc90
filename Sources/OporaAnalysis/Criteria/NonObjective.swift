import Foundation
import OporaCore
import OporaStats

/// The signs of non-objective results. Each is a one-sided test per school (its cells of the
/// analysis year combined), standardised against all schools with a robust empirical null
/// (median and MAD of the school z-scores, the scale never below 1), with Benjamini–Hochberg
/// control of false alarms across schools at `fdr_q`, and a minimum effect size. Schools are
/// compared with what their own level predicts, so being good is never a sign by itself.
enum NonObjective {
    struct SchoolTest {
        var school: String
        /// Oriented so that larger = more suspicious.
        var z: Double
        var effect: Double
        var value: Double
        var n: Int
        var procedures: [String]
        /// Score statistics of the test's components: oriented observed − expected, its null variance
        /// and third cumulant (counts of rare events are skewed; 0 when not); when given, `z` is
        /// replaced by the random-effects empirical null (`SignStats.calibrated`).
        var parts: [(u: Double, v: Double, k3: Double)] = []
        /// A second way to the flag, besides q ≤ `fdr_q` and `min_effect`: the sign's Bayes factor over
        /// the cells (`CellFactorEvidence`), with its own effect and strength.
        var bayes: CellFactorEvidence? = nil
        /// Sentence builder given (q, strength).
        var text: (Double, SignStrength) -> (ru: String, en: String)
    }

    static func finish(_ tests: [SchoolTest], _ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome,
                       threshold: Double? = nil, empiricalNull: Bool = true) {
        guard !tests.isEmpty else { return }
        let z = empiricalNull ? SignStats.calibrated(tests) : tests.map { $0.z }
        let (centre, scale) = empiricalNull ? SignStats.robustCentreScale(z) : (0, 1)
        let p = z.map { Normal.sf(($0 - centre) / scale) }
        let q = SignStats.q(p)
        let fdr = c.number("fdr_q"), minEffect = c.number("min_effect")
        // The criterion's table taken out, filled and put back (not looked up twice per school).
        var signs = out.signTests.removeValue(forKey: c.id) ?? [:]
        signs.reserveCapacity(signs.count + tests.count)
        // By index: enumerating copied every test (school, procedures, components, sentence builder).
        func tested(_ i: Int) -> Bool { q[i] <= fdr && tests[i].effect >= minEffect }
        func flagged(_ i: Int) -> Bool { tested(i) || (tests[i].bayes?.flagged ?? false) }
        // The stronger of the two ways that flag.
        func strength(_ i: Int) -> SignStrength {
            let byTest = tested(i) ? SignStats.strength(q: q[i], effect: tests[i].effect, minEffect: minEffect) : nil
            let byBayes = tests[i].bayes.flatMap { $0.flagged ? $0.strength : nil }
            let order: [SignStrength] = [.weak, .moderate, .strong]
            return [byTest, byBayes].compactMap { $0 }.max { order.firstIndex(of: $0)! < order.firstIndex(of: $1)! } ?? .weak
        }
        for i in tests.indices {
            signs[tests[i].school] = SignTest(
                p: p[i], q: q[i], effect: tests[i].effect, minEffect: threshold ?? minEffect, procedures: tests[i].procedures,
                n: tests[i].n, flagged: flagged(i), strength: flagged(i) ? strength(i) : nil)
        }
        out.signTests[c.id] = signs
        guard !out.signTestsOnly else { return } // the sentences are not needed
        for i in tests.indices where flagged(i) {
            let t = tests[i]
            let strength = strength(i)
            // A flag by the Bayes factor alone reports that route's effect, p and q.
            let (effect, pShown, qShown) = tested(i) ? (t.effect, p[i], q[i]) : (t.bayes!.effect, t.bayes!.p, t.bayes!.q)
            let text = t.text(qShown, strength)
            out.flag(t.school, IdentificationFlag(
                criterion: c.id, category: "non_objective", year: ctx.year, procedures: t.procedures,
                value: rounded6(t.value), threshold: threshold ?? minEffect, n: t.n, textRU: text.ru, textEN: text.en,
                strength: strength, effect: rounded6(effect), pValue: roundedP(pShown), qValue: roundedP(qShown)))
        }
    }

    static func tail(_ q: Double, _ s: SignStrength, _ l: Language) -> String {
        l == .ru ? " Признак для анализа, не вывод: \(SignStats.strengthText(s, .ru)) (q \(Wording.isP(q, .ru)) с поправкой на множественность по всем школам)."
            : " A sign for analysis, not a verdict: \(SignStats.strengthText(s, .en)) (q \(Wording.isP(q, .en)) after correcting for testing all schools)."
    }

    static func schoolsWithout(_ tested: Set<String>, _ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome,
                               what ru: String, _ en: String, min: Int, counts: [String: Int]) {
        guard !out.signTestsOnly else { return }
        for s in ctx.data.schools where !tested.contains(s.id) {
            let n = counts[s.id] ?? 0
            out.notEnough(s.id, c.id, "non_objective", ctx.year, n: n,
                          ru: "В \(ctx.year) г. \(ru): \(NumberFormat.count(n, .participant, en: "participant", .ru)), нужно не меньше \(min).",
                          en: "In \(ctx.year), \(en): \(n) participant\(n == 1 ? "" : "s"); at least \(min) are needed.")
        }
    }

    /// Cells split into up to five strata of similar level (equal counts), by `level`.
    static func strata(_ cells: [CellSummary], level: (CellSummary) -> Double) -> [[Int]] {
        // Levels computed once per cell, not in every comparison (40,000 cells: n log n copies).
        let levels = cells.map(level)
        // The school code only breaks ties (building the tuple read it in every comparison).
        let order = cells.indices.sorted { a, b in levels[a] != levels[b] ? levels[a] < levels[b] : cells[a].schoolID < cells[b].schoolID }
        let k = max(1, min(5, cells.count / 25))
        return (0..<k).map { g in Array(order[(g * order.count / k)..<((g + 1) * order.count / k)]) }
    }

    /// `body` on `value` where it is stored, e.g. a dictionary entry via its `default:` subscript.
    @inline(__always)
    static func inPlace<T>(_ value: inout T, _ body: (inout T) -> Void) { body(&value) }

    static func meanJournal(_ c: CellSummary) -> Double {
        var s = 0, n = 0
        for j in 0..<4 { for m in 0..<4 { let v = c.journalJoint[j * 4 + m]; s += (j + 2) * v; n += v } }
        return n > 0 ? Double(s) / Double(n) : 0
    }

    /// Each cell's level for the curves of `journal_mismatch` and `score_heaping`: the school's mean
    /// ВПР score standardised across the procedure's cells (sample SD, at least 1e-9). Summed plainly,
    /// not as `Descriptive.standardize` (two-pass mean), which would move the levels in the last bits.
    static func cellLevels(_ means: [Double]) -> [Double] {
        let mu = means.reduce(0, +) / Double(means.count)
        let sd = max(1e-9, (means.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(max(1, means.count - 1))).squareRoot())
        return means.map { ($0 - mu) / sd }
    }

    static func predict(_ c: [Double], _ x: Double) -> Double { c[0] + c[1] * x + c[2] * x * x }

    /// Weighted least squares y ~ 1 + x + x² (normal equations, 3 × 3).
    static func quadraticFit(_ pts: [(Double, Double, Double)]) -> [Double]? {
        guard pts.count >= 4 else { return nil }
        var normal = NormalEquations()
        for (x, y, w) in pts { normal.add(x: x, y: y, w: w) }
        return normal.solve()
    }

    /// The augmented 3 × 4 system of a weighted quadratic fit, in fixed storage: the fits run once
    /// per procedure and IRLS step over every cell, and nested arrays cost an allocation per row.
    struct NormalEquations {
        var a: (Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double, Double) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

        /// The same sums, in the same order, as building a[i][j] += w·f[i]·f[j], a[i][3] += w·f[i]·y with f = (1, x, x²).
        @inline(__always)
        mutating func add(x: Double, y: Double, w: Double) {
            let f1 = x, f2 = x * x
            a.0 += w * 1 * 1; a.1 += w * 1 * f1; a.2 += w * 1 * f2; a.3 += w * 1 * y
            a.4 += w * f1 * 1; a.5 += w * f1 * f1; a.6 += w * f1 * f2; a.7 += w * f1 * y
            a.8 += w * f2 * 1; a.9 += w * f2 * f1; a.10 += w * f2 * f2; a.11 += w * f2 * y
        }

        /// Gauss–Jordan elimination with partial pivoting; `nil` when singular.
        func solve() -> [Double]? {
            var m = a
            return withUnsafeMutableBytes(of: &m) { raw -> [Double]? in
                let a = raw.bindMemory(to: Double.self)
                func at(_ r: Int, _ c: Int) -> Double { a[r * 4 + c] }
                for i in 0..<3 { a[i * 4 + i] += 1e-9 }
                for col in 0..<3 {
                    var piv = col
                    for r in (col + 1)..<3 where abs(at(r, col)) > abs(at(piv, col)) { piv = r }
                    if piv != col { for k in 0..<4 { let t = a[col * 4 + k]; a[col * 4 + k] = a[piv * 4 + k]; a[piv * 4 + k] = t } }
                    guard abs(at(col, col)) > 1e-12 else { return nil }
                    for r in 0..<3 where r != col {
                        let f = at(r, col) / at(col, col)
                        for k in col..<4 { a[r * 4 + k] -= f * a[col * 4 + k] }
                    }
                }
                return (0..<3).map { at($0, 3) / at($0, $0) }
            }
        }
    }

    static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Binomial logistic regression logit p = a + b·x + c·x² by iteratively reweighted least
    /// squares; points are (x, successes, trials).
    static func logisticQuadraticFit(_ pts: [(Double, Double, Double)]) -> [Double]? {
        let total = pts.reduce(0) { $0 + $1.2 }, succ = pts.reduce(0) { $0 + $1.1 }
        guard total > 0, pts.count >= 4 else { return nil }
        let p0 = min(max(succ / total, 0.001), 0.999)
        var coef = [log(p0 / (1 - p0)), 0, 0]
        for _ in 0..<25 {
            var normal = NormalEquations()
            // The coefficients in locals: `predict` on the array checked its bounds for every point.
            let c0 = coef[0], c1 = coef[1], c2 = coef[2]
            for (x, k, n) in pts {
                let eta = c0 + c1 * x + c2 * x * x
                let mu = min(max(logistic(eta), 1e-6), 1 - 1e-6)
                let w = n * mu * (1 - mu)
                normal.add(x: x, y: eta + (k / n - mu) / (mu * (1 - mu)), w: w)
            }
            guard let next = normal.solve() else { break }
            let delta = zip(next, coef).map { abs($0 - $1) }.max() ?? 0
            coef = next
            if delta < 1e-8 { break }
        }
        return coef
    }
}
