import Foundation
import OporaCore
import OporaStats

extension NonObjective {
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
}

/// One ВПР cell's evidence for `journal_mismatch`: the pooled score test's parts and the cell's
/// Bayes factor (`CellMixtureBayesFactor`), with the counts the sentence gives.
struct JournalCell {
    var school: String
    var procedure: Procedure
    /// Score test: oriented observed − expected, null variance, third cumulant.
    var u = 0.0, v = 0.0, k3 = 0.0
    var lowered = 0.0, loweredExpected = 0.0, atBoundary = 0.0, atBoundaryExpected = 0.0, boundaryN = 0.0
    /// log of the cell's Bayes factor for «a share of the lowered raised to the boundary of the journal mark».
    var logFactor = 0.0
    /// Per journal mark (3, 4, 5) the pupils and their null chances, for the factor's simulated null
    /// (inline: an array per cell cost a national run 400,000 allocations).
    var n = (0, 0, 0), pl = (0.0, 0.0, 0.0), pb = (1.0, 1.0, 1.0), boundary = (false, false, false)

    var strata: [CellMixtureBayesFactor.Stratum] {
        [(n.0, pl.0, pb.0, boundary.0), (n.1, pl.1, pb.1, boundary.1), (n.2, pl.2, pb.2, boundary.2)]
            .filter { $0.0 > 0 }.map { .init(n: $0.0, pl: $0.1, pb: $0.2, boundary: $0.3) }
    }

    mutating func setStratum(_ j: Int, n: Int, pl: Double, pb: Double, boundary: Bool) {
        switch j {
        case 1: (self.n.0, self.pl.0, self.pb.0, self.boundary.0) = (n, pl, pb, boundary)
        case 2: (self.n.1, self.pl.1, self.pb.1, self.boundary.1) = (n, pl, pb, boundary)
        default: (self.n.2, self.pl.2, self.pb.2, self.boundary.2) = (n, pl, pb, boundary)
        }
    }
    var compared = 0, confirmed = 0, raised = 0
}

extension NonObjective {
    /// The cells of one procedure with their `journal_mismatch` evidence. For the students with
    /// journal mark j (3, 4, 5) of a cell: L «понизили» (ВПР mark below j) and B at the boundary of j
    /// (score b_j or b_j + 1); their chances p_L and p_B are logistic curves in the cell's level (its
    /// standardised mean ВПР score), fitted per journal mark across the procedure's cells.
    static func journalCells(_ p: Procedure, _ ctx: IdentificationContext) -> [JournalCell] {
        let cellList = ctx.data.cells[p] ?? []
        // Every cell read through a pointer: a cell taken out of the array was copied (seven arrays retained).
        return cellList.withUnsafeBufferPointer { journalCells(p, ctx, $0) }
    }

    private static func journalCells(_ p: Procedure, _ ctx: IdentificationContext, _ all: UnsafeBufferPointer<CellSummary>) -> [JournalCell] {
        let index = all.indices.filter { all[$0].journalCompared > 0 && all[$0].scored > 0 }
        guard index.count >= 8 else { return [] }
        let level = cellLevels(index.map { all[$0].meanScore! })
        let bounds = ctx.boundaries(p)
        // Per journal mark j (index 1…3 = marks 3…5; a journal «2» cannot be lowered): (n, L, B).
        func counts(_ cell: UnsafePointer<CellSummary>, _ j: Int) -> (n: Double, l: Double, b: Double?) {
            var n = 0.0, l = 0.0
            for m in 0..<4 { let x = Double(cell.pointee.joint(journal: j + 2, mark: m + 2)); n += x; if m < j { l += x } }
            guard let bounds else { return (n, l, nil) }
            let b = bounds[j - 1]
            return cell.pointee.confirmedHistogram.withUnsafeBufferPointer { h in
                (n, l, (b < h.count ? Double(h[b]) : 0) + (b + 1 < h.count ? Double(h[b + 1]) : 0))
            }
        }
        // Read once per cell and mark: the curves are fitted on them and the cells tested on them.
        var table: [(n: Double, l: Double, b: Double?)] = []
        table.reserveCapacity(index.count * 3)
        for i in index { for j in 1..<4 { table.append(counts(all.baseAddress! + i, j)) } }
        var lowerCurve: [Int: [Double]] = [:], boundaryCurve: [Int: [Double]] = [:]
        for j in 1..<4 {
            var lp: [(Double, Double, Double)] = [], bp: [(Double, Double, Double)] = []
            for k in index.indices {
                let x = table[k * 3 + j - 1]
                guard x.n > 0 else { continue }
                lp.append((level[k], x.l, x.n))
                if let b = x.b { bp.append((level[k], b, x.n)) }
            }
            lowerCurve[j] = logisticQuadraticFit(lp)
            if bounds != nil { boundaryCurve[j] = logisticQuadraticFit(bp) }
        }
        var cells: [JournalCell] = []
        cells.reserveCapacity(index.count)
        var strata: [(b: Double, ratio: Double)] = []
        for (k, i) in index.enumerated() {
            let cell = all.baseAddress! + i
            var e = JournalCell(school: cell.pointee.schoolID, procedure: p)
            strata.removeAll(keepingCapacity: true)
            for j in 1..<4 {
                guard let lc = lowerCurve[j] else { continue }
                let x = table[k * 3 + j - 1]
                guard x.n > 0 else { continue }
                let pl = logistic(predict(lc, level[k]))
                e.lowered += x.l; e.loweredExpected += x.n * pl
                if let b = x.b, let bc = boundaryCurve[j] {
                    // p_B kept away from 0 so that one student at the boundary cannot weigh without limit.
                    let pb = max(0.02, logistic(predict(bc, level[k])))
                    let ratio = pl / pb
                    // Raising a share θ of the lowered students to the boundary moves them from L to B:
                    // the score test of θ = 0 under the multinomial (L, B, rest).
                    e.u += (x.n * pl - x.l) + ratio * (b - x.n * pb)
                    e.v += x.n * pl * (1 + ratio)
                    // Each student adds −1 («понизили»), +ratio (at the boundary) or 0, mean 0.
                    e.k3 += x.n * pl * (ratio * ratio - 1)
                    e.atBoundary += b; e.atBoundaryExpected += x.n * pb; e.boundaryN += x.n
                    strata.append((b, ratio))
                    e.setStratum(j, n: Int(x.n), pl: pl, pb: pb, boundary: true)
                } else {
                    e.u += x.n * pl - x.l
                    e.v += x.n * pl * (1 - pl)
                    e.k3 -= x.n * pl * (1 - pl) * (1 - 2 * pl)
                    e.setStratum(j, n: Int(x.n), pl: pl, pb: 1, boundary: false)
                }
            }
            e.logFactor = CellMixtureBayesFactor.logCell(lowered: e.lowered, strata: strata)
            let cmp = cell.pointee.journalComparison
            e.compared = cell.pointee.journalCompared; e.confirmed = cmp.confirmed; e.raised = cmp.raised
            cells.append(e)
        }
        return cells
    }
}

