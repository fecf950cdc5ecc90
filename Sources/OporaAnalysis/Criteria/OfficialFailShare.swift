import Foundation
import OporaCore
import OporaStats

extension LowResults {
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
}

extension IdentificationCriterion {
    static let officialFailShare = IdentificationCriterion(
        id: "official_fail_share", category: "low_results", title: LocalizedText(ru: "доля «2» (официальный критерий)", en: "share of «2» (official criterion)"), isSign: false,
        parameters: [
            RuleSchema.share("threshold", 0.30, ru: "Порог доли «2» в процедуре", en: "Threshold RuleSchema.share of «2» in a procedure"),
            RuleSchema.int("min_procedures", 2, 1...100, ru: "Сколько процедур одного года", en: "How many procedures in one year"),
            RuleSchema.flag("consecutive_years", true, ru: "Или та же процедура в анализируемом и предыдущем году",
                 en: "Or the same procedure in the analysis year and the year before"),
            RuleSchema.minN(1),
            RuleSchema.markAssessments,
        ],
        run: LowResults.official)
}
