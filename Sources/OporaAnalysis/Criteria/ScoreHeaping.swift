import Foundation
import OporaCore
import OporaStats

extension NonObjective {
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
}

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

extension IdentificationCriterion {
    static let scoreHeaping = IdentificationCriterion(
        id: "score_heaping", category: "non_objective", title: LocalizedText(ru: "баллы у границ отметок", en: "scores heaped at mark boundaries"), isSign: true,
        parameters: [
            RuleSchema.q,
            RuleSchema.num("min_effect", 0.15, 0...100, ru: "Минимальный относительный избыток баллов на границе отметки",
                en: "Minimum relative excess of scores at a mark boundary"),
            RuleSchema.minN(15), RuleSchema.vprOnly,
            RuleSchema.bayesFactor, RuleSchema.bayesYears,
        ],
        run: NonObjective.scoreHeaping)
}