extension CellFactorEvidence {
    /// `journal_mismatch`'s factor for a school: its cells of the analysis year and of the years
    /// before; the effect is the score test's estimate of the share raised, over the cells where the
    /// factor shows the practice.
    static func journal(_ cells: [JournalCell], earlier: [Int: [JournalCell]], bar: Double, sure: Double, school: String, year: Int) -> CellFactorEvidence {
        let before = earlier.keys.sorted(by: >).map { earlier[$0]! }
        let shown = cells.filter { $0.logFactor > 0 && $0.v > 0 }
        let v = shown.reduce(0) { $0 + $1.v }
        return CellFactorEvidence(cells: cells.map(\.logFactor), earlier: before.map { $0.map(\.logFactor) },
                                  effect: v > 0 ? shown.reduce(0) { $0 + $1.u } / v : 0, bar: bar, sure: sure, school: school, year: year) { observed, draws, seed in
            CellMixtureBayesFactor.nullTail(([cells] + before).map { $0.map(\.strata) }, observed: observed,
                                            cellChance: cellChance, yearChance: yearChance, draws: draws, seed: seed)
        }
    }

    static let journalPractice = (ru: "если в части процедур часть «понизивших» подняли до журнальной отметки",
                                  en: "if in some procedures some of the \"lowered\" were raised to their journal mark")

    /// The sentence's part for `journal_mismatch`: the counts in `shown`, the cells where the factor
    /// shows the practice (those the flag names), then the factor.
    func journalText(_ shown: [JournalCell], _ year: Int, _ l: Language) -> String {
        guard flagged else { return "" }
        if l == .ru {
            let list = shown.map { "\(Wording.procedure($0.procedure, .ru)): «понизили» \(Int($0.lowered.rounded())) при ожидаемых \(Wording.number($0.loweredExpected, .ru, digits: 1)), на границе журнальной отметки \(Int($0.atBoundary.rounded())) при ожидаемых \(Wording.number($0.atBoundaryExpected, .ru, digits: 1))" }
            return " По процедурам, где это видно — \(list.joined(separator: "; "))." + text(year, practice: Self.journalPractice, .ru)
        }
        let list = shown.map { "\(Wording.procedure($0.procedure, .en)): \(Int($0.lowered.rounded())) \"lowered\" against \(Wording.number($0.loweredExpected, .en, digits: 1)) expected, \(Int($0.atBoundary.rounded())) at the boundary of the journal mark against \(Wording.number($0.atBoundaryExpected, .en, digits: 1))" }
        return " In the procedures where it shows: \(list.joined(separator: "; "))." + text(year, practice: Self.journalPractice, .en)
    }
}

extension IdentificationCriterion {
    static let journalMismatch = IdentificationCriterion(
        id: "journal_mismatch", category: "non_objective", title: LocalizedText(ru: "ВПР и журнальные отметки", en: "VPR against journal marks"), isSign: true,
        parameters: [
            RuleSchema.q,
            RuleSchema.share("min_effect", 0.15, ru: "Минимальная оценка доли «понизивших», поднятых до журнальной отметки",
                  en: "Minimum estimated RuleSchema.share of the \"lowered\" raised to their journal mark"),
            RuleSchema.minN(15), RuleSchema.vprOnly,
            RuleSchema.bayesFactor, RuleSchema.bayesYears,
        ],
        run: NonObjective.journalMismatch)
}
