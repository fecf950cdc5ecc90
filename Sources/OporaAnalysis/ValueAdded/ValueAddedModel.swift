import Foundation
import OporaCore
import OporaStats

/// Context-adjusted results ("value-added") of schools in one outcome procedure.
///
/// **Data.** Students are the outcome procedure's participants with a score. With a prior
/// procedure, each is linked to the prior result with the same participant code (codes are unique
/// within a procedure and kept across years); students without a prior score are dropped and
/// counted, never imputed. Context values are per school, for the outcome's year, else the latest
/// earlier year; a school missing any requested indicator is dropped from the model and reported
/// (`no_context`), never zero-filled. Students are sorted by (school, participant) before fitting,
/// so the answer does not depend on the order of the input.
///
/// **`ols`** — school-level residuals. For the schools passing the rules (≥ `minimumStudents`
/// students; with a prior, ≥ `minimumCoverage` of the outcome participants linked), the
/// unweighted school mean outcome ȳ_j is regressed on the context values (and the school mean
/// prior x̄_j). The estimate is the residual e_j = ȳ_j − ŷ_j. Its standard error treats the
/// school's mean as measured with sampling error:
///
///     se_j = √( s²_w / n_j + x_jᵀ Cov(β̂) x_j )
///
/// where s²_w is the pooled within-school variance of the student outcome (with a prior: of the
/// outcome net of the pooled within-school slope on the prior; df = N − J, or N − J − 1 with a
/// prior) and x_jᵀ Cov(β̂) x_j the variance of the school's expected mean. This is the
/// "confidence interval around the school's score" of England's Progress 8 (1.96·sd/√n) plus the
/// uncertainty of the expectation. The school-level residual variance (which also contains the
/// true between-school variation) is reported as the model's `residual_variance`.
///
/// **`multilevel`** — y_ij = β₀ + β_prior·prior_ij + Σ β_c·context_cj + u_j + e_ij, u_j ~ N(0, τ²),
/// e_ij ~ N(0, σ²), fitted by REML with `RandomInterceptModel` (matches statsmodels MixedLM /
/// lme4). The estimate is the empirical-Bayes effect û_j = λ_j · mean_j(y − Xβ̂) with
/// λ_j = τ²/(τ² + σ²/n_j), `se` its posterior SD √(τ²(1 − λ_j)), and the interval û_j ± z·se.
/// All schools with context enter the fit; schools failing the rules keep contributing to β, τ²,
/// σ² but are reported as `not_enough_data`.
///
/// **Bands**: `below` / `above` only when the interval excludes zero, else `expected`.
public enum ValueAddedModel {
    /// Fits the model.
    /// - Parameters:
    ///   - results: student results; only those of the outcome and prior procedures are used.
    ///   - indicators: school indicator values (any years; the latest year ≤ the outcome's is used).
    public static func fit(_ spec: ValueAddedSpecification, results: [StudentResult],
                           indicators: [IndicatorValue]) throws(ValueAddedError) -> ValueAddedReport {
        let rules = spec.rules
        guard rules.level > 0, rules.level < 1 else {
            throw ValueAddedError(ru: "уровень доверия \(rules.level) должен быть между 0 и 1",
                                  en: "confidence level \(rules.level) must be between 0 and 1")
        }
        if let prior = spec.prior, prior == spec.outcome {
            throw ValueAddedError(ru: "предыдущая процедура совпадает с итоговой (\(prior))",
                                  en: "the prior procedure is the outcome procedure (\(prior))")
        }
        var seenCodes = Set<String>()
        for code in spec.context {
            if code == "intercept" || code == "prior" {
                throw ValueAddedError(ru: "код показателя «\(code)» зарезервирован", en: "indicator code «\(code)» is reserved")
            }
            if !seenCodes.insert(code).inserted {
                throw ValueAddedError(ru: "показатель «\(code)» указан дважды", en: "indicator «\(code)» is given twice")
            }
        }
        var dropped = ValueAddedDropped()

        // 1. Outcome students with a score; prior scores by participant code.
        var priorScore: [String: Double] = [:]
        if let prior = spec.prior {
            for r in results where r.procedure == prior {
                if let s = r.score, priorScore[r.participant] == nil { priorScore[r.participant] = s }
            }
        }
        struct Student { var school: String; var participant: String; var y: Double; var prior: Double }
        var students: [Student] = []
        var outcomeCount: [String: Int] = [:]
        var anyOutcome = false
        for r in results where r.procedure == spec.outcome {
            anyOutcome = true
            guard let y = r.score else { dropped.studentsWithoutScore += 1; continue }
            outcomeCount[r.schoolID, default: 0] += 1
            var x = 0.0
            if spec.prior != nil {
                guard let p = priorScore[r.participant] else { dropped.studentsWithoutPrior += 1; continue }
                x = p
            }
            students.append(Student(school: r.schoolID, participant: r.participant, y: y, prior: x))
        }
        guard anyOutcome else {
            throw ValueAddedError(ru: "нет результатов процедуры \(spec.outcome)", en: "no results of the procedure \(spec.outcome)")
        }
        if let prior = spec.prior, priorScore.isEmpty {
            throw ValueAddedError(ru: "нет результатов предыдущей процедуры \(prior)", en: "no results of the prior procedure \(prior)")
        }
        students.sort { ($0.school, $0.participant) < ($1.school, $1.participant) }

        // 2. Context per school: the outcome's year, else the latest earlier year.
        let wanted = Set(spec.context)
        var latest: [String: [String: (year: Int, value: Double)]] = [:]
        var codesSeen = Set<String>()
        if !wanted.isEmpty {
            for v in indicators where v.year <= spec.outcome.year && wanted.contains(v.indicator) && v.value.isFinite {
                codesSeen.insert(v.indicator)
                if let old = latest[v.schoolID]?[v.indicator], old.year >= v.year { continue }
                latest[v.schoolID, default: [:]][v.indicator] = (v.year, v.value)
            }
        }
        for code in spec.context where !codesSeen.contains(code) {
            throw ValueAddedError(ru: "показатель «\(code)» не задан ни для одной школы (за \(spec.outcome.year) год или раньше)",
                                  en: "indicator «\(code)» has no value for any school (in \(spec.outcome.year) or earlier)")
        }
        func contextRow(_ school: String) -> [Double]? {
            guard !spec.context.isEmpty else { return [] }
            guard let values = latest[school] else { return nil }
            var row: [Double] = []
            row.reserveCapacity(spec.context.count)
            for code in spec.context {
                guard let v = values[code] else { return nil }
                row.append(v.value)
            }
            return row
        }

        // 3. Per-school bookkeeping (sorted by school code).
        struct SchoolData {
            var id: String
            var range: Range<Int>      // into `students`
            var outcomeCount: Int
            var context: [Double]?
            var coverage: Double?
            var exclusion: ValueAddedExclusion?
        }
        var schools: [SchoolData] = []
        var start = 0
        func schoolRange(_ id: String, from i: Int) -> Range<Int> {
            var j = i
            while j < students.count && students[j].school == id { j += 1 }
            return i..<j
        }
        for id in outcomeCount.keys.sorted() {
            let range: Range<Int>
            if start < students.count && students[start].school == id {
                range = schoolRange(id, from: start)
                start = range.upperBound
            } else {
                range = start..<start
            }
            let total = outcomeCount[id]!
            let coverage: Double? = spec.prior == nil ? nil : Double(range.count) / Double(total)
            schools.append(SchoolData(id: id, range: range, outcomeCount: total, context: contextRow(id), coverage: coverage))
        }
        let minimumN = spec.kind == .ols ? rules.minimumStudents : rules.multilevelMinimumStudents
        for i in schools.indices {
            if schools[i].context == nil {
                schools[i].exclusion = .noContext
                dropped.schoolsWithoutContext.append(schools[i].id)
                dropped.studentsInSchoolsWithoutContext += schools[i].range.count
            } else if schools[i].range.count < max(1, minimumN) {
                schools[i].exclusion = .tooFewStudents
            } else if let c = schools[i].coverage, c < rules.minimumCoverage {
                schools[i].exclusion = .lowCoverage
            }
            if let e = schools[i].exclusion, e != .noContext {
                dropped.schoolsFailingRules.append(schools[i].id)
                if spec.kind == .ols { dropped.studentsInSchoolsFailingRules += schools[i].range.count }
            }
        }

        let names = ["intercept"] + (spec.prior != nil ? ["prior"] : []) + spec.context
        func collinear(_ column: Int) -> ValueAddedError {
            let name = column < names.count ? names[column] : "#\(column)"
            return ValueAddedError(
                ru: "«\(name)» линейно выражается через предыдущие переменные модели (\(names.prefix(column).joined(separator: ", "))): уберите его",
                en: "«\(name)» is a linear combination of the model's previous variables (\(names.prefix(column).joined(separator: ", "))): drop it")
        }
        let z = Normal.criticalValue(level: rules.level)

        switch spec.kind {
        case .multilevel:
            var y: [Double] = []
            var groups: [String] = []
            let k = names.count - 1
            var columns = [[Double]](repeating: [], count: k)
            for s in schools where s.context != nil {
                for i in s.range {
                    y.append(students[i].y)
                    groups.append(s.id)
                    var c = 0
                    if spec.prior != nil { columns[0].append(students[i].prior); c = 1 }
                    for (j, v) in s.context!.enumerated() { columns[c + j].append(v) }
                }
            }
            let fit: RandomInterceptFit<String>
            do {
                fit = try RandomInterceptModel.fit(y: y, columns: columns, groups: groups, method: .reml, level: rules.level)
            } catch let e as StatsError {
                if case .collinear(let c) = e { throw collinear(c) }
                throw ValueAddedError(ru: "модель не оценена: \(e) (учащихся \(y.count), школ \(Set(groups).count))",
                                      en: "the model could not be fitted: \(e) (\(y.count) students, \(Set(groups).count) schools)")
            } catch {
                throw ValueAddedError(ru: "модель не оценена: \(error)", en: "the model could not be fitted: \(error)")
            }
            var effects: [String: GroupEffect<String>] = [:]
            for g in fit.groups { effects[g.id] = g }
            let out = schools.map { s -> ValueAddedSchoolResult in
                var r = ValueAddedSchoolResult(schoolID: s.id, n: s.range.count, outcomeCount: s.outcomeCount,
                                               coverage: s.coverage, band: .notEnoughData, exclusion: s.exclusion)
                if s.exclusion == nil, let g = effects[s.id] {
                    r.estimate = g.estimate; r.se = g.sd; r.ciLow = g.lower; r.ciHigh = g.upper
                    r.shrinkage = g.shrinkage
                    r.band = .of(low: g.lower, high: g.upper)
                } else if s.exclusion == nil {
                    r.exclusion = .tooFewStudents
                }
                return r
            }
            let model = ValueAddedModelSummary(
                kind: .multilevel, outcome: spec.outcome, prior: spec.prior, context: spec.context,
                studentCount: y.count, schoolCount: fit.groups.count,
                fixed: names.indices.map { ValueAddedCoefficient(name: names[$0], estimate: fit.fixed[$0], se: fit.fixedSE[$0]) },
                schoolVariance: fit.groupVariance, residualVariance: fit.residualVariance, withinSchoolVariance: nil,
                logLikelihood: fit.logLikelihood, rSquared: nil, level: rules.level)
            return ValueAddedReport(model: model, schools: out, dropped: dropped)

        case .ols:
            let used = schools.indices.filter { schools[$0].exclusion == nil }
            var means: [Double] = []
            var columns = [[Double]](repeating: [], count: names.count - 1)
            var ss = 0.0, sxy = 0.0, sxx = 0.0, nStudents = 0
            for i in used {
                let s = schools[i]
                let n = Double(s.range.count)
                var my = 0.0, mx = 0.0
                for t in s.range { my += students[t].y; mx += students[t].prior }
                my /= n; mx /= n
                for t in s.range {
                    let dy = students[t].y - my, dx = students[t].prior - mx
                    ss += dy * dy; sxy += dx * dy; sxx += dx * dx
                }
                nStudents += s.range.count
                means.append(my)
                var c = 0
                if spec.prior != nil { columns[0].append(mx); c = 1 }
                for (j, v) in s.context!.enumerated() { columns[c + j].append(v) }
            }
            guard used.count > names.count else {
                throw ValueAddedError(
                    ru: "для модели ols нужно больше школ, прошедших правила (≥ \(rules.minimumStudents) учащихся), чем коэффициентов (\(names.count)); таких школ \(used.count)",
                    en: "the ols model needs more schools passing the rules (≥ \(rules.minimumStudents) students) than coefficients (\(names.count)); there are \(used.count)")
            }
            let fit: OLSFit
            do {
                fit = try OLS.fit(y: means, columns: columns)
            } catch let e as StatsError {
                if case .collinear(let c) = e { throw collinear(c) }
                throw ValueAddedError(ru: "модель не оценена: \(e)", en: "the model could not be fitted: \(e)")
            } catch {
                throw ValueAddedError(ru: "модель не оценена: \(error)", en: "the model could not be fitted: \(error)")
            }
            // Pooled within-school variance (net of the pooled within-school slope on the prior).
            let df = nStudents - used.count - (spec.prior != nil ? 1 : 0)
            var within = Double.nan
            if df > 0 {
                let rss = spec.prior != nil && sxx > 0 ? ss - sxy * sxy / sxx : ss
                within = max(0, rss) / Double(df)
            }
            var estimates: [String: (e: Double, se: Double)] = [:]
            let p = names.count
            for (row, i) in used.enumerated() {
                var xj = [1.0]
                for c in columns { xj.append(c[row]) }
                var v = 0.0
                for a in 0..<p { for b in 0..<p { v += xj[a] * fit.covariance[a, b] * xj[b] } }
                let se = (within / Double(schools[i].range.count) + max(0, v)).squareRoot()
                estimates[schools[i].id] = (fit.residuals[row], se)
            }
            let out = schools.map { s -> ValueAddedSchoolResult in
                var r = ValueAddedSchoolResult(schoolID: s.id, n: s.range.count, outcomeCount: s.outcomeCount,
                                               coverage: s.coverage, band: .notEnoughData, exclusion: s.exclusion)
                if let e = estimates[s.id], e.se.isFinite {
                    r.estimate = e.e; r.se = e.se; r.ciLow = e.e - z * e.se; r.ciHigh = e.e + z * e.se
                    r.band = .of(low: r.ciLow!, high: r.ciHigh!)
                }
                return r
            }
            let model = ValueAddedModelSummary(
                kind: .ols, outcome: spec.outcome, prior: spec.prior, context: spec.context,
                studentCount: nStudents, schoolCount: used.count,
                fixed: names.indices.map { ValueAddedCoefficient(name: names[$0], estimate: fit.coefficients[$0], se: fit.standardErrors[$0]) },
                schoolVariance: nil, residualVariance: fit.residualVariance, withinSchoolVariance: within.isFinite ? within : nil,
                logLikelihood: nil, rSquared: fit.rSquared, level: rules.level)
            return ValueAddedReport(model: model, schools: out, dropped: dropped)
        }
    }
}
