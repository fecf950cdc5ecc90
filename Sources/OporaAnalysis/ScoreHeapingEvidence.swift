import Foundation
import OporaCore
import OporaStats

/// One ВПР cell's evidence for `score_heaping`'s Bayes factor (`BoundaryPushBayesFactor`): per mark
/// boundary its window counts and null chances, and the counts the sentence gives.
struct PushCell {
    var school: String
    var procedure: Procedure
    /// Boundaries of marks 3, 4, 5 (inline: an array per cell would cost a national run an
    /// allocation per cell).
    var windows: (BoundaryPushBayesFactor.Window, BoundaryPushBayesFactor.Window, BoundaryPushBayesFactor.Window)
    var logFactor = 0.0
    /// Over the boundaries: scores exactly at them, in their windows, expected at them; «повысили»
    /// at them and expected.
    var at = 0, window = 0, atExpected = 0.0, raisedAt = 0, raisedExpected = 0.0

    var list: [BoundaryPushBayesFactor.Window] { [windows.0, windows.1, windows.2] }
}

extension NonObjective {
    /// The cells of one procedure with their `score_heaping` Bayes factor. Per boundary b of mark m the
    /// null chances are logistic curves in the cell's level (its standardised mean ВПР score), fitted
    /// across the procedure's cells as `journal_mismatch` fits its own: q, a score of the window
    /// b − 2 … b exactly at b; u, a score at b a «повысил» (ВПР mark above the journal mark). The
    /// alternative's v, the chance that a score pushed from below onto b is a «повысил», is the
    /// procedure's share of the pupils with mark m − 1 who are not «понизили» (journal mark at most
    /// m − 1). Without journal marks (ОГЭ-like data, or fewer than half the scores with one) only the
    /// window counts.
    static func pushCells(_ p: Procedure, _ ctx: IdentificationContext) -> [PushCell] {
        guard let bounds = ctx.boundaries(p) else { return [] }
        let all = ctx.data.cells[p] ?? []
        let index = all.indices.filter { all[$0].scored > 0 }
        guard index.count >= 8 else { return [] }
        let means = index.map { all[$0].meanScore! }
        let mu = means.reduce(0, +) / Double(means.count)
        let sd = max(1e-9, (means.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(max(1, means.count - 1))).squareRoot())
        let level = means.map { ($0 - mu) / sd }
        let useJournal = index.reduce(0) { $0 + all[$1].journalCompared } * 2 >= index.reduce(0) { $0 + all[$1].scored }
        func h(_ cell: CellSummary, _ s: Int) -> Int { s >= 0 && s < cell.histogram.count ? Int(cell.histogram[s]) : 0 }
        // Per cell and boundary: (below, at, «повысили» at b, mark m − 1 with a journal mark, of them not «понизили»).
        var table: [(below: Int, at: Int, raised: Int, lower: Int, kept: Int)] = []
        table.reserveCapacity(index.count * 3)
        for i in index {
            let cell = all[i]
            for (k, b) in bounds.enumerated() {
                let m = k + 3
                let raised = cell.raisedLowestScore[k] == Double(b) ? cell.raisedAtLowest[k] : 0
                var lower = 0, kept = 0
                for j in 2...5 {
                    let x = cell.journalJoint[(j - 2) * 4 + (m - 3)]
                    lower += x
                    if j <= m - 1 { kept += x }
                }
                table.append((h(cell, b - 2) + h(cell, b - 1), h(cell, b), raised, lower, kept))
            }
        }
        // v belongs to the alternative, not the null: a share per procedure is close enough (a curve
        // per mark cost a national run a tenth of a second).
        var curves: [(q: [Double], u: [Double]?, v: Double)] = []
        for k in 0..<3 {
            var qp: [(Double, Double, Double)] = [], up: [(Double, Double, Double)] = []
            var kept = 0, lower = 0
            for c in index.indices {
                let x = table[c * 3 + k]
                if x.below + x.at > 0 { qp.append((level[c], Double(x.at), Double(x.below + x.at))) }
                if x.at > 0 { up.append((level[c], Double(x.raised), Double(x.at))) }
                kept += x.kept; lower += x.lower
            }
            guard let q = logisticQuadraticFit(qp) else { return [] }
            curves.append((q, useJournal && lower > 0 ? logisticQuadraticFit(up) : nil,
                           min(0.999, max(0.001, lower > 0 ? Double(kept) / Double(lower) : 0.5))))
        }
        func chance(_ curve: [Double], _ x: Double) -> Double { min(0.999, max(0.001, logistic(predict(curve, x)))) }
        var cells: [PushCell] = []
        cells.reserveCapacity(index.count)
        for (c, i) in index.enumerated() {
            var w: [BoundaryPushBayesFactor.Window] = []
            var e = PushCell(school: all[i].schoolID, procedure: p, windows: (.empty, .empty, .empty))
            for k in 0..<3 {
                let x = table[c * 3 + k], curve = curves[k]
                let q = chance(curve.q, level[c])
                let u = curve.u.map { chance($0, level[c]) }
                w.append(.init(below: x.below, at: x.at, raisedAt: u == nil ? 0 : x.raised, pAt: q, pRaised: u, pMovedRaised: curve.v))
                e.at += x.at; e.window += x.below + x.at; e.atExpected += Double(x.below + x.at) * q
                if let u { e.raisedAt += x.raised; e.raisedExpected += Double(x.at) * u }
            }
            e.windows = (w[0], w[1], w[2])
            e.logFactor = BoundaryPushBayesFactor.logCell(w)
            cells.append(e)
        }
        return cells
    }
}

