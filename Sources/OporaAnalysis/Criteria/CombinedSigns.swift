import Foundation
import OporaCore
import OporaStats

extension NonObjective {
    /// One school's evidence from one family of signs in one year: the family's combined p and the
    /// signs it was combined from.
    struct FamilyEvidence {
        var p: Double
        var parts: [(String, SignTest)]
        /// The largest correlation between the family's signs across the region's schools that year.
        var rho: Double
    }

    /// The school-level decision on the evidence together. The signs come in families that one
    /// practice moves together (`RuleSchema.signFamilies`): marks raised after the fact show as
    /// too few «понизили» and as scores heaped at the boundaries (journal_mismatch, score_heaping);
    /// help during the test shows as hard tasks done too well and as ОГЭ/ЕГЭ not confirming the ВПР
    /// (task_pattern, not_confirmed_by_exam).
    ///
    /// In each year of the window (`years`: the analysis year and those before it with data), a
    /// school's calibrated one-sided p-values of a family's signs are combined by Fisher's method
    /// with Brown's correction for the correlation of the signs across the region's schools (signs of
    /// one family count some of the same students), or by Stouffer's sum with the same correlation
    /// (`CorrelatedCombination`; a correlation is never taken below zero). The family's p-values of
    /// the years are combined the same way, with the correlation of the years across the schools: a
    /// practice that persists shows in every year's students, and a school's lasting peculiarities,
    /// which are not the practice, correlate the years even where nothing is wrong. The school's p is
    /// the smallest family p times the number of families (Bonferroni), and Benjamini–Hochberg runs
    /// across all schools at `fdr_q`. A flag needs the analysis year itself to show the practice:
    /// `min_signs` signs of the family leaning the same way in that year (p ≤ `lean_p`), one of them
    /// at its own `min_effect` (× this criterion's `min_effect`). Moderate signs that no single test
    /// could call add up; unrelated signs do not dilute each other. Each sign is still reported on its
    /// own, with its own p, q and strength.
    static func combined(_ c: RuleCriterion, _ ctx: IdentificationContext, earlier: [Int: [String: [String: SignTest]]],
                         _ out: inout Outcome) {
        let families = RuleSchema.signFamilies.map { $0.filter { out.signTests[$0] != nil } }.filter { $0.count >= 2 }
        guard !families.isEmpty else { return }
        let stouffer = c.string("method") == "stouffer", minSigns = c.int("min_signs"), leanP = c.number("lean_p")
        let fdr = c.number("fdr_q"), minEffect = c.number("min_effect")
        let schoolIDs = ctx.data.schools.map(\.id) // in a fixed order: the sums must not depend on hashing
        func combine(_ p: [Double], _ r: [[Double]]) -> Double {
            stouffer ? CorrelatedCombination.stouffer(p, correlation: r) : CorrelatedCombination.fisherBrown(p, correlation: r)
        }

        // The analysis year first, then the earlier years of the window, newest first. Evidence is
        // indexed by year, family and the school's position in `schoolIDs`.
        let years = [ctx.year] + earlier.keys.sorted(by: >)
        let evidence = years.map { y in
            familyEvidence(families, y == ctx.year ? out.signTests : earlier[y]!, schoolIDs: schoolIDs, combine: combine)
        }
        // Per family and pair of years, the correlation of the family's normal scores across the schools.
        let yearRho: [[[Double]]] = families.indices.map { k in
            years.indices.map { a in years.indices.map { b in
                a == b ? 1 : nonNegativeCorrelation(schoolIDs.indices.compactMap { i in
                    guard let x = evidence[a][k][i], let y = evidence[b][k][i] else { return nil }
                    return (x.p, y.p)
                })
            } }
        }

        var rows: [(school: Int, p: Double, family: Int, years: [Int], ok: Bool)] = []
        for i in schoolIDs.indices {
            var best: (p: Double, family: Int, years: [Int])? = nil
            for k in families.indices {
                guard let now = evidence[0][k][i] else { continue }
                let with = years.indices.filter { evidence[$0][k][i] != nil }
                let p = with.count == 1 ? now.p
                    : combine(with.map { evidence[$0][k][i]!.p }, with.map { a in with.map { yearRho[k][a][$0] } })
                if best == nil || p < best!.p { best = (p, k, with) }
            }
            guard let best else { continue }
            let leaning = evidence[0][best.family][i]!.parts.filter { $0.1.p <= leanP && $0.1.effect > 0 }
            let ok = leaning.count >= minSigns && leaning.contains { $0.1.effect >= minEffect * $0.1.minEffect }
            rows.append((i, min(1, best.p * Double(families.count)), best.family, best.years, ok))
        }
        let q = SignStats.q(rows.map(\.p))
        for (i, r) in rows.enumerated() where q[i] <= fdr && r.ok {
            let now = evidence[0][r.family][r.school]!
            let shown = now.parts.sorted { ($0.1.p, $0.0) < ($1.1.p, $1.0) }
            let strength: SignStrength = q[i] <= 0.001 ? .strong : q[i] <= 0.01 ? .moderate : .weak
            let n = shown.map(\.1.n).max() ?? 0
            let procedures = Array(Set(shown.flatMap(\.1.procedures))).sorted()
            let before = r.years.dropFirst().map { (year: years[$0], evidence: evidence[$0][r.family][r.school]!) }
            let largestYearRho = r.years.flatMap { a in r.years.filter { $0 > a }.map { yearRho[r.family][a][$0] } }.max() ?? 0
            let text = CombinedSignsText(year: ctx.year, shown: shown, rho: now.rho, before: before, yearRho: largestYearRho,
                                         p: r.p, families: families.count, stouffer: stouffer)
            out.flag(schoolIDs[r.school], IdentificationFlag(
                criterion: c.id, category: "non_objective", year: ctx.year, procedures: procedures,
                value: Double(shown.filter { $0.1.p <= leanP }.count), threshold: fdr, n: n,
                textRU: text.sentence(.ru) + tail(q[i], strength, .ru), textEN: text.sentence(.en) + tail(q[i], strength, .en),
                strength: strength, effect: nil, pValue: roundedP(r.p), qValue: roundedP(q[i])))
        }
    }

