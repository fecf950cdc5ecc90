import Foundation
import OporaCore
import OporaStats

/// `official_fail_share` and `stably_low`.
enum LowResults {
    /// Participants with a mark and «2»s of a school in a procedure: from student results, or
    /// from the school aggregate (twos = share_2 × participants, rounded) when there are none.
    static func twos(_ ctx: IdentificationContext, _ p: Procedure, _ school: String) -> (n: Int, twos: Int)? {
        if let c = ctx.data.cell(p, school: school), c.marked > 0 { return (c.marked, c.marks[0]) }
        if let a = ctx.data.aggregate(p, school: school), a.participants > 0, let s2 = a.share2 {
            return (a.participants, Int((s2 * Double(a.participants)).rounded()))
        }
        return nil
    }

    /// `twos` for every school with marks in `p` (cells and aggregates), at once: cells read by index
    /// (looking each school's cell up returned a copy of it, twice per school and procedure).
    static func twosBySchool(_ ctx: IdentificationContext, _ p: Procedure) -> [String: (n: Int, twos: Int)] {
        var out: [String: (n: Int, twos: Int)] = [:]
        let cells = ctx.data.cells[p] ?? []
        out.reserveCapacity(cells.count)
        for i in cells.indices where cells[i].marked > 0 { out[cells[i].schoolID] = (cells[i].marked, cells[i].marks[0]) }
        for i in cells.indices where cells[i].marked == 0 {
            if let t = twos(ctx, p, cells[i].schoolID) { out[cells[i].schoolID] = t }
        }
        for a in ctx.data.aggregates where a.procedure == p && out[a.schoolID] == nil {
            if let t = twos(ctx, p, a.schoolID) { out[a.schoolID] = t }
        }
        return out
    }

    struct Failing {
        var procedure: Procedure
        var n: Int
        var twos: Int
        var share: Double { Double(twos) / Double(n) }
    }

