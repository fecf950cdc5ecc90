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

    // MARK: journal_mismatch

    /// The ВПР against the students' own journal marks, as one test of «marks raised to the journal
    /// mark». For the students with journal mark j (3, 4, 5) of a cell: L «понизили» (ВПР mark below
    /// j) and B at the boundary of j (the ВПР score at b_j or b_j + 1, the mark confirmed by a point
    /// or two). Their chances p_L and p_B are logistic curves in the school's level (its
    /// standardised mean ВПР score), fitted across the procedure's cells per journal mark. Raising a
    /// share θ of the lowered students to the boundary moves them from L to B; the score test of
    /// θ = 0 under the multinomial is U = (n·p_L − L) + (p_L/p_B)·(B − n·p_B), with null variance
    /// n·p_L·(1 + p_L/p_B), and U/Var estimates θ. Too few «понизили» alone (the first term) was the
    /// whole test before; the boundary term adds where the lowered students went, which a small
    /// school shows far more clearly (B is rare). When a procedure's boundaries cannot be inferred,
    /// its cells are tested on «понизили» alone. (Conditioning on the mean journal mark instead, which
    /// raised ВПР marks cannot inflate, was measured and lost recall; docs/identification.md.)
    static func journalMismatch(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let minN = c.int("min_participants")
        let assessments = c.strings("assessments")
        struct Acc {
            var u = 0.0, v = 0.0, k3 = 0.0, n = 0, confirmed = 0, raised = 0
            var lowered = 0.0, loweredExpected = 0.0, atBoundary = 0.0, atBoundaryExpected = 0.0, boundaryN = 0.0
            var cells: [JournalCell] = []
        }
        var acc: [String: Acc] = [:]
        for p in ctx.procedures(year: ctx.year, assessments: assessments) {
            for cell in journalCells(p, ctx) {
                // In place: a copy would share the cells array with the dictionary and copy it on every append.
                inPlace(&acc[cell.school, default: Acc()]) { a in
                    a.u += cell.u; a.v += cell.v; a.k3 += cell.k3; a.n += cell.compared
                    a.confirmed += cell.confirmed; a.raised += cell.raised
                    a.lowered += cell.lowered; a.loweredExpected += cell.loweredExpected
                    a.atBoundary += cell.atBoundary; a.atBoundaryExpected += cell.atBoundaryExpected; a.boundaryN += cell.boundaryN
                    a.cells.append(cell)
                }
            }
        }
        // The cell-by-cell Bayes factor (below) also reads the years before, where the data has them;
        // not for the earlier years of `combined_signs`, which read only the score test.
        let bar = c.number("bayes_factor")
        var earlier: [String: [Int: [JournalCell]]] = [:]
        if bar > 0 && !out.signTestsOnly {
            for y in ctx.data.years where y < ctx.year && y > ctx.year - c.int("years") {
                for p in ctx.procedures(year: y, assessments: assessments) {
                    for cell in journalCells(p, ctx) { earlier[cell.school, default: [:]][y, default: []].append(cell) }
                }
            }
        }
        let minEffect = c.number("min_effect"), fdr = c.number("fdr_q")
        let schools = acc.keys.sorted().filter { let a = acc[$0]!; return a.n >= minN && a.v > 0 && a.loweredExpected > 0 }
        // The Bayes factor's p-values, corrected across all the tested schools.
        var bayesBySchool: [String: CellFactorEvidence] = [:]
        if bar > 0 && !out.signTestsOnly {
            // On all cores: the candidates' simulations are most of the work.
            let evidence: [CellFactorEvidence] = Chunked.map(schools.count, minimumPerRange: 500) { range in
                range.map { CellFactorEvidence.journal(acc[schools[$0]]!.cells, earlier: earlier[schools[$0]] ?? [:], bar: bar,
                                                       sure: fdr / Double(schools.count), school: schools[$0], year: ctx.year) }
            }
            let list = CellFactorEvidence.corrected(evidence, fdr: fdr, minEffect: minEffect)
            for i in list.indices { bayesBySchool[schools[i]] = list[i] }
        }
        var tests: [SchoolTest] = []
        for school in schools {
            let a = acc[school]!
            let theta = a.u / a.v
            let bayes = bayesBySchool[school]
            // The cells the flag names: where the factor shows the practice when it flags, else where
            // the score test leans (else all).
            let shown = (bayes?.flagged ?? false) ? a.cells.filter { $0.logFactor > 0 } : []
            let notable = a.cells.filter { $0.v > 0 && $0.u / $0.v.squareRoot() >= 1.5 }
            let listed = (!shown.isEmpty ? shown : notable.isEmpty ? a.cells : notable).sorted { $0.procedure < $1.procedure }
            let procedures = listed.map(\.procedure.description)
            let n = a.n
            tests.append(SchoolTest(school: school, z: a.u / a.v.squareRoot(), effect: theta, value: a.lowered / Double(n), n: n,
                                    procedures: procedures, parts: [(a.u, a.v, a.k3)], bayes: bayes) { q, s in
                let cellsRU = listed.map { "\(Wording.procedure($0.procedure, .ru)): \(Int($0.lowered.rounded())) при ожидаемых \(Wording.number($0.loweredExpected, .ru, digits: 1))" }
                let cellsEN = listed.map { "\(Wording.procedure($0.procedure, .en)): \(Int($0.lowered.rounded())) against \(Wording.number($0.loweredExpected, .en, digits: 1)) expected" }
                let boundaryRU = a.boundaryN > 0
                    ? "Ровно на границе своей журнальной отметки или на балл выше — \(NumberFormat.integer(Int(a.atBoundary.rounded()), .ru)) при ожидаемых \(Wording.number(a.atBoundaryExpected, .ru, digits: 1)). " : ""
                let boundaryEN = a.boundaryN > 0
                    ? "Exactly at the boundary of their journal mark or 1 point above: \(Int(a.atBoundary.rounded())) against \(Wording.number(a.atBoundaryExpected, .en, digits: 1)) expected. " : ""
                let ru = "В \(ctx.year) г. отметку ВПР ниже журнальной («понизили») получили \(Wording.percent(a.lowered / Double(n), .ru)) участников (\(Wording.outOf(Int(a.lowered.rounded()), n, .ru))), "
                    + "а по журнальным отметкам этих же учеников в школах региона того же уровня ожидалось \(Wording.percent(a.loweredExpected / Double(n), .ru)) (\(Wording.number(a.loweredExpected, .ru, digits: 1))); "
                    + "подтвердили \(Wording.percent(Double(a.confirmed) / Double(n), .ru)), повысили \(Wording.percent(Double(a.raised) / Double(n), .ru)). "
                    + boundaryRU
                    + "Оценка доли «понизивших», поднятых до журнальной отметки: \(Wording.percent(theta, .ru, digits: 0)). "
                    + "По процедурам «понизили»: \(cellsRU.joined(separator: "; "))." + (bayes?.journalText(listed, ctx.year, .ru) ?? "") + tail(q, s, .ru)
                let en = "In \(ctx.year), \(Wording.percent(a.lowered / Double(n), .en)) of participants (\(Wording.outOf(Int(a.lowered.rounded()), n, .en))) got a VPR mark below their journal mark (\"lowered\"), "
                    + "while the same students' journal marks predict \(Wording.percent(a.loweredExpected / Double(n), .en)) (\(Wording.number(a.loweredExpected, .en, digits: 1))) in the region's schools of the same level; "
                    + "confirmed \(Wording.percent(Double(a.confirmed) / Double(n), .en)), raised \(Wording.percent(Double(a.raised) / Double(n), .en)). "
                    + boundaryEN
                    + "Estimated share of the \"lowered\" raised to their journal mark: \(Wording.percent(theta, .en, digits: 0)). "
                    + "\"Lowered\" by procedure: \(cellsEN.joined(separator: "; "))." + (bayes?.journalText(listed, ctx.year, .en) ?? "") + tail(q, s, .en)
                return (ru, en)
            })
        }
        schoolsWithout(Set(tests.map(\.school)), c, ctx, &out, what: "участников ВПР с журнальной отметкой", "VPR participants with a journal mark",
                       min: minN, counts: acc.mapValues(\.n))
        finish(tests, c, ctx, &out)
    }

    // MARK: task_pattern

    /// Completion (share of the maximum) of advanced and high tasks against what the school's
    /// completion of basic tasks predicts across the region (weighted quadratic fit on the logit
    /// scale per procedure, refitted without outliers). Hard tasks much better than the school's
    /// basic level predicts is the sign.
    static func taskPattern(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let minN = c.int("min_participants")
        struct Acc { var t = 0.0, k = 0, rn = 0.0, n = 0; var cells: [(Procedure, Double, Double, Double)] = [] }
        var acc: [String: Acc] = [:]
        for p in ctx.procedures(year: ctx.year, assessments: c.strings("assessments")) {
            guard let tasks = ctx.data.tasks[p], let cells = ctx.data.cells[p] else { continue }
            let basic = tasks.indices.filter { tasks[$0].level == .basic }
            let hard = tasks.indices.filter { tasks[$0].level == .advanced || tasks[$0].level == .high }
            guard !basic.isEmpty, !hard.isEmpty else { continue }
            func completion(_ cell: CellSummary, _ idx: [Int]) -> Double? {
                var s = 0.0, m = 0.0
                for i in idx where i < cell.taskSum.count { s += cell.taskSum[i]; m += Double(cell.taskCount[i]) * tasks[i].maxScore }
                return m > 0 ? s / m : nil
            }
            // The few numbers the test needs, not the cell itself (a copy retains its seven arrays).
            var rows: [(n: Int, school: String, x: Double, y: Double, b: Double, h: Double)] = []
            for i in cells.indices where cells[i].n >= 1 {
                guard let b = completion(cells[i], basic), let h = completion(cells[i], hard) else { continue }
                rows.append((cells[i].n, cells[i].schoolID, SignStats.logit(b), SignStats.logit(h), b, h))
            }
            guard rows.filter({ $0.n >= 5 }).count >= 8 else { continue }
            var keep = Array(repeating: true, count: rows.count)
            var coef = [0.0, 1.0, 0.0]
            var sigma = 1.0
            for _ in 0..<2 {
                // The curve and its scale come from cells of at least 5 participants; smaller cells
                // (a school's 3 pupils in a grade) are only tested against it, pooled per school.
                coef = quadraticFit(rows.indices.filter { keep[$0] && rows[$0].n >= 5 }.map { (rows[$0].x, rows[$0].y, Double(rows[$0].n)) }) ?? coef
                let scaled = rows.map { ($0.y - predict(coef, $0.x)) * Double($0.n).squareRoot() }
                sigma = SignStats.robustCentreScale(rows.indices.filter { rows[$0].n >= 5 }.map { scaled[$0] }, floor: 1e-6).scale
                keep = scaled.map { abs($0) <= 3 * sigma }
            }
            for r in rows {
                let res = r.y - predict(coef, r.x)
                let t = res * Double(r.n).squareRoot() / sigma
                // In place: a copy would share the cells array with the dictionary and copy it on every append.
                inPlace(&acc[r.school, default: Acc()]) { a in
                    a.t += t; a.k += 1; a.rn += res * Double(r.n); a.n += r.n
                    a.cells.append((p, r.b, r.h, logistic(predict(coef, r.x))))
                }
            }
        }
        var tests: [SchoolTest] = []
        for (school, a) in acc.keys.sorted().lazy.map({ ($0, acc[$0]!) }) where a.n >= minN && a.k > 0 {
            let effect = a.rn / Double(a.n)
            let listed = a.cells.filter { $0.2 - $0.3 >= 0.08 }.sorted { $0.0 < $1.0 }
            let shown = listed.isEmpty ? a.cells.sorted { $0.0 < $1.0 } : listed
            tests.append(SchoolTest(school: school, z: a.t / Double(a.k).squareRoot(), effect: effect, value: effect, n: a.n,
                                    procedures: shown.map(\.0.description)) { q, s in
                let ru = "В \(ctx.year) г. задания повышенного и высокого уровня выполнены лучше, чем предсказывает выполнение базовых заданий этой же школы "
                    + "(по всем школам региона), в среднем на \(Wording.number(effect, .ru)) логита: "
                    + shown.map { "\(Wording.procedure($0.0, .ru)) — базовые \(Wording.percent($0.1, .ru, digits: 0)), сложные \(Wording.percent($0.2, .ru, digits: 0)) при ожидаемых \(Wording.percent($0.3, .ru, digits: 0))" }.joined(separator: "; ")
                    + "." + tail(q, s, .ru)
                let en = "In \(ctx.year), advanced and high-level tasks were done better than the school's own completion of basic tasks predicts "
                    + "(across the region's schools), by \(Wording.number(effect, .en)) logits on average: "
                    + shown.map { "\(Wording.procedure($0.0, .en)) — basic \(Wording.percent($0.1, .en, digits: 0)), hard \(Wording.percent($0.2, .en, digits: 0)) against \(Wording.percent($0.3, .en, digits: 0)) expected" }.joined(separator: "; ")
                    + "." + tail(q, s, .en)
                return (ru, en)
            })
        }
        schoolsWithout(Set(tests.map(\.school)), c, ctx, &out, what: "участников ВПР с результатами по заданиям", "VPR participants with task scores",
                       min: minN, counts: acc.mapValues(\.n))
        finish(tests, c, ctx, &out)
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

    // MARK: score_heaping

    /// Scores exactly at each mark boundary b against just below (b−2, b−1) (the local ratio: a
    /// score pushed over the boundary lands on it), and scores at b or b+1 against all the cell's
    /// scores (the mass: a mark raised to the boundary), each compared with the same
    /// ratio in the histograms of schools of the same level (strata by the mean journal mark, or
    /// the mean score when there are no journal marks; the school itself left out); and of the
    /// «повысили» of each mark (ВПР mark above the journal mark), those exactly at its boundary
    /// against the same share in those schools (a mark pushed up past the journal lands there). The
    /// three combined by Stouffer. Boundaries are inferred from the data: the lowest score seen with each mark.
    static func scoreHeaping(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let minN = c.int("min_participants")
        struct Acc {
            var o = 0.0, e = 0.0, v = 0.0, k3 = 0.0, n = 0, mo = 0.0, me = 0.0, mv = 0.0, mk3 = 0.0
            var ro = 0.0, re = 0.0, rv = 0.0, rk3 = 0.0, raised = 0.0
            var cells: [(Procedure, Int, Int, Double)] = [] }
        var acc: [String: Acc] = [:]
        for p in ctx.procedures(year: ctx.year, assessments: c.strings("assessments")) {
            guard let bounds = ctx.boundaries(p), let cells = ctx.data.cells[p], cells.count >= 2 else { continue }
            let useJournal = cells.reduce(0) { $0 + $1.journalCompared } * 2 >= cells.reduce(0) { $0 + $1.scored }
            // The cells through a pointer: a cell passed or bound by value was copied (seven arrays
            // retained) for every read, over every cell of a national run.
            typealias Cell = UnsafePointer<CellSummary>
            func h(_ cell: Cell, _ s: Int) -> Double { Double(cell.pointee.count(atScore: s)) }
            /// «повысили» with mark `m` exactly at its boundary `b`: no score with mark m lies below b,
            /// so they are the cell's lowest «повысили» of that mark if any are at b.
            func raisedOn(_ cell: Cell, _ m: Int, _ b: Int) -> Double { Double(cell.pointee.raised(mark: m, exactlyAt: b)) }
            /// Participants with ВПР mark `m` and a lower journal mark.
            func raisedWith(_ cell: Cell, _ m: Int) -> Double {
                Double((2..<m).reduce(0) { $0 + cell.pointee.joint(journal: $1, mark: m) })
            }
            let groups = strata(cells, level: { useJournal ? meanJournal($0) : ($0.meanScore ?? 0) })
            cells.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!
                for group in groups {
                    var at = [Double](repeating: 0, count: bounds.count), below = at
                    var massAt = 0.0, massAll = 0.0
                    // Per boundary: the «повысили» of that mark (ВПР mark above the journal mark), and
                    // how many of them scored exactly the boundary.
                    var raisedAt = [Double](repeating: 0, count: bounds.count), raisedAll = raisedAt
                    for i in group {
                        let cell = base + i
                        for b in bounds { massAt += h(cell, b) + h(cell, b + 1) }
                        massAll += Double(cell.pointee.scored)
                        for (k, b) in bounds.enumerated() {
                            at[k] += h(cell, b)
                            below[k] += h(cell, b - 2) + h(cell, b - 1)
                            raisedAt[k] += raisedOn(cell, k + 3, b)
                            raisedAll[k] += raisedWith(cell, k + 3)
                        }
                    }
                    for i in group {
                        let cell = base + i
                        var o = 0.0, e = 0.0, v = 0.0, k3 = 0.0, w = 0
                        for (k, b) in bounds.enumerated() {
                            let ca = h(cell, b), cb = h(cell, b - 2) + h(cell, b - 1)
                            let ra = at[k] - ca, rb = below[k] - cb
                            guard ra + rb > 0, ca + cb > 0 else { continue }
                            let p0 = min(0.98, max(0.02, ra / (ra + rb)))
                            o += ca; e += (ca + cb) * p0; v += (ca + cb) * p0 * (1 - p0); w += Int(ca + cb)
                            k3 += (ca + cb) * p0 * (1 - p0) * (1 - 2 * p0)
                        }
                        // In place: a copy would share the cells array with the dictionary and copy it on every append.
                        inPlace(&acc[cell.pointee.schoolID, default: Acc()]) { a in
                            a.o += o; a.e += e; a.v += v; a.k3 += k3; a.n += cell.pointee.scored
                            // The mass at (b, b+1) of all boundaries among all the cell's scores: raising a
                            // mark to the boundary takes students from anywhere below, not only from b−2, b−1.
                            let cAt = bounds.reduce(0.0) { $0 + h(cell, $1) + h(cell, $1 + 1) }, cAll = Double(cell.pointee.scored)
                            if massAll - cAll > 0 && cAll > 0 {
                                let p1 = min(0.98, max(0.02, (massAt - cAt) / (massAll - cAll)))
                                a.mo += cAt; a.me += cAll * p1; a.mv += cAll * p1 * (1 - p1); a.mk3 += cAll * p1 * (1 - p1) * (1 - 2 * p1)
                            }
                            if w > 0 { a.cells.append((p, Int(o), w, e)) }
                            // A mark pushed one up lands exactly on the boundary, above the journal mark:
                            // of the cell's «повысили» of each mark, those exactly at its boundary, against
                            // the same share in the stratum's other schools.
                            for (k, b) in bounds.enumerated() {
                                let n = raisedWith(cell, k + 3), x = raisedOn(cell, k + 3, b)
                                let rn = raisedAll[k] - n, rx = raisedAt[k] - x
                                guard n > 0, rn > 0 else { continue }
                                let p2 = min(0.98, max(0.02, rx / rn))
                                a.ro += x; a.re += n * p2; a.rv += n * p2 * (1 - p2); a.rk3 += n * p2 * (1 - p2) * (1 - 2 * p2)
                                a.raised += n
                            }
                        }
                    }
                }
            }
        }
        let schools = acc.keys.sorted().filter { let a = acc[$0]!; return a.n >= minN && a.v > 0 && a.e > 0 }
        // The cell-by-cell Bayes factor over the years, corrected across all the tested schools.
        let bayesBySchool = pushEvidence(schools, c, ctx, signTestsOnly: out.signTestsOnly)
        var tests: [SchoolTest] = []
        for (school, a) in schools.lazy.map({ ($0, acc[$0]!) }) {
            let effect = a.o / a.e - 1
            let bayes = bayesBySchool[school]
            let listed = a.cells.filter { Double($0.1) >= 1.3 * $0.3 && $0.1 >= 3 }.sorted { $0.0 < $1.0 }
            // The cells the flag names: where the factor shows the practice when it flags.
            let factorShown = bayes.map { $0.evidence.flagged ? $0.cells.filter { $0.logFactor > 0 }.sorted { $0.procedure < $1.procedure } : [] } ?? []
            let shown = listed.isEmpty ? a.cells.sorted { $0.0 < $1.0 } : listed
            let procedures = factorShown.isEmpty ? shown.map(\.0.description) : factorShown.map(\.procedure.description)
            let zLocal = (a.o - a.e) / a.v.squareRoot()
            let zMass = a.mv > 0 ? (a.mo - a.me) / a.mv.squareRoot() : 0
            let zRaised = a.rv > 0 ? (a.ro - a.re) / a.rv.squareRoot() : 0
            // Pushing a score over the boundary moves it from b−2, b−1 onto b (the local ratio); raising
            // a mark to the boundary fills b, b+1 from anywhere below (the mass); a mark pushed above
            // the journal mark sits exactly on its boundary (the «повысили»). Stouffer-combined; a
            // component a school has no data for (v = 0) is left out by the calibration.
            let z = (zLocal + zMass + zRaised) / 3.0.squareRoot()
            tests.append(SchoolTest(school: school, z: z, effect: effect, value: a.o, n: a.n,
                                    procedures: procedures,
                                    parts: [(a.o - a.e, a.v, a.k3), (a.mo - a.me, a.mv, a.mk3), (a.ro - a.re, a.rv, a.rk3)],
                                    bayes: bayes?.evidence) { q, s in
                let raisedRU = a.raised > 0
                    ? " Из участников с отметкой ВПР выше журнальной («повысили», \(NumberFormat.integer(Int(a.raised), .ru))) ровно на нижней границе своей отметки ВПР "
                        + "\(NumberFormat.integer(Int(a.ro), .ru)) при ожидаемых \(Wording.number(a.re, .ru, digits: 1)) по школам того же уровня." : ""
                let raisedEN = a.raised > 0
                    ? " Of the participants whose VPR mark is above their journal mark (\"raised\", \(Int(a.raised))), \(Int(a.ro)) scored exactly the lowest score of "
                        + "their VPR mark, against \(Wording.number(a.re, .en, digits: 1)) expected in schools of the same level." : ""
                let ru = "В \(ctx.year) г. из участников ВПР с баллом на границе отметки или до 2 баллов ниже её ровно на границе оказались "
                    + "\(NumberFormat.integer(Int(a.o), .ru)) при ожидаемых \(Wording.number(a.e, .ru, digits: 1)) по гистограммам школ того же уровня (избыток \(Wording.percent(effect, .ru, digits: 0))): "
                    + shown.map { "\(Wording.procedure($0.0, .ru)) — \(Wording.outOf($0.1, $0.2, .ru)), ожидалось \(Wording.number($0.3, .ru, digits: 1))" }.joined(separator: "; ")
                    + "." + raisedRU + (bayes?.evidence.pushText(factorShown, ctx.year, .ru) ?? "")
                    + " Границы отметок определены по данным (наименьший балл с каждой отметкой)." + tail(q, s, .ru)
                let en = "In \(ctx.year), of the VPR participants scoring at a mark boundary or up to 2 points below it, \(Int(a.o)) were exactly at the boundary "
                    + "against \(Wording.number(a.e, .en, digits: 1)) expected from the histograms of schools of the same level (excess \(Wording.percent(effect, .en, digits: 0))): "
                    + shown.map { "\(Wording.procedure($0.0, .en)) — \(Wording.outOf($0.1, $0.2, .en)), \(Wording.number($0.3, .en, digits: 1)) expected" }.joined(separator: "; ")
                    + "." + raisedEN + (bayes?.evidence.pushText(factorShown, ctx.year, .en) ?? "")
                    + " Mark boundaries are inferred from the data (the lowest score seen with each mark)." + tail(q, s, .en)
                return (ru, en)
            })
        }
        schoolsWithout(Set(tests.map(\.school)), c, ctx, &out, what: "участников ВПР с первичным баллом", "VPR participants with a primary score",
                       min: minN, counts: acc.mapValues(\.n))
        finish(tests, c, ctx, &out)
    }

    // MARK: vanishing_jump

    /// A cohort's ВПР result that jumps in the year before the analysis year and is gone in the
    /// analysis year: z(grade g, Y−1) − mean(z(grade g−1, Y−2), z(grade g+1, Y)), per subject,
    /// on procedure-standardised mean scores, robust scale across all cohorts of the region.
    static func vanishingJump(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let minN = c.int("min_participants")
        let assessments = c.strings("assessments")
        let y = ctx.year
        var zs: [Procedure: [String: Double]] = [:]
        for yy in (y - 2)...y { for p in ctx.procedures(year: yy, assessments: assessments) { zs[p] = ctx.scoreZ(p, minN: minN) } }
        var triples: [(school: String, jump: Double, procs: [Procedure], z: [Double])] = []
        for p1 in ctx.procedures(year: y - 1, assessments: assessments) {
            let p0 = Procedure(year: y - 2, assessment: p1.assessment, subject: p1.subject, grade: p1.grade - 1)
            let p2 = Procedure(year: y, assessment: p1.assessment, subject: p1.subject, grade: p1.grade + 1)
            guard let z0 = zs[p0], let z1 = zs[p1], let z2 = zs[p2] else { continue }
            for (s, v1) in z1.sorted(by: { $0.key < $1.key }) {
                guard let v0 = z0[s], let v2 = z2[s] else { continue }
                triples.append((s, v1 - (v0 + v2) / 2, [p0, p1, p2], [v0, v1, v2]))
            }
        }
        guard triples.count >= 10 else { return }
        let scale = SignStats.robustCentreScale(triples.map(\.jump), floor: 1e-6)
        var bySchool: [String: [(t: Double, procs: [Procedure], z: [Double])]] = [:]
        for t in triples { bySchool[t.school, default: []].append(((t.jump - scale.centre) / scale.scale, t.procs, t.z)) }
        var tests: [SchoolTest] = []
        for (s, list) in bySchool.sorted(by: { $0.key < $1.key }) {
            let z = list.map(\.t).reduce(0, +) / Double(list.count).squareRoot()
            let best = list.max { $0.t < $1.t }!
            let effect = best.t
            tests.append(SchoolTest(school: s, z: z, effect: effect, value: best.z[1] - (best.z[0] + best.z[2]) / 2, n: list.count,
                                    procedures: best.procs.map(\.description)) { q, st in
                let ru = "Результат одного и того же класса (\(Wording.subject(best.procs[1].subject, .ru))) по ВПР: \(best.procs[0].grade) класс в \(y - 2) г. — \(Wording.number(best.z[0], .ru)) SD от среднего по региону, "
                    + "\(best.procs[1].grade) класс в \(y - 1) г. — \(Wording.number(best.z[1], .ru)) SD, \(best.procs[2].grade) класс в \(y) г. — \(Wording.number(best.z[2], .ru)) SD: "
                    + "скачок, который исчез на следующий год." + tail(q, st, .ru)
                let en = "The same class's VPR results (\(Wording.subject(best.procs[1].subject, .en))): grade \(best.procs[0].grade) in \(y - 2) — \(Wording.number(best.z[0], .en)) SD from the regional mean, "
                    + "grade \(best.procs[1].grade) in \(y - 1) — \(Wording.number(best.z[1], .en)) SD, grade \(best.procs[2].grade) in \(y) — \(Wording.number(best.z[2], .en)) SD: "
                    + "a jump that vanished the next year." + tail(q, st, .en)
                return (ru, en)
            })
        }
        finish(tests, c, ctx, &out)
    }
}
