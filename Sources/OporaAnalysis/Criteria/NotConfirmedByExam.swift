import Foundation
import OporaCore
import OporaStats

extension NonObjective {
    /// A school's level on a set of procedures: the mean of its procedure-standardised mean scores,
    /// with the sampling variance of that mean (from the pooled within-school variance of each
    /// procedure and the school's number of participants in it). The cells of one grade (Russian and
    /// mathematics of grade 5) are sat by the same pupils, so their errors are not independent:
    /// they are counted as perfectly correlated (the standard deviations of one grade's cells add up),
    /// an upper bound, and the grades as independent.
    struct StandardizedLevel {
        var z = 0.0, variance = 0.0, k = 0, n = 0
        var procedures: [Procedure] = []

        mutating func add(z: Double, n: Int, procedure: Procedure) {
            self.z += z; k += 1; self.n += n; procedures.append(procedure)
        }
    }

    static func standardizedLevels(_ ctx: IdentificationContext, assessments: [String], minN: Int) -> [String: StandardizedLevel] {
        // Per school a position in flat lists, looked up once per cell (the school's level and its
        // grades' SDs were two dictionaries keyed by school, one of them nested by grade).
        var position: [String: Int] = [:]
        var schools: [String] = []
        var levels: [StandardizedLevel] = []
        var gradeSD: [[Double]] = [] // per school, per grade in the order first met
        var gradeIndex: [String: Int] = [:]
        for p in ctx.procedures(year: ctx.year, assessments: assessments) {
            // Cells by index, and each school's entry updated in place: filtering copied every cell
            // (seven arrays), and taking an entry out to change it copied its procedure list.
            let all = ctx.data.cells[p] ?? []
            let cells = all.indices.filter { all[$0].scored >= minN }
            guard let st = try? GroupMeans.standardized(n: cells.map { all[$0].scored }, sum: cells.map { all[$0].scoreSum },
                                                        sumSquares: cells.map { all[$0].scoreSumSquares }) else { continue }
            let grade = "\(p.assessment.rawValue):\(p.grade)"
            let g: Int
            if let known = gradeIndex[grade] { g = known } else { g = gradeIndex.count; gradeIndex[grade] = g }
            for (i, c) in cells.enumerated() {
                let school = all[c].schoolID
                let k: Int
                if let known = position[school] {
                    k = known
                } else {
                    k = schools.count
                    position[school] = k
                    schools.append(school)
                    levels.append(StandardizedLevel())
                    gradeSD.append([])
                }
                levels[k].add(z: st.z[i], n: all[c].scored, procedure: p)
                if gradeSD[k].count <= g { gradeSD[k].append(contentsOf: repeatElement(0, count: g + 1 - gradeSD[k].count)) }
                gradeSD[k][g] += st.variance[i].squareRoot()
            }
        }
        var out: [String: StandardizedLevel] = [:]
        out.reserveCapacity(schools.count)
        for k in schools.indices {
            let e = levels[k]
            let n = Double(e.k)
            // The grades a school lacks add 0 (the sum of squares is the same as over its own grades).
            let v = gradeSD[k].reduce(0) { $0 + $1 * $1 }
            out[schools[k]] = StandardizedLevel(z: e.z / n, variance: v / (n * n), k: e.k, n: e.n, procedures: e.procedures.sorted())
        }
        return out
    }

    // MARK: not_confirmed_by_exam

