import Foundation
import OporaCore
import OporaStats

extension NonObjective {
    // MARK: task_pattern

    /// Completion (share of the maximum) of advanced and high tasks against what the school's
    /// completion of basic tasks predicts across the region (weighted quadratic fit on the logit
    /// scale per procedure, refitted without outliers). Hard tasks much better than the school's
    /// basic level predicts is the sign.
    static func taskPattern(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let minN = c.int("min_participants")
        struct Acc { var t = 0.0, k = 0, rn = 0.0, n = 0; var cells: [(Procedure, Double, Double, Double)] = [] }
        var acc: [String: Acc] = [:]
        for p in ctx.procedures(year: ctx.year, assessments: c.strings("assessments")) {
            guard let tasks = ctx.data.tasks[p], let cells = ctx.data.cells[p] else { continue }
            let basic = tasks.indices.filter { tasks[$0].level == .basic }
            let hard = tasks.indices.filter { tasks[$0].level == .advanced || tasks[$0].level == .high }
            guard !basic.isEmpty, !hard.isEmpty else { continue }
            func completion(_ cell: CellSummary, _ idx: [Int]) -> Double? {
                var s = 0.0, m = 0.0
                for i in idx where i < cell.taskSum.count { s += cell.taskSum[i]; m += Double(cell.taskCount[i]) * tasks[i].maxScore }
                return m > 0 ? s / m : nil
            }
            // The few numbers the test needs, not the cell itself (a copy retains its seven arrays).
            var rows: [(n: Int, school: String, x: Double, y: Double, b: Double, h: Double)] = []
            for i in cells.indices where cells[i].n >= 1 {
                guard let b = completion(cells[i], basic), let h = completion(cells[i], hard) else { continue }
                rows.append((cells[i].n, cells[i].schoolID, SignStats.logit(b), SignStats.logit(h), b, h))
            }
            guard rows.filter({ $0.n >= 5 }).count >= 8 else { continue }
            var keep = Array(repeating: true, count: rows.count)
            var coef = [0.0, 1.0, 0.0]
            var sigma = 1.0
            for _ in 0..<2 {
                // The curve and its scale come from cells of at least 5 participants; smaller cells
                // (a school's 3 pupils in a grade) are only tested against it, pooled per school.
                coef = quadraticFit(rows.indices.filter { keep[$0] && rows[$0].n >= 5 }.map { (rows[$0].x, rows[$0].y, Double(rows[$0].n)) }) ?? coef
                let scaled = rows.map { ($0.y - predict(coef, $0.x)) * Double($0.n).squareRoot() }
                sigma = SignStats.robustCentreScale(rows.indices.filter { rows[$0].n >= 5 }.map { scaled[$0] }, floor: 1e-6).scale
                keep = scaled.map { abs($0) <= 3 * sigma }
            }
            for r in rows {
                let res = r.y - predict(coef, r.x)
                let t = res * Double(r.n).squareRoot() / sigma
                // In place: a copy would share the cells array with the dictionary and copy it on every append.
                inPlace(&acc[r.school, default: Acc()]) { a in
                    a.t += t; a.k += 1; a.rn += res * Double(r.n); a.n += r.n
                    a.cells.append((p, r.b, r.h, logistic(predict(coef, r.x))))
                }
            }
        }
        var tests: [SchoolTest] = []
        for (school, a) in acc.keys.sorted().lazy.map({ ($0, acc[$0]!) }) where a.n >= minN && a.k > 0 {
            let effect = a.rn / Double(a.n)
            let listed = a.cells.filter { $0.2 - $0.3 >= 0.08 }.sorted { $0.0 < $1.0 }
            let shown = listed.isEmpty ? a.cells.sorted { $0.0 < $1.0 } : listed
            tests.append(SchoolTest(school: school, z: a.t / Double(a.k).squareRoot(), effect: effect, value: effect, n: a.n,
                                    procedures: shown.map(\.0.description)) { q, s in
                let ru = "В \(ctx.year) г. задания повышенного и высокого уровня выполнены лучше, чем предсказывает выполнение базовых заданий этой же школы "
                    + "(по всем школам региона), в среднем на \(Wording.number(effect, .ru)) логита: "
                    + shown.map { "\(Wording.procedure($0.0, .ru)) — базовые \(Wording.percent($0.1, .ru, digits: 0)), сложные \(Wording.percent($0.2, .ru, digits: 0)) при ожидаемых \(Wording.percent($0.3, .ru, digits: 0))" }.joined(separator: "; ")
                    + "." + tail(q, s, .ru)
                let en = "In \(ctx.year), advanced and high-level tasks were done better than the school's own completion of basic tasks predicts "
                    + "(across the region's schools), by \(Wording.number(effect, .en)) logits on average: "
                    + shown.map { "\(Wording.procedure($0.0, .en)) — basic \(Wording.percent($0.1, .en, digits: 0)), hard \(Wording.percent($0.2, .en, digits: 0)) against \(Wording.percent($0.3, .en, digits: 0)) expected" }.joined(separator: "; ")
                    + "." + tail(q, s, .en)
                return (ru, en)
            })
        }
        schoolsWithout(Set(tests.map(\.school)), c, ctx, &out, what: "участников ВПР с результатами по заданиям", "VPR participants with task scores",
                       min: minN, counts: acc.mapValues(\.n))
        finish(tests, c, ctx, &out)
    }
}

extension IdentificationCriterion {
    static let taskPattern = IdentificationCriterion(
        id: "task_pattern", category: "non_objective", title: LocalizedText(ru: "сложные задания лучше базовых", en: "hard tasks better than basic ones"), isSign: true,
        parameters: [
            RuleSchema.q,
            RuleSchema.num("min_effect", 0.25, 0...10, ru: "Минимальное превышение по сложным заданиям (логиты)",
                en: "Minimum excess on hard tasks (logits)"),
            RuleSchema.minN(15), RuleSchema.vprOnly,
        ],
        run: NonObjective.taskPattern)
}