    /// The official Rosobrnadzor risk rule, exactly: share of «2» ≥ threshold in `min_procedures`
    /// or more procedures of the year, or in the same procedure in the year and the year before.
    static func official(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let threshold = c.number("threshold"), minN = max(1, c.int("min_participants"))
        let minProcedures = c.int("min_procedures"), consecutive = c.bool("consecutive_years")
        let assessments = c.strings("assessments")
        let year = ctx.year
        // Each procedure's counts once (the year's are read twice below): a dictionary over all schools.
        var counts: [Procedure: [String: (n: Int, twos: Int)]] = [:]
        func twos(_ p: Procedure) -> [String: (n: Int, twos: Int)] {
            if let known = counts[p] { return known }
            let t = twosBySchool(ctx, p)
            counts[p] = t
            return t
        }
        func failing(_ y: Int) -> [String: [Failing]] {
            var map: [String: [Failing]] = [:]
            for p in ctx.procedures(year: y, assessments: assessments) {
                for (s, t) in twos(p) where t.n >= minN {
                    if Double(t.twos) >= threshold * Double(t.n) - 1e-9 {
                        map[s, default: []].append(Failing(procedure: p, n: t.n, twos: t.twos))
                    }
                }
            }
            return map
        }
        let now = failing(year)
        let before = consecutive ? failing(year - 1) : [:]
        var judged = Set<String>()
        for p in ctx.procedures(year: year, assessments: assessments) {
            for (s, t) in twos(p) where t.n >= minN { judged.insert(s) }
        }
        for school in ctx.data.schools.map(\.id) {
            let list = (now[school] ?? []).sorted { $0.procedure < $1.procedure }
            let prev = before[school] ?? []
            let repeated = list.filter { f in
                prev.contains { $0.procedure.assessment == f.procedure.assessment && $0.procedure.subject == f.procedure.subject
                    && $0.procedure.grade == f.procedure.grade }
            }
            guard list.count >= minProcedures || !repeated.isEmpty else {
                if !judged.contains(school) {
                    out.notEnough(school, c.id, "low_results", year, n: 0,
                                  ru: "В \(year) г. нет результатов с отметками (\(assessments.map { Wording.assessment(Assessment($0), .ru) }.joined(separator: ", "))) с числом участников от \(minN).",
                                  en: "No results with marks (\(assessments.map { Wording.assessment(Assessment($0), .en) }.joined(separator: ", "))) in \(year) with at least \(minN) participants.")
                }
                continue
            }
            let prevOf: (Failing) -> Failing? = { f in
                prev.first { $0.procedure.assessment == f.procedure.assessment && $0.procedure.subject == f.procedure.subject
                    && $0.procedure.grade == f.procedure.grade }
            }
            let worst = list.max { ($0.share, $1.procedure) < ($1.share, $0.procedure) }!
            func describe(_ f: Failing, _ l: Language) -> String {
                "\(Wording.procedure(f.procedure, l)) — \(Wording.percent(f.share, l)) (\(Wording.outOf(f.twos, f.n, l)))"
            }
            let thr = Wording.percent(threshold, .ru, digits: 0), thrEN = Wording.percent(threshold, .en, digits: 0)
            var ru = "В \(year) г. «2» получили не меньше \(thr) участников в \(list.count) \(RussianPlural("процедуре", "процедурах", "процедурах").form(for: list.count)): "
                + Wording.join(list.map { describe($0, .ru) }, .ru)
            var en = "In \(year), at least \(thrEN) of participants got «2» in \(list.count) procedure\(list.count == 1 ? "" : "s"): "
                + Wording.join(list.map { describe($0, .en) }, .en)
            if !repeated.isEmpty {
                let r = repeated.compactMap { f in prevOf(f).map { ($0, f) } }
                ru += "; в \(year - 1) г. та же процедура: " + Wording.join(r.map { describe($0.0, .ru) }, .ru)
                en += "; in \(year - 1), the same procedure: " + Wording.join(r.map { describe($0.0, .en) }, .en)
            }
            ru += ". Порог — \(thr) в \(minProcedures) и более процедурах за год"
                + (consecutive ? " или в одной процедуре два года подряд." : ".")
            en += ". The threshold is \(thrEN) in \(minProcedures) or more procedures in a year"
                + (consecutive ? " or in the same procedure two years running." : ".")
            var procedures = list.map(\.procedure.description)
            for f in repeated { if let p = prevOf(f) { procedures.append(p.procedure.description) } }
            var flag = IdentificationFlag(
                criterion: c.id, category: "low_results", year: year, procedures: procedures,
                value: rounded6(worst.share), threshold: threshold, n: worst.n, textRU: ru, textEN: en)
            let small = (list + repeated.compactMap(prevOf)).filter { $0.n < ctx.rules.reliableN }
            if !small.isEmpty {
                func interval(_ f: Failing, _ l: Language) -> String {
                    guard let w = Proportion.wilson(successes: f.twos, trials: f.n, level: ctx.rules.confidence) else { return "" }
                    return "\(Wording.procedure(f.procedure, l, year: true)): \(Wording.outOf(f.twos, f.n, l)), "
                        + (l == .ru ? "\(NumberFormat.decimal(ctx.rules.confidence * 100, digits: 0, .ru))% интервал Уилсона "
                            : "\(NumberFormat.decimal(ctx.rules.confidence * 100, digits: 0, .en))% Wilson interval ")
                        + "\(Wording.percent(w.lower, l, digits: 0))–\(Wording.percent(w.upper, l, digits: 0))"
                }
                flag.noteRU = "Малая группа (меньше \(NumberFormat.count(ctx.rules.reliableN, .participant, en: "participant", .ru))): "
                    + "правило применено как есть, но доля ненадёжна — " + small.map { interval($0, .ru) }.joined(separator: "; ") + "."
                flag.noteEN = "Small group (fewer than \(ctx.rules.reliableN) participants): the rule is applied as is, but the share is unreliable — "
                    + small.map { interval($0, .en) }.joined(separator: "; ") + "."
            }
            out.flag(school, flag)
        }
    }