    /// Per family (in `families`' order) and school (in `schoolIDs`' order), the school's evidence from
    /// the family's signs in one year, when the school was tested on at least two of them.
    static func familyEvidence(_ families: [[String]], _ signTests: [String: [String: SignTest]], schoolIDs: [String],
                               combine: ([Double], [[Double]]) -> Double) -> [[FamilyEvidence?]] {
        // Each sign's tests in school order, looked up once (not per pair, family and school).
        var column: [String: [SignTest?]] = [:]
        for id in Set(families.joined()) { if let tests = signTests[id] { column[id] = schoolIDs.map { tests[$0] } } }
        // Signs of one family are computed from the same students (a confirmed mark at the boundary
        // is also a score at the boundary), so their p-values are correlated even where nothing is
        // wrong: Brown's method with their correlation across the schools instead of independence,
        // never below independence (docs/identification.md).
        var rho: [String: Double] = [:]
        for f in families {
            for a in f { for b in f where a < b {
                guard let ta = column[a], let tb = column[b] else { continue }
                rho[a + "|" + b] = nonNegativeCorrelation(schoolIDs.indices.compactMap { i in
                    guard let x = ta[i], let y = tb[i] else { return nil }
                    return (x.p, y.p)
                })
            } }
        }
        // The correlation matrix of a set of signs and its largest entry, built once per family (not
        // per school) when the school has every sign of the family, as it nearly always does.
        func correlation(_ ids: [String]) -> (matrix: [[Double]], largest: Double) {
            let r = ids.map { a in ids.map { b in a == b ? 1 : rho[min(a, b) + "|" + max(a, b)] ?? 0 } }
            return (r, r.indices.flatMap { i in r.indices.filter { $0 > i }.map { r[i][$0] } }.max() ?? 0)
        }
        return families.map { f in
            let full = correlation(f)
            let columns = f.map { column[$0] }
            // Schools are independent: on all cores, in consecutive ranges joined in order.
            return Chunked.map(schoolIDs.count) { range in
                range.map { i -> FamilyEvidence? in
                    let parts = f.indices.compactMap { j in columns[j]?[i].map { (f[j], $0) } }
                    guard parts.count >= 2 else { return nil }
                    let (r, largest) = parts.count == f.count ? full : correlation(parts.map(\.0))
                    return FamilyEvidence(p: combine(parts.map { min(1, max($0.1.p, 1e-300)) }, r), parts: parts, rho: largest)
                }
            }
        }
    }

    /// The correlation of two sets of one-sided p-values as normal scores, across the schools that
    /// have both (`CorrelatedCombination.nullCorrelation`), never below zero.
    static func nonNegativeCorrelation(_ pairs: [(Double, Double)]) -> Double {
        func z(_ p: Double) -> Double { -Normal.quantile(min(1 - 1e-16, max(p, 1e-300))) }
        return max(0, CorrelatedCombination.nullCorrelation(pairs.map { z($0.0) }, pairs.map { z($0.1) }))
    }
}

