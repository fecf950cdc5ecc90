import Foundation
import OporaCore
import OporaStats

extension NonObjective {
    // MARK: vanishing_jump

    /// A cohort's ВПР result that jumps in the year before the analysis year and is gone in the
    /// analysis year: z(grade g, Y−1) − mean(z(grade g−1, Y−2), z(grade g+1, Y)), per subject,
    /// on procedure-standardised mean scores, robust scale across all cohorts of the region.
    static func vanishingJump(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let minN = c.int("min_participants")
        let assessments = c.strings("assessments")
        let y = ctx.year
        var zs: [Procedure: [String: Double]] = [:]
        for yy in (y - 2)...y { for p in ctx.procedures(year: yy, assessments: assessments) { zs[p] = ctx.scoreZ(p, minN: minN) } }
        var triples: [(school: String, jump: Double, procs: [Procedure], z: [Double])] = []
        for p1 in ctx.procedures(year: y - 1, assessments: assessments) {
            let p0 = Procedure(year: y - 2, assessment: p1.assessment, subject: p1.subject, grade: p1.grade - 1)
            let p2 = Procedure(year: y, assessment: p1.assessment, subject: p1.subject, grade: p1.grade + 1)
            guard let z0 = zs[p0], let z1 = zs[p1], let z2 = zs[p2] else { continue }
            for (s, v1) in z1.sorted(by: { $0.key < $1.key }) {
                guard let v0 = z0[s], let v2 = z2[s] else { continue }
                triples.append((s, v1 - (v0 + v2) / 2, [p0, p1, p2], [v0, v1, v2]))
            }
        }
        guard triples.count >= 10 else { return }
        let scale = SignStats.robustCentreScale(triples.map(\.jump), floor: 1e-6)
        var bySchool: [String: [(t: Double, procs: [Procedure], z: [Double])]] = [:]
        for t in triples { bySchool[t.school, default: []].append(((t.jump - scale.centre) / scale.scale, t.procs, t.z)) }
        var tests: [SchoolTest] = []
        for (s, list) in bySchool.sorted(by: { $0.key < $1.key }) {
            let z = list.map(\.t).reduce(0, +) / Double(list.count).squareRoot()
            let best = list.max { $0.t < $1.t }!
            let effect = best.t
            tests.append(SchoolTest(school: s, z: z, effect: effect, value: best.z[1] - (best.z[0] + best.z[2]) / 2, n: list.count,
                                    procedures: best.procs.map(\.description)) { q, st in
                let ru = "Результат одного и того же класса (\(Wording.subject(best.procs[1].subject, .ru))) по ВПР: \(best.procs[0].grade) класс в \(y - 2) г. — \(Wording.number(best.z[0], .ru)) SD от среднего по региону, "
                    + "\(best.procs[1].grade) класс в \(y - 1) г. — \(Wording.number(best.z[1], .ru)) SD, \(best.procs[2].grade) класс в \(y) г. — \(Wording.number(best.z[2], .ru)) SD: "
                    + "скачок, который исчез на следующий год." + tail(q, st, .ru)
                let en = "The same class's VPR results (\(Wording.subject(best.procs[1].subject, .en))): grade \(best.procs[0].grade) in \(y - 2) — \(Wording.number(best.z[0], .en)) SD from the regional mean, "
                    + "grade \(best.procs[1].grade) in \(y - 1) — \(Wording.number(best.z[1], .en)) SD, grade \(best.procs[2].grade) in \(y) — \(Wording.number(best.z[2], .en)) SD: "
                    + "a jump that vanished the next year." + tail(q, st, .en)
                return (ru, en)
            })
        }
        finish(tests, c, ctx, &out)
    }
}

extension IdentificationCriterion {
    static let vanishingJump = IdentificationCriterion(
        id: "vanishing_jump", category: "non_objective", title: LocalizedText(ru: "исчезающий скачок", en: "vanishing jump"), isSign: true,
        parameters: [
            RuleSchema.q,
            RuleSchema.num("min_effect", 1.0, 0...10, ru: "Минимальный скачок, в SD между школами", en: "Minimum jump, in between-school SDs"),
            RuleSchema.minN(15), RuleSchema.vprOnly,
        ],
        run: NonObjective.vanishingJump)
}
