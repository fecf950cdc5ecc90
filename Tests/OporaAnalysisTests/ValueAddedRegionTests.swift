import Foundation
import Testing
import OporaAnalysis
import OporaCore
import OporaDemo
import OporaImport
import OporaStats

/// Value-added on a generated demo region, read through the importer like `opora value-added --data`.
/// The generator does not expose its latent school ability, so these are sanity checks: the prior
/// links cohorts across years, the prior and context matter in the expected direction, EB effects
/// centre on zero, shrinkage follows n, and OLS and multilevel broadly agree.
@Suite struct ValueAddedRegionTests {
    static let batch: ImportBatch = {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("opora-va-region-\(ProcessInfo.processInfo.processIdentifier)")
        let data = base.appendingPathComponent("data"), truth = base.appendingPathComponent("truth")
        try! RegionGenerator(spec: RegionSpec(schools: 60, municipalities: 3, years: 2, lastYear: 2025, seed: 17))
            .write(to: data, truthDirectory: truth)
        defer { try? FileManager.default.removeItem(at: base) }
        return try! Importer.validate(paths: [data.path])
    }()

    static let outcome = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)
    static let prior = Procedure(year: 2024, assessment: .vpr, subject: "math", grade: 4)
    static let context = ["parents_higher_education_share", "low_income_share"]

    @Test func multilevelWithPriorAndContext() throws {
        let b = Self.batch
        let report = try ValueAddedModel.fit(
            ValueAddedSpecification(outcome: Self.outcome, prior: Self.prior, context: Self.context, kind: .multilevel),
            results: b.results, indicators: b.indicators)
        let outcomeScored = b.results.filter { $0.procedure == Self.outcome && $0.score != nil }.count
        // Most of the cohort is linked by participant code across the two years.
        #expect(report.model.studentCount > outcomeScored / 2)
        #expect(report.model.studentCount + report.dropped.studentsWithoutPrior + report.dropped.studentsInSchoolsWithoutContext
                == outcomeScored)
        let fixed = Dictionary(uniqueKeysWithValues: report.model.fixed.map { ($0.name, $0) })
        #expect(fixed["prior"]!.estimate > 0 && fixed["prior"]!.estimate / fixed["prior"]!.se > 5)
        #expect(report.model.schoolVariance! >= 0 && report.model.residualVariance > 0)
        let estimated = report.schools.filter { $0.estimate != nil }
        #expect(estimated.count >= 40)
        let mean = estimated.map { $0.estimate! }.reduce(0, +) / Double(estimated.count)
        #expect(abs(mean) < 0.25 * max(report.model.schoolVariance!.squareRoot(), 0.05))
        let byN = estimated.sorted { $0.n < $1.n }
        for (a, c) in zip(byN, byN.dropFirst()) where a.n < c.n { #expect(a.shrinkage! <= c.shrinkage!) }
        for s in report.schools where s.estimate != nil {
            #expect(s.band == ValueAddedBand.of(low: s.ciLow!, high: s.ciHigh!))
        }

        // OLS on the same data: the school residuals and the EB effects point the same way.
        let ols = try ValueAddedModel.fit(
            ValueAddedSpecification(outcome: Self.outcome, prior: Self.prior, context: Self.context, kind: .ols),
            results: b.results, indicators: b.indicators)
        let eb = Dictionary(uniqueKeysWithValues: estimated.map { ($0.schoolID, $0.estimate!) })
        let pairs = ols.schools.compactMap { s in s.estimate.flatMap { e in eb[s.schoolID].map { (e, $0) } } }
        #expect(pairs.count >= 20)
        if report.model.schoolVariance! > 0 {
            #expect(try Descriptive.pearson(pairs.map(\.0), pairs.map(\.1))! > 0.5)
        }
        for s in ols.schools where s.estimate != nil { #expect(s.n >= 15) }
    }

    @Test func contextOnlyModelsRun() throws {
        let b = Self.batch
        for kind in ValueAddedModelKind.allCases {
            let r = try ValueAddedModel.fit(
                ValueAddedSpecification(outcome: Self.outcome, context: Self.context, kind: kind),
                results: b.results, indicators: b.indicators)
            #expect(r.dropped.studentsWithoutPrior == 0)
            // Better-off families (more parents with higher education) go with higher results.
            #expect(r.model.fixed.first { $0.name == "parents_higher_education_share" }!.estimate > 0)
            #expect(!r.table().isEmpty && r.json().hasPrefix("{"))
        }
    }
}
