import Foundation
import OporaCore
import OporaStats

extension LowResults {
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

/// The HSE variant of `stably_low` (`measure: ege_fails`): in each of `min_years` of the last
/// `years`, the school had graduates who failed ЕГЭ in Russian *and* graduates who failed it in
/// mathematics — failed meaning a mark «2» (base mathematics) or a test score below the minimum
/// (`ege_min_russian`, `ege_min_math`, the Rosobrnadzor minimums 24 and 27 by default). A year
/// counts as seen when the school sat both subjects.
extension LowResults {
    /// Failed and sat of a school in one ЕГЭ subject and year (all grades and math variants pooled).
    static func egeFails(_ ctx: IdentificationContext, school: String, year: Int, subjects: Set<String>,
                         minScore: Int) -> (failed: Int, of: Int, procedures: [String])? {
        var failed = 0, of = 0, procedures: [String] = []
        for p in ctx.data.procedures where p.year == year && p.assessment == .ege && subjects.contains(p.subject) {
            guard let c = ctx.data.cell(p, school: school), c.n > 0 else { continue }
            of += c.n
            procedures.append(p.description)
            if c.marked > 0 {
                failed += c.marks[0]
            } else {
                // Scores only: count those below the minimum (the histogram holds whole scores up to its limit).
                failed += c.histogram.prefix(max(0, minScore)).reduce(0) { $0 + Int($1) }
            }
        }
        return of > 0 ? (failed, of, procedures) : nil
    }

    static func stablyLowEGE(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let window = c.int("years"), minYears = c.int("min_years")
        let minRussian = c.int("ege_min_russian"), minMath = c.int("ege_min_math")
        let years = Array((ctx.year - window + 1)...ctx.year)
        let russian: Set<String> = ["russian"], math: Set<String> = ["math", "math_base", "math_profile"]
        for school in ctx.data.schools.map(\.id) {
            var seen = 0
            var hits: [(year: Int, russian: (failed: Int, of: Int, procedures: [String]), math: (failed: Int, of: Int, procedures: [String]))] = []
            for y in years {
                guard let r = egeFails(ctx, school: school, year: y, subjects: russian, minScore: minRussian),
                      let m = egeFails(ctx, school: school, year: y, subjects: math, minScore: minMath) else { continue }
                seen += 1
                if r.failed > 0 && m.failed > 0 { hits.append((y, r, m)) }
            }
            if hits.count >= minYears {
                let ru = "В \(Wording.years(hits.count, .ru)) из \(window) были выпускники, не сдавшие ЕГЭ и по русскому языку (ниже \(minRussian) баллов или «2»), и по математике (ниже \(minMath) баллов или «2»): "
                    + hits.map { "\($0.year) г. — русский язык \(Wording.outOf($0.russian.failed, $0.russian.of, .ru)), математика \(Wording.outOf($0.math.failed, $0.math.of, .ru))" }
                        .joined(separator: "; ") + ". Порог — \(minYears) из \(window) лет (вариант ВШЭ)."
                let en = "In \(hits.count) of \(window) years some graduates failed ЕГЭ in both Russian (below \(minRussian) points or «2») and mathematics (below \(minMath) points or «2»): "
                    + hits.map { "\($0.year) — Russian \(Wording.outOf($0.russian.failed, $0.russian.of, .en)), mathematics \(Wording.outOf($0.math.failed, $0.math.of, .en))" }
                        .joined(separator: "; ") + ". The threshold is \(minYears) of \(window) years (HSE variant)."
                let latest = hits.last!
                out.flag(school, IdentificationFlag(criterion: c.id, category: "low_results", year: ctx.year,
                                                    procedures: latest.russian.procedures + latest.math.procedures,
                                                    value: Double(hits.count), threshold: Double(minYears), n: latest.russian.of + latest.math.of,
                                                    textRU: ru, textEN: en))
            } else if seen < minYears {
                out.notEnough(school, c.id, "low_results", ctx.year, n: seen,
                              ru: "ЕГЭ по русскому языку и математике есть за \(Wording.years(seen, .ru)) из \(window), нужно не меньше \(minYears).",
                              en: "ЕГЭ in Russian and mathematics covers \(seen) of \(window) years; at least \(minYears) are needed.")
            }
        }
    }
}

extension IdentificationCriterion {
    static let stablyLow = IdentificationCriterion(
        id: "stably_low", category: "low_results", title: LocalizedText(ru: "стабильно низкие результаты", en: "stably low results"), isSign: false,
        parameters: [
            RuleSchema.share("bottom_share", 0.10, ru: "Нижняя доля школ региона", en: "Bottom RuleSchema.share of the region's schools", range: 0.001...0.5),
            RuleSchema.int("years", 3, 1...10, ru: "Окно лет", en: "Window of years"),
            RuleSchema.int("min_years", 2, 1...10, ru: "Сколько лет в нижней доле", en: "Years in the bottom share"),
            RuleSchema.text("measure", "mean_mark", ["mean_mark", "share_2", "ege_fails"],
                 ru: "Показатель: средняя отметка, доля «2» или несдача ЕГЭ по русскому языку и математике (вариант ВШЭ)",
                 en: "Measure: mean mark, RuleSchema.share of «2», or ЕГЭ failed in both Russian and mathematics (HSE variant)"),
            RuleSchema.int("ege_min_russian", 24, 0...100, ru: "Минимальный балл ЕГЭ по русскому языку (для ege_fails)",
                en: "ЕГЭ minimum score in Russian (for ege_fails)"),
            RuleSchema.int("ege_min_math", 27, 0...100, ru: "Минимальный балл ЕГЭ по математике (для ege_fails)",
                en: "ЕГЭ minimum score in mathematics (for ege_fails)"),
            RuleSchema.minN(10),
            RuleSchema.markAssessments,
        ],
        run: LowResults.stablyLow)
}
