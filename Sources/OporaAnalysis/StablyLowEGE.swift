import Foundation
import OporaCore

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
