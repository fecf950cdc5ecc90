import Foundation
import Testing
import OporaAnalysis
import OporaCore
import OporaStats

/// Value-added on constructed data: equivalence with OporaStats, linkage, rules, bands, OLS by hand, JSON.
@Suite struct ValueAddedTests {
    /// Deterministic pseudo-random numbers (xorshift + Box–Muller).
    struct Gen {
        var s: UInt64
        mutating func uniform() -> Double {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return (Double(s >> 11) + 0.5) / Double(1 << 53)
        }
        mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    }

    static let outcome = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)
    static let prior = Procedure(year: 2024, assessment: .vpr, subject: "math", grade: 4)

    /// `schools` schools with 5…44 students; y = 10 + 0.8·prior − 6·ctx + u_j + e.
    /// School "S00" gets a large positive effect despite the worst context.
    static func constructed(schools: Int = 30, seed: UInt64 = 7)
        -> (results: [StudentResult], indicators: [IndicatorValue], effects: [String: Double]) {
        var g = Gen(s: seed)
        var results: [StudentResult] = []
        var indicators: [IndicatorValue] = []
        var effects: [String: Double] = [:]
        var code = 0
        for j in 0..<schools {
            let id = String(format: "S%02d", j)
            let ctx = j == 0 ? 0.9 : g.uniform() * 0.8
            let u = j == 0 ? 6.0 : 1.5 * g.normal()
            effects[id] = u
            indicators.append(IndicatorValue(year: 2023, schoolID: id, indicator: "low_income_share", value: 0.5))  // older, superseded
            indicators.append(IndicatorValue(year: 2025, schoolID: id, indicator: "low_income_share", value: ctx))
            indicators.append(IndicatorValue(year: 2026, schoolID: id, indicator: "low_income_share", value: 0.1))  // later: ignored
            let n = j == 0 ? 40 : 5 + (j * 13) % 40
            for _ in 0..<n {
                code += 1
                let participant = String(format: "%06d", code * 7919 % 1_000_000)
                let x = 12 + 4 * g.normal() - 3 * ctx
                let y = 10 + 0.8 * x - 6 * ctx + u + 2.5 * g.normal()
                results.append(StudentResult(procedure: prior, schoolID: id, participant: participant,
                                             score: x, mark: nil, journalMark: nil))
                results.append(StudentResult(procedure: outcome, schoolID: id, participant: participant,
                                             score: y, mark: nil, journalMark: nil))
            }
        }
        return (results.reversed(), indicators, effects)  // reversed: order of input must not matter
    }

    @Test func multilevelEqualsOporaStatsOnTheSameData() throws {
        let d = Self.constructed()
        let spec = ValueAddedSpecification(outcome: Self.outcome, prior: Self.prior, context: ["low_income_share"], kind: .multilevel)
        let report = try ValueAddedModel.fit(spec, results: d.results, indicators: d.indicators)

        // The same fit directly: students sorted by school and participant.
        let outcomes = d.results.filter { $0.procedure == Self.outcome }.sorted { ($0.schoolID, $0.participant) < ($1.schoolID, $1.participant) }
        let priors = Dictionary(uniqueKeysWithValues: d.results.filter { $0.procedure == Self.prior }.map { ($0.participant, $0.score!) })
        let ctx = Dictionary(uniqueKeysWithValues: d.indicators.filter { $0.year == 2025 }.map { ($0.schoolID, $0.value) })
        let fit = try RandomInterceptModel.fit(
            y: outcomes.map { $0.score! },
            columns: [outcomes.map { priors[$0.participant]! }, outcomes.map { ctx[$0.schoolID]! }],
            groups: outcomes.map(\.schoolID), method: .reml)

        #expect(report.model.kind == .multilevel)
        #expect(report.model.studentCount == outcomes.count)
        #expect(report.model.schoolCount == 30)
        #expect(report.model.fixed.map(\.name) == ["intercept", "prior", "low_income_share"])
        for (c, b) in zip(report.model.fixed, fit.fixed) { #expect(abs(c.estimate - b) <= 1e-12 * max(1, abs(b))) }
        #expect(abs(report.model.schoolVariance! - fit.groupVariance) <= 1e-12)
        #expect(abs(report.model.residualVariance - fit.residualVariance) <= 1e-12)
        #expect(report.schools.map(\.schoolID) == fit.groups.map(\.id))
        for (s, e) in zip(report.schools, fit.groups) {
            #expect(s.n == e.n)
            #expect(abs(s.estimate! - e.estimate) <= 1e-12)
            #expect(abs(s.se! - e.sd) <= 1e-12)
            #expect(abs(s.ciLow! - e.lower) <= 1e-12 && abs(s.ciHigh! - e.upper) <= 1e-12)
            #expect(abs(s.shrinkage! - e.shrinkage) <= 1e-12)
        }
        // The model recovers the truth roughly, and the disadvantaged but strong school is "above".
        #expect(abs(report.model.fixed[1].estimate - 0.8) < 0.1)
        #expect(report.schools.first { $0.schoolID == "S00" }?.band == .above)
        let est = report.schools.map { $0.estimate! }
        let truth = report.schools.map { d.effects[$0.schoolID]! }
        #expect(try Descriptive.pearson(est, truth)! > 0.8)
    }

    @Test func multilevelInvariants() throws {
        let d = Self.constructed(schools: 40, seed: 11)
        let report = try ValueAddedModel.fit(
            ValueAddedSpecification(outcome: Self.outcome, prior: Self.prior, context: ["low_income_share"]),
            results: d.results, indicators: d.indicators)
        let tau = report.model.schoolVariance!.squareRoot()
        let mean = report.schools.map { $0.estimate! }.reduce(0, +) / Double(report.schools.count)
        #expect(abs(mean) < 0.1 * tau)   // EB effects centre near zero
        // Shrinkage grows with n, and posterior SDs shrink with n.
        let byN = report.schools.sorted { $0.n < $1.n }
        for (a, b) in zip(byN, byN.dropFirst()) where a.n < b.n {
            #expect(a.shrinkage! < b.shrinkage!)
            #expect(a.se! > b.se!)
        }
        for s in report.schools {
            #expect(s.band == ValueAddedBand.of(low: s.ciLow!, high: s.ciHigh!))
            #expect(abs((s.ciHigh! - s.ciLow!) / 2 - 1.959963984540054 * s.se!) < 1e-9)
        }
    }

    @Test func bands() {
        #expect(ValueAddedBand.of(low: -2, high: -0.1) == .below)
        #expect(ValueAddedBand.of(low: 0.1, high: 2) == .above)
        #expect(ValueAddedBand.of(low: -0.1, high: 2) == .expected)
        #expect(ValueAddedBand.of(low: 0, high: 2) == .expected)   // touching zero is not excluding it
        #expect(ValueAddedBand.of(low: -2, high: 0) == .expected)
    }

    @Test func priorLinkageByParticipantCode() throws {
        func r(_ p: Procedure, _ school: String, _ code: String, _ score: Double?) -> StudentResult {
            StudentResult(procedure: p, schoolID: school, participant: code, score: score, mark: nil, journalMark: nil)
        }
        var results: [StudentResult] = []
        // School A: 20 outcome students, 17 linked (one prior score empty, two never took the prior);
        // one of them moved from school Z between the years: linked by code, counted in A.
        for i in 0..<20 {
            let code = String(format: "0%03d", i)
            results.append(r(Self.outcome, "A", code, Double(10 + i % 5)))
            if i == 0 { results.append(r(Self.prior, "Z", code, 9)) }
            else if i == 1 { results.append(r(Self.prior, "A", code, nil)) }
            else if i >= 18 { continue }
            else { results.append(r(Self.prior, "A", code, Double(8 + i % 3))) }
        }
        // School B: 20 outcome students, 14 linked (coverage 0.7 < 0.75); an empty outcome score.
        for i in 0..<21 {
            let code = String(format: "1%03d", i)
            results.append(r(Self.outcome, "B", code, i == 20 ? nil : Double(12 + i % 4)))
            if i < 14 { results.append(r(Self.prior, "B", code, Double(9 + i % 4))) }
        }
        // School C: 30 students, all linked; a prior result of someone not in the outcome.
        for i in 0..<30 {
            let code = String(format: "2%03d", i)
            results.append(r(Self.outcome, "C", code, Double(11 + i % 6)))
            results.append(r(Self.prior, "C", code, Double(7 + i % 5)))
        }
        results.append(r(Self.prior, "C", "9999", 5))
        // Another procedure's results are ignored.
        results.append(r(Procedure(year: 2025, assessment: .vpr, subject: "russian", grade: 5), "C", "2000", 3))

        let report = try ValueAddedModel.fit(
            ValueAddedSpecification(outcome: Self.outcome, prior: Self.prior, kind: .multilevel), results: results, indicators: [])
        #expect(report.dropped.studentsWithoutScore == 1)
        #expect(report.dropped.studentsWithoutPrior == 3 + 6)
        #expect(report.model.studentCount == 17 + 14 + 30)   // B's linked students still inform the fit
        let a = report.schools[0], b = report.schools[1], c = report.schools[2]
        #expect((a.schoolID, a.n, a.outcomeCount) == ("A", 17, 20))
        #expect(abs(a.coverage! - 0.85) < 1e-12)
        #expect((b.schoolID, b.n, b.outcomeCount) == ("B", 14, 20))
        #expect(b.band == .notEnoughData && b.exclusion == .lowCoverage && b.estimate == nil)
        #expect(report.dropped.schoolsFailingRules == ["B"])
        #expect(c.n == 30 && c.coverage == 1 && c.estimate != nil)
    }

    /// Five schools, one context indicator, no prior: the residuals, variances and standard errors
    /// computed by hand.
    @Test func olsResidualsByHand() throws {
        let ctx: [Double] = [0.1, 0.3, 0.4, 0.6, 0.9]
        let scores: [[Double]] = [[20, 22, 24], [18, 19, 23, 20], [15, 21, 18], [14, 16, 15, 19, 11], [12, 9, 10]]
        var results: [StudentResult] = []
        var indicators: [IndicatorValue] = []
        for (j, ys) in scores.enumerated() {
            let id = "00\(j + 1)"
            indicators.append(IndicatorValue(year: 2024, schoolID: id, indicator: "low_income_share", value: ctx[j]))
            for (i, y) in ys.enumerated() {
                results.append(StudentResult(procedure: Self.outcome, schoolID: id, participant: "\(j)-\(i)", score: y, mark: nil, journalMark: nil))
            }
        }
        let spec = ValueAddedSpecification(outcome: Self.outcome, context: ["low_income_share"], kind: .ols,
                                           rules: ValueAddedRules(minimumStudents: 3))
        let report = try ValueAddedModel.fit(spec, results: results, indicators: indicators)

        let means = scores.map { $0.reduce(0, +) / Double($0.count) }
        let xbar = ctx.reduce(0, +) / 5, ybar = means.reduce(0, +) / 5
        var sxx = 0.0, sxy = 0.0
        for j in 0..<5 { sxx += (ctx[j] - xbar) * (ctx[j] - xbar); sxy += (ctx[j] - xbar) * (means[j] - ybar) }
        let slope = sxy / sxx, intercept = ybar - slope * xbar
        let resid = (0..<5).map { means[$0] - intercept - slope * ctx[$0] }
        let s2 = resid.map { $0 * $0 }.reduce(0, +) / 3
        var ssw = 0.0, nTotal = 0
        for (j, ys) in scores.enumerated() { for y in ys { ssw += (y - means[j]) * (y - means[j]) }; nTotal += ys.count }
        let within = ssw / Double(nTotal - 5)

        #expect(report.model.kind == .ols)
        #expect(report.model.schoolCount == 5 && report.model.studentCount == nTotal)
        #expect(abs(report.model.fixed[0].estimate - intercept) < 1e-10)
        #expect(abs(report.model.fixed[1].estimate - slope) < 1e-10)
        #expect(abs(report.model.residualVariance - s2) < 1e-10)
        #expect(abs(report.model.withinSchoolVariance! - within) < 1e-10)
        for (j, s) in report.schools.enumerated() {
            let varFit = s2 * (1.0 / 5 + (ctx[j] - xbar) * (ctx[j] - xbar) / sxx)
            let se = (within / Double(scores[j].count) + varFit).squareRoot()
            #expect(abs(s.estimate! - resid[j]) < 1e-10)
            #expect(abs(s.se! - se) < 1e-10)
            #expect(abs(s.ciLow! - (resid[j] - 1.959963984540054 * se)) < 1e-9)
            #expect(s.band == ValueAddedBand.of(low: s.ciLow!, high: s.ciHigh!))
        }
    }

    @Test func olsNotEnoughDataRules() throws {
        let d = Self.constructed(schools: 30, seed: 5)
        // S01 has 18 students: drop 4 of its outcome results' priors (coverage 14/18 = 0.78 ≥ 0.75,
        // but n = 14 < 15); S02 has 31: drop 9 priors (22/31 = 0.71 < 0.75); S03 loses its context.
        var removeLinks = Set<String>()
        for (id, k) in [("S01", 4), ("S02", 9)] {
            for r in d.results.filter({ $0.procedure == Self.outcome && $0.schoolID == id }).prefix(k) { removeLinks.insert(r.participant) }
        }
        let results = d.results.filter { !($0.procedure == Self.prior && removeLinks.contains($0.participant)) }
        let indicators = d.indicators.filter { $0.schoolID != "S03" }
        let spec = ValueAddedSpecification(outcome: Self.outcome, prior: Self.prior, context: ["low_income_share"], kind: .ols)
        let report = try ValueAddedModel.fit(spec, results: results, indicators: indicators)
        let byID = Dictionary(uniqueKeysWithValues: report.schools.map { ($0.schoolID, $0) })
        #expect(byID["S01"]!.outcomeCount == 18 && byID["S01"]!.n == 14 && byID["S01"]!.exclusion == .tooFewStudents)
        #expect(byID["S02"]!.outcomeCount == 31 && byID["S02"]!.exclusion == .lowCoverage)
        #expect(byID["S03"]!.exclusion == .noContext)
        #expect(report.dropped.schoolsWithoutContext == ["S03"])
        #expect(report.dropped.studentsInSchoolsWithoutContext == byID["S03"]!.n)
        #expect(report.dropped.studentsWithoutPrior == 13)
        for s in report.schools {
            if s.exclusion != nil {
                #expect(s.band == .notEnoughData && s.estimate == nil && s.se == nil && s.ciLow == nil)
            } else {
                #expect(s.n >= 15 && s.estimate != nil)
            }
        }
        let small = report.schools.filter { $0.n < 15 }
        #expect(!small.isEmpty && small.allSatisfy { $0.band == .notEnoughData })
        #expect(report.model.schoolCount == report.schools.filter { $0.estimate != nil }.count)
        #expect(report.dropped.schoolsFailingRules == report.schools.filter { $0.exclusion == .tooFewStudents || $0.exclusion == .lowCoverage }.map(\.schoolID))
        // Residuals of an OLS with an intercept sum to zero.
        #expect(abs(report.schools.compactMap(\.estimate).reduce(0, +)) < 1e-9)
        // The disadvantaged but strong school is above expectation here too.
        #expect(byID["S00"]!.band == .above)
    }

    @Test func jsonShape() throws {
        let d = Self.constructed(schools: 12, seed: 3)
        let indicators = d.indicators.filter { $0.schoolID != "S05" }
        let report = try ValueAddedModel.fit(
            ValueAddedSpecification(outcome: Self.outcome, prior: Self.prior, context: ["low_income_share"]),
            results: d.results, indicators: indicators)
        let text = report.json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["model", "schools", "dropped"])
        let model = try #require(object["model"] as? [String: Any])
        for key in ["kind", "n_students", "n_schools", "fixed", "school_variance", "residual_variance"] { #expect(model[key] != nil, "\(key)") }
        #expect(model["kind"] as? String == "multilevel")
        let fixed = try #require(model["fixed"] as? [String: Double])
        #expect(Set(fixed.keys) == ["intercept", "prior", "low_income_share"])
        // Key order in the text: intercept, prior, then the context codes.
        #expect(text.contains("\"fixed\": {\"intercept\": "))
        let f = text.range(of: "\"fixed\": {")!.upperBound
        let tail = String(text[f...].prefix(200))
        #expect(tail.range(of: "\"prior\"")!.lowerBound < tail.range(of: "\"low_income_share\"")!.lowerBound)
        let schools = try #require(object["schools"] as? [[String: Any]])
        #expect(schools.count == 12)
        #expect(schools.map { $0["school_id"] as! String } == (0..<12).map { String(format: "S%02d", $0) })
        for s in schools {
            for key in ["school_id", "n", "estimate", "se", "ci_low", "ci_high", "band"] { #expect(s[key] != nil, "\(key)") }
            let band = s["band"] as! String
            #expect(["below", "expected", "above", "not_enough_data"].contains(band))
            if s["school_id"] as! String == "S05" {
                #expect(band == "not_enough_data" && s["estimate"] is NSNull && s["reason"] as? String == "no_context")
            } else {
                #expect(s["estimate"] is Double && s["se"] is Double)
            }
        }
        let dropped = try #require(object["dropped"] as? [String: Any])
        #expect(dropped["schools_without_context"] as? [String] == ["S05"])
        // Deterministic: the same input in another order gives the same bytes.
        let again = try ValueAddedModel.fit(
            ValueAddedSpecification(outcome: Self.outcome, prior: Self.prior, context: ["low_income_share"]),
            results: d.results.reversed(), indicators: indicators.reversed())
        #expect(again.json() == text)
        #expect(report.csv().split(separator: "\n").count == 13)
        #expect(report.csv().hasPrefix("school_id,n,estimate,se,ci_low,ci_high,band,"))
        #expect(report.table().contains("S05"))
    }

    @Test func errorsAreClear() throws {
        let d = Self.constructed(schools: 10, seed: 9)
        #expect(throws: ValueAddedError.self) {
            try ValueAddedModel.fit(ValueAddedSpecification(outcome: Self.outcome, context: ["no_such_code"]),
                                    results: d.results, indicators: d.indicators)
        }
        #expect(throws: ValueAddedError.self) {
            try ValueAddedModel.fit(ValueAddedSpecification(outcome: Procedure(year: 2025, assessment: .oge, subject: "math", grade: 9)),
                                    results: d.results, indicators: d.indicators)
        }
        // A context indicator identical to another one: collinear, named in the message.
        let twin = d.indicators.map { IndicatorValue(year: $0.year, schoolID: $0.schoolID, indicator: "twin", value: $0.value) }
        do {
            _ = try ValueAddedModel.fit(ValueAddedSpecification(outcome: Self.outcome, context: ["low_income_share", "twin"]),
                                        results: d.results, indicators: d.indicators + twin)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.en.contains("«twin»"))
            #expect(error.message.ru.contains("«twin»"))
        }
    }
}
