import Foundation
import OporaCore
import OporaStats

/// One ВПР cell's evidence for `score_heaping`'s Bayes factor (`BoundaryPushBayesFactor`): per mark
/// boundary its window counts and null chances, and the counts the sentence gives.
struct PushCell {
    var school: String
    var procedure: Procedure
    /// Boundaries of marks 3, 4, 5 (built only for the schools whose null is simulated).
    var windows: [BoundaryPushBayesFactor.Window]
    var logFactor = 0.0
    /// Over the boundaries: scores exactly at them, in their windows, expected at them; «повысили»
    /// at them and expected.
    var at = 0, window = 0, atExpected = 0.0, raisedAt = 0, raisedExpected = 0.0
}

/// One procedure's null chances for `score_heaping`'s Bayes factor. Per boundary b of mark m they
/// are logistic curves in the cell's level (its standardised mean ВПР score), fitted across the
/// procedure's cells as `journal_mismatch` fits its own: q, a score of the window b − 2 … b exactly
/// at b; u, a score at b a «повысил» (ВПР mark above the journal mark). The alternative's v, the
/// chance that a score pushed from below onto b is a «повысил», is the procedure's share of the
/// pupils with mark m − 1 who are not «понизили» (journal mark at most m − 1). Without journal marks
/// (ОГЭ-like data, or fewer than half the scores with one) only the window counts.
struct PushModel {
    let procedure: Procedure
    let curves: [(q: [Double], u: [Double]?, v: Double)]
    /// The procedure's cells with a score: their position in `AnalysisData.cells` and level, and per
    /// boundary (below, at, «повысили» at b) — read once, for the fit and for every cell's factor.
    let rows: [(cell: Int, level: Double)]
    let counts: [Int32]

    init?(_ p: Procedure, _ ctx: IdentificationContext) {
        guard let bounds = ctx.boundaries(p) else { return nil }
        // Every cell read through a buffer: a cell taken out of the array was copied (seven arrays retained).
        guard let read = (ctx.data.cells[p] ?? []).withUnsafeBufferPointer({ Self.read($0, bounds) }) else { return nil }
        procedure = p
        rows = read.rows
        counts = read.counts
        let kept = read.kept, lower = read.lower
        var curves: [(q: [Double], u: [Double]?, v: Double)] = []
        for k in bounds.indices {
            var qp: [(Double, Double, Double)] = [], up: [(Double, Double, Double)] = []
            for (c, row) in rows.enumerated() {
                let below = Double(counts[c * 9 + k * 3]), at = Double(counts[c * 9 + k * 3 + 1])
                if below + at > 0 { qp.append((row.level, at, below + at)) }
                if at > 0 { up.append((row.level, Double(counts[c * 9 + k * 3 + 2]), at)) }
            }
            guard let q = NonObjective.logisticQuadraticFit(qp) else { return nil }
            // v belongs to the alternative, not the null: a share per procedure is close enough (a
            // curve per mark cost a national run a tenth of a second).
            curves.append((q, read.useJournal && lower[k] > 0 ? NonObjective.logisticQuadraticFit(up) : nil,
                           min(0.999, max(0.001, lower[k] > 0 ? Double(kept[k]) / Double(lower[k]) : 0.5))))
        }
        self.curves = curves
    }

    /// The cells with a score (at least 8): their rows, counts per boundary, and per boundary the
    /// pupils with the mark below and a journal mark, and of them those not «понизили».
    private static func read(_ all: UnsafeBufferPointer<CellSummary>, _ bounds: [Int])
        -> (rows: [(cell: Int, level: Double)], counts: [Int32], kept: [Int], lower: [Int], useJournal: Bool)? {
        let index = all.indices.filter { all[$0].scored > 0 }
        guard index.count >= 8 else { return nil }
        let level = NonObjective.cellLevels(index.map { all[$0].meanScore! })
        let useJournal = index.reduce(0) { $0 + all[$1].journalCompared } * 2 >= index.reduce(0) { $0 + all[$1].scored }
        var counts = [Int32](repeating: 0, count: index.count * 9)
        var kept = [0, 0, 0], lower = [0, 0, 0]
        for (c, i) in index.enumerated() {
            for (k, b) in bounds.enumerated() {
                let x = Self.counts(all.baseAddress! + i, k, b)
                counts[c * 9 + k * 3] = Int32(x.below); counts[c * 9 + k * 3 + 1] = Int32(x.at); counts[c * 9 + k * 3 + 2] = Int32(x.raised)
                kept[k] += x.kept; lower[k] += x.lower
            }
        }
        return (index.indices.map { (index[$0], level[$0]) }, counts, kept, lower, useJournal)
    }

