import Foundation
import OporaCore
import OporaStats

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
    /// Each cell's level for the curves of `journal_mismatch` and `score_heaping`: the school's mean
    /// ВПР score standardised across the procedure's cells (sample SD, at least 1e-9). Summed plainly,
    /// not as `Descriptive.standardize` (two-pass mean), which would move the levels in the last bits.
    static func cellLevels(_ means: [Double]) -> [Double] {
        let mu = means.reduce(0, +) / Double(means.count)
        let sd = max(1e-9, (means.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(max(1, means.count - 1))).squareRoot())
        return means.map { ($0 - mu) / sd }
    }

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