    /// The school's ВПР level (mean of procedure-standardised mean scores) against its ОГЭ/ЕГЭ level
    /// in the same year. The exam level is predicted from the ВПР level by a linear fit across
    /// schools; the school's gap g = predicted − observed (exams below what the ВПР predicts) has a
    /// sampling variance s² = Var(exam level) + b²·Var(ВПР level) from its numbers of participants
    /// (pooled within-school variances). Null hypothesis: the school's gap is drawn from the same
    /// distribution as every school's, g ~ N(μ, s² + τ²), τ² being the real spread of the gap between
    /// schools (how well a school prepares for the exams, which grades sit them); μ and τ² are fitted
    /// robustly across schools (`RandomEffectsNull` with u = g/s², v = 1/s²), so a small school's noisy
    /// exam mean is judged against its own sampling error, not against the spread of all schools.
    /// Effect: the gap in between-school SDs of mean scores. Lyceums and gymnasiums are excepted.
    static func notConfirmedByExam(_ c: RuleCriterion, _ ctx: IdentificationContext, _ out: inout Outcome) {
        let minN = c.int("min_participants"), except = Set(c.strings("except_kinds"))
        let vpr = standardizedLevels(ctx, assessments: ["vpr"], minN: minN)
        let exam = standardizedLevels(ctx, assessments: ["oge", "ege"], minN: minN)
        let ids = ctx.data.schools.filter { !except.contains($0.kind.rawValue) }.map(\.id).filter { vpr[$0] != nil && exam[$0] != nil }
        guard ids.count >= 10 else { return }
        let x = ids.map { vpr[$0]!.z }, y = ids.map { exam[$0]!.z }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0
        for i in x.indices { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx) }
        let slope = sxx > 0 ? sxy / sxx : 0
        var tests: [SchoolTest] = []
        for (i, s) in ids.enumerated() {
            let v = vpr[s]!, e = exam[s]!
            let predicted = my + slope * (x[i] - mx)
            let gap = predicted - y[i]
            let s2 = e.variance + slope * slope * v.variance
            guard s2 > 0, s2.isFinite else { continue }
            let se = s2.squareRoot()
            tests.append(SchoolTest(school: s, z: gap / se, effect: gap, value: v.z - e.z, n: v.n + e.n,
                                    procedures: (v.procedures + e.procedures).map(\.description),
                                    parts: [(gap / s2, 1 / s2, 0)]) { q, st in
                let ru = "В \(ctx.year) г. средний балл школы по ВПР — \(Wording.number(v.z, .ru)) SD от среднего по региону (\(v.k) \(RussianPlural("процедура", "процедуры", "процедур").form(for: v.k)), \(NumberFormat.count(v.n, .participant, en: "participant", .ru))), "
                    + "а по ОГЭ/ЕГЭ — \(Wording.number(e.z, .ru)) SD (\(e.k), \(NumberFormat.count(e.n, .participant, en: "participant", .ru))) при ожидаемых по ВПР \(Wording.number(predicted, .ru)) SD: "
                    + "экзамены ниже ожидаемого на \(Wording.number(gap, .ru)) SD при случайной погрешности ±\(Wording.number(se, .ru)) SD для такого числа участников — "
                    + "результаты ВПР не подтверждаются экзаменами." + tail(q, st, .ru)
                let en = "In \(ctx.year), the school's mean VPR score is \(Wording.number(v.z, .en)) SD from the regional mean (\(v.k) procedures, \(v.n) participants), "
                    + "but its OGE/EGE mean is \(Wording.number(e.z, .en)) SD (\(e.k), \(e.n) participants) against \(Wording.number(predicted, .en)) SD that its VPR predicts: "
                    + "the exams are \(Wording.number(gap, .en)) SD below expectation, with a sampling error of ±\(Wording.number(se, .en)) SD for these numbers of participants — "
                    + "the VPR results are not confirmed by the exams." + tail(q, st, .en)
                return (ru, en)
            })
        }
        finish(tests, c, ctx, &out)
    }
}

extension IdentificationCriterion {
    static let notConfirmedByExam = IdentificationCriterion(
        id: "not_confirmed_by_exam", category: "non_objective", title: LocalizedText(ru: "ВПР не подтверждены ОГЭ/ЕГЭ", en: "VPR not confirmed by OGE/EGE"), isSign: true,
        parameters: [
            RuleSchema.q,
            RuleSchema.num("min_effect", 0.5, 0...10, ru: "Минимальный разрыв: ОГЭ/ЕГЭ ниже ожидаемого по ВПР, в SD средних баллов школ",
                en: "Minimum gap: ОГЭ/ЕГЭ below what the ВПР predicts, in SDs of the schools' mean scores"),
            RuleSchema.minN(10),
            RuleSchema.list("except_kinds", ["lyceum", "gymnasium"], SchoolKind.allCases.map(\.rawValue),
                 ru: "Виды школ-исключений", en: "Kinds of schools excepted"),
        ],
        run: NonObjective.notConfirmedByExam)
}