    /// A cell's counts at boundary k (score b): below (b − 2, b − 1), at b, «повысили» at b; pupils
    /// with mark m − 1 and a journal mark, and of them those not «понизили».
    static func counts(_ cell: UnsafePointer<CellSummary>, _ k: Int, _ b: Int) -> (below: Int, at: Int, raised: Int, lower: Int, kept: Int) {
        let m = k + 3
        var lower = 0, kept = 0
        for j in 2...5 {
            let x = cell.pointee.joint(journal: j, mark: m - 1)
            lower += x
            if j <= m - 1 { kept += x }
        }
        func at(_ s: Int) -> Int { cell.pointee.count(atScore: s) }
        return (at(b - 2) + at(b - 1), at(b), cell.pointee.raised(mark: m, exactlyAt: b), lower, kept)
    }

    /// Row c's window at boundary k with its chances at the cell's level.
    func window(_ c: Int, _ k: Int) -> BoundaryPushBayesFactor.Window {
        let level = rows[c].level
        func chance(_ curve: [Double]) -> Double { min(0.999, max(0.001, NonObjective.logistic(NonObjective.predict(curve, level)))) }
        let u = curves[k].u.map(chance)
        return .init(below: Int(counts[c * 9 + k * 3]), at: Int(counts[c * 9 + k * 3 + 1]), raisedAt: u == nil ? 0 : Int(counts[c * 9 + k * 3 + 2]),
                     pAt: chance(curves[k].q), pRaised: u, pMovedRaised: curves[k].v)
    }

    /// Row c's log factor, without an array of its own (this runs over every cell). A window with no
    /// score at b adds only its scores below, whatever its chances: they are not computed.
    func logFactor(_ c: Int) -> Double {
        withUnsafeTemporaryAllocation(of: BoundaryPushBayesFactor.Window.self, capacity: curves.count) { w in
            for k in curves.indices {
                w.initializeElement(at: k, to: counts[c * 9 + k * 3 + 1] > 0 ? window(c, k)
                    : .init(below: Int(counts[c * 9 + k * 3]), at: 0, raisedAt: 0, pAt: 0.5, pRaised: nil, pMovedRaised: 0.5))
            }
            defer { w.deinitialize() }
            return BoundaryPushBayesFactor.logCell(w)
        }
    }

    /// Row c as a cell of `school`, with its windows, factor and the counts the sentence gives.
    func cell(_ c: Int, school: String) -> PushCell {
        let w = curves.indices.map { window(c, $0) }
        var e = PushCell(school: school, procedure: procedure, windows: w)
        e.logFactor = BoundaryPushBayesFactor.logCell(w)
        for x in w {
            e.at += x.at; e.window += x.below + x.at; e.atExpected += Double(x.below + x.at) * x.pAt
            if let u = x.pRaised { e.raisedAt += x.raisedAt; e.raisedExpected += Double(x.at) * u }
        }
        return e
    }
}