    /// Stably low: in the bottom share of the region's schools in `min_years` of the last `years`.
    /// The school's yearly level is the mean over its procedures of the procedure-standardised
    /// mean mark (so harder procedures do not count against a school), or its pooled share of «2».
    static func stablyLow(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        if c.string("measure") == "ege_fails" { return stablyLowEGE(c, ctx, &out) }
        let minN = c.int("min_participants"), bottom = c.number("bottom_share")
        let window = c.int("years"), minYears = c.int("min_years"), measure = c.string("measure")
        let assessments = c.strings("assessments")
        let years = Array((ctx.year - window + 1)...ctx.year)
        // Per year: school → (level where lower = worse, participants), and rank among schools.
        var inBottom: [Int: [String: (rank: Int, of: Int)]] = [:]
        var present: [String: Int] = [:]
        for y in years {
            var level: [String: (sum: Double, k: Int, n: Int, twos: Int)] = [:]
            for p in ctx.procedures(year: y, assessments: assessments) {
                // Indices, not filtered copies of the cells (seven arrays each, 40,000 schools).
                let all = ctx.data.cells[p] ?? []
                let cells = all.indices.filter { all[$0].marked >= minN }
                let means = cells.map { all[$0].meanMark! }
                let z = Descriptive.standardize(means)
                for (i, j) in cells.enumerated() {
                    var e = level[all[j].schoolID] ?? (0, 0, 0, 0)
                    if let z { e.sum += z[i]; e.k += 1 }
                    e.n += all[j].marked
                    e.twos += all[j].marks[0]
                    level[all[j].schoolID] = e
                }
            }
            let scored: [(String, Double)] = level.compactMap { id, e in
                if measure == "share_2" { return e.n > 0 ? (id, -Double(e.twos) / Double(e.n)) : nil }
                return e.k > 0 ? (id, e.sum / Double(e.k)) : nil
            }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            guard !scored.isEmpty else { continue }
            let k = Int((bottom * Double(scored.count)).rounded(.up))
            var map: [String: (Int, Int)] = [:]
            for (i, s) in scored.enumerated() {
                present[s.0, default: 0] += 1
                if i < k { map[s.0] = (i + 1, scored.count) }
            }
            inBottom[y] = map
        }
        let what = measure == "share_2" ? ("доле «2»", "share of «2»") : ("средней отметке (с поправкой на процедуру)", "mean mark (adjusted for the procedure)")
        for school in ctx.data.schools.map(\.id) {
            let hits = years.compactMap { y in inBottom[y]?[school].map { (y, $0.rank, $0.of) } }
            let seen = present[school] ?? 0
            if hits.count >= minYears {
                let pct = Wording.percent(bottom, .ru, digits: 0), pctEN = Wording.percent(bottom, .en, digits: 0)
                let ru = "Школа в нижних \(pct) школ региона по \(what.0) (\(assessments.map { Wording.assessment(Assessment($0), .ru) }.joined(separator: ", "))) в \(Wording.years(hits.count, .ru)) из \(window): "
                    + hits.map { "\($0.0) г. — место \($0.1) из \($0.2) снизу" }.joined(separator: "; ")
                    + ". Порог — \(minYears) из \(window) лет."
                let en = "The school is in the region's bottom \(pctEN) by \(what.1) (\(assessments.map { Wording.assessment(Assessment($0), .en) }.joined(separator: ", "))) in \(hits.count) of \(window) years: "
                    + hits.map { "\($0.0) — rank \($0.1) of \($0.2) from the bottom" }.joined(separator: "; ")
                    + ". The threshold is \(minYears) of \(window) years."
                let n = ctx.procedures(year: ctx.year, assessments: assessments).reduce(0) { $0 + (ctx.data.cell($1, school: school)?.marked ?? 0) }
                out.flag(school, IdentificationFlag(criterion: c.id, category: "low_results", year: ctx.year, procedures: [],
                                                    value: Double(hits.count), threshold: Double(minYears), n: n, textRU: ru, textEN: en))
            } else if seen < minYears || (seen - 0) < minYears {
                out.notEnough(school, c.id, "low_results", ctx.year, n: seen,
                              ru: "Данных с числом участников от \(minN) хватает на \(Wording.years(seen, .ru)) из \(window), нужно не меньше \(minYears).",
                              en: "Data with at least \(minN) participants cover \(seen) of \(window) years; at least \(minYears) are needed.")
            }
        }
    }
}