/// The sentence of a `combined_signs` flag: the analysis year's signs, each with its p and effect,
/// the family's p in each earlier year of the window, and the combined p with how it was combined.
struct CombinedSignsText {
    var year: Int
    var shown: [(String, SignTest)]
    var rho: Double
    var before: [(year: Int, evidence: NonObjective.FamilyEvidence)]
    var yearRho: Double
    var p: Double
    var families: Int
    var stouffer: Bool

    func sentence(_ l: Language) -> String {
        let ru = l == .ru
        let signs = shown.map { x -> String in
            let st = x.1.strength ?? SignStats.strength(q: x.1.q, effect: x.1.effect, minEffect: x.1.minEffect)
            return ru
                ? "\(Wording.criterionName(x.0, .ru)): p \(Wording.isP(x.1.p, .ru)), эффект \(Wording.number(x.1.effect, .ru))"
                    + (x.1.flagged ? " (признак и сам по себе: \(SignStats.strengthText(st, .ru)))" : "")
                : "\(Wording.criterionName(x.0, .en)): p \(Wording.isP(x.1.p, .en)), effect \(Wording.number(x.1.effect, .en))"
                    + (x.1.flagged ? " (a sign on its own too: \(SignStats.strengthText(st, .en)))" : "")
        }.joined(separator: "; ")
        let method = ru ? (stouffer ? "Стауффера" : "Фишера с поправкой Брауна") : (stouffer ? "Stouffer's" : "Fisher's with Brown's correction")
        let rhoText = ru ? "корреляция признаков по школам региона ρ = \(Wording.number(rho, .ru))"
            : "correlation of the signs across the region's schools ρ = \(Wording.number(rho, .en))"
        let groups = ru ? "\(families) \(RussianPlural("группу", "группы", "групп").form(for: families)) признаков" : "\(families) families of signs"
        guard !before.isEmpty else {
            return ru
                ? "В \(year) г. признаки одной практики указывают в одну сторону: \(signs). Совокупное p \(Wording.isP(p, .ru)) (метод \(method), \(rhoText); с поправкой на \(groups))."
                : "In \(year), signs of one practice point the same way: \(signs). Combined p \(Wording.isP(p, .en)) (\(method) method, \(rhoText); corrected for \(groups))."
        }
        let earlier = before.map { b in
            ru ? "в \(b.year) г. p \(Wording.isP(b.evidence.p, .ru))" : "in \(b.year), p \(Wording.isP(b.evidence.p, .en))"
        }.joined(separator: ", ")
        let span = "\(before.map(\.year).min()!)–\(year)"
        return ru
            ? "В \(year) г. признаки одной практики указывают в одну сторону: \(signs). Те же признаки вместе в прежние годы: \(earlier). "
                + "Совокупное p за \(span) гг. \(Wording.isP(p, .ru)) (метод \(method), \(rhoText), корреляция лет ρ = \(Wording.number(yearRho, .ru)); с поправкой на \(groups))."
            : "In \(year), signs of one practice point the same way: \(signs). The same signs together in earlier years: \(earlier). "
                + "Combined p over \(span) \(Wording.isP(p, .en)) (\(method) method, \(rhoText), correlation of the years ρ = \(Wording.number(yearRho, .en)); corrected for \(groups))."
    }
}

extension IdentificationCriterion {
    static let combinedSigns = IdentificationCriterion(
        id: "combined_signs", category: "non_objective", title: LocalizedText(ru: "сочетание признаков", en: "combined signs"), isSign: false,
        parameters: [
            RuleSchema.q,
            RuleSchema.text("method", "fisher", ["fisher", "stouffer"], ru: "Как объединять p-значения признаков школы",
                 en: "How a school's p-values of the signs are combined"),
            RuleSchema.int("years", 3, 1...10, ru: "Окно лет: год анализа и предшествующие, признаки которых объединяются",
                en: "Window of years: the analysis year and those before it whose signs are combined"),
            RuleSchema.int("min_signs", 1, 1...5, ru: "Сколько признаков семейства должны указывать в одну сторону в год анализа (p ≤ lean_p)",
                en: "How many signs of the family must lean the same way in the analysis year (p ≤ lean_p)"),
            RuleSchema.share("lean_p", 0.10, ru: "Признак «указывает в сторону необъективности» при p не больше",
                  en: "A sign leans towards non-objectivity at p at most"),
            RuleSchema.num("min_effect", 1.0, 0...10, ru: "Хотя бы один признак с эффектом не меньше этой доли своего min_effect",
                en: "At least one sign with an effect of at least this fraction of its own min_effect"),
        ],
        run: nil)
}