extension BoundaryPushBayesFactor.Window {
    static let empty = Self(below: 0, at: 0, raisedAt: 0, pAt: 0.5, pRaised: nil, pMovedRaised: 0.5)
}

extension CellFactorEvidence {
    /// `score_heaping`'s factor for a school: its cells by year, the analysis year's first, then the
    /// years before it, newest first (a year without cells says nothing); the effect is the relative
    /// excess of scores exactly at the boundaries over what the curves expect in their windows, in the
    /// cells where the factor shows the practice.
    static func push(_ byYear: [[PushCell]], bar: Double, sure: Double, school: String, year: Int) -> CellFactorEvidence {
        let cells = byYear.first ?? [], before = byYear.dropFirst().filter { !$0.isEmpty }
        let shown = cells.filter { $0.logFactor > 0 }
        let expected = shown.reduce(0) { $0 + $1.atExpected }
        let effect = expected > 0 ? Double(shown.reduce(0) { $0 + $1.at }) / expected - 1 : 0
        return CellFactorEvidence(cells: cells.map(\.logFactor), earlier: before.map { $0.map(\.logFactor) },
                                  effect: effect, bar: bar, sure: sure, school: school, year: year) { observed, draws, seed in
            BoundaryPushBayesFactor.nullTail(([cells] + before).map { $0.map(\.list) }, observed: observed,
                                             cellChance: cellChance, yearChance: yearChance, draws: draws, seed: seed)
        }
    }

    static let pushPractice = (ru: "если в части процедур часть баллов на 1–2 ниже границы отметки дотянули до границы",
                               en: "if in some procedures some scores 1–2 points below a mark boundary were pushed onto it")

    /// The sentence's part for `score_heaping`: the counts in `shown` (the cells the flag names), then the factor.
    func pushText(_ shown: [PushCell], _ year: Int, _ l: Language) -> String {
        guard flagged else { return "" }
        if l == .ru {
            let list = shown.map { "\(Wording.procedure($0.procedure, .ru)): ровно на границе \(Wording.outOf($0.at, $0.window, .ru)) при ожидаемых \(Wording.number($0.atExpected, .ru, digits: 1))"
                + ($0.raisedExpected > 0 ? ", из них «повысили» \(NumberFormat.integer($0.raisedAt, .ru)) при ожидаемых \(Wording.number($0.raisedExpected, .ru, digits: 1))" : "") }
            return " По процедурам, где это видно (баллы на границе отметки или до 2 ниже) — \(list.joined(separator: "; "))." + text(year, practice: Self.pushPractice, .ru)
        }
        let list = shown.map { "\(Wording.procedure($0.procedure, .en)): exactly at the boundary \(Wording.outOf($0.at, $0.window, .en)), \(Wording.number($0.atExpected, .en, digits: 1)) expected"
            + ($0.raisedExpected > 0 ? ", \($0.raisedAt) of them \"raised\" against \(Wording.number($0.raisedExpected, .en, digits: 1)) expected" : "") }
        return " In the procedures where it shows (scores at a mark boundary or up to 2 below): \(list.joined(separator: "; "))." + text(year, practice: Self.pushPractice, .en)
    }
}