extension NonObjective {
    /// `score_heaping`'s Bayes factor for `schools` (`CellFactorEvidence`), with the analysis year's
    /// cells of those it was simulated for; empty when `bayes_factor` is 0 or only the sign tests are
    /// wanted. Two passes: every cell's factor, kept only as each school's sum per year; then the
    /// windows again for the candidates alone (a few per cent of the schools), whose null is simulated
    /// (a national run has 540,000 cells).
    static func pushEvidence(_ schools: [String], _ c: RuleCriterion, _ ctx: IdentificationContext, signTestsOnly: Bool)
        -> [String: (evidence: CellFactorEvidence, cells: [PushCell])] {
        let bar = c.number("bayes_factor")
        guard bar > 0, !signTestsOnly else { return [:] }
        let assessments = c.strings("assessments")
        var position: [String: Int] = [:]
        for (i, school) in schools.enumerated() { position[school] = i }
        // The analysis year first, then the years before it, newest first.
        let years = [ctx.year] + ctx.data.years.filter { $0 < ctx.year && $0 > ctx.year - c.int("years") }.sorted(by: >)
        let models = years.map { y in ctx.procedures(year: y, assessments: assessments).compactMap { PushModel($0, ctx) } }
        // Per school and year: log Π_c (½ + ½·BF_c), and whether it has cells.
        var mixture = [Double](repeating: 0, count: schools.count * years.count)
        var present = [Bool](repeating: false, count: schools.count * years.count)
        // Per model, each row's school (its position in `schools`, or −1). On all cores: the first
        // pass runs over every cell.
        let owners: [[[Int]]] = models.map { $0.map { model in
            let all = ctx.data.cells[model.procedure] ?? []
            return model.rows.map { position[all[$0.cell].schoolID] ?? -1 }
        } }
        for (k, list) in models.enumerated() {
            for (n, model) in list.enumerated() {
                let owner = owners[k][n]
                let terms: [Double] = Chunked.map(model.rows.count, minimumPerRange: 4000) { range in
                    range.map { owner[$0] < 0 ? 0 : CellMixtureBayesFactor.logEither(model.logFactor($0), chance: CellFactorEvidence.cellChance) }
                }
                for (c, i) in owner.enumerated() where i >= 0 {
                    mixture[i * years.count + k] += terms[c]
                    present[i * years.count + k] = true
                }
            }
        }
        let fdr = c.number("fdr_q"), sure = fdr / Double(max(1, schools.count))
        var list = schools.indices.map { i in
            CellFactorEvidence(logFactorYear: mixture[i * years.count],
                               earlier: (1..<years.count).filter { present[i * years.count + $0] }.map { mixture[i * years.count + $0] })
        }
        // The candidates' cells, by year.
        var cells: [Int: [[PushCell]]] = [:]
        for i in list.indices where list[i].isCandidate(bar: bar) { cells[i] = Array(repeating: [], count: years.count) }
        for (k, models) in models.enumerated() {
            for (n, model) in models.enumerated() {
                for (c, i) in owners[k][n].enumerated() where i >= 0 && cells[i] != nil {
                    cells[i]![k].append(model.cell(c, school: schools[i]))
                }
            }
        }
        // The candidates' simulations, on all cores.
        let candidates = cells.keys.sorted()
        let simulated: [CellFactorEvidence] = Chunked.map(candidates.count, minimumPerRange: 16) { range in
            range.map { n in
                let i = candidates[n], byYear = cells[i]!
                let current = byYear[0], before = byYear.dropFirst().filter { !$0.isEmpty }
                let shown = current.filter { $0.logFactor > 0 }
                let expected = shown.reduce(0) { $0 + $1.atExpected }
                var e = list[i]
                e.simulate(effect: expected > 0 ? Double(shown.reduce(0) { $0 + $1.at }) / expected - 1 : 0,
                           sure: sure, school: schools[i], year: ctx.year) { observed, draws, seed in
                    BoundaryPushBayesFactor.nullTail(([current] + before).map { $0.map(\.windows) }, observed: observed,
                                                     cellChance: CellFactorEvidence.cellChance, yearChance: CellFactorEvidence.yearChance,
                                                     draws: draws, seed: seed)
                }
                return e
            }
        }
        for (n, i) in candidates.enumerated() { list[i] = simulated[n] }
        list = CellFactorEvidence.corrected(list, fdr: fdr, minEffect: c.number("min_effect"))
        var bySchool: [String: (evidence: CellFactorEvidence, cells: [PushCell])] = [:]
        for (i, school) in schools.enumerated() { bySchool[school] = (list[i], cells[i]?[0] ?? []) }
        return bySchool
    }
}

extension CellFactorEvidence {
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
