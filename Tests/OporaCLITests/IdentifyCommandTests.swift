import Foundation
import OporaAnalysis
import OporaCore
import OporaDemo
import OporaStore
import Testing
@testable import OporaCLI
import OporaServices

/// `opora identify`: files and database give the same list, and a stored run can be traced to its data.
@Suite("opora identify")
struct IdentifyCommandTests {
    @Test func filesAndDatabaseGiveTheSameResultAndTheRunIsStored() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-identify-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let region = dir.appendingPathComponent("region")
        try RegionGenerator(spec: RegionSpec(schools: 40, municipalities: 3, years: 3, seed: 9)).write(to: region)
        let files = try AnalysisLoading.dataFiles(in: region.path)
        #expect(!files.contains { $0.hasSuffix("truth.csv") })

        let fromFiles = try AnalysisLoading.fromFiles(files, showProgress: false)
        let db = try await OporaDatabase.open(.sqlite(path: dir.appendingPathComponent("opora.sqlite").path))
        _ = try await ImportCommand.importFiles(files, into: db, showProgress: false)
        let fromDatabase = try await StoredAnalysis.fromDatabase(db)

        #expect(fromFiles.digest == fromDatabase.digest)
        #expect(fromFiles.digest.records == fromDatabase.digest.records)
        #expect(fromFiles.data.resultCount == fromDatabase.data.resultCount)
        let year = try #require(Identification.defaultYear(fromFiles.data, rules: .default))
        let a = Identification.run(data: fromFiles.data, rules: .default, year: year, dataDigest: fromFiles.digest.hex)
        let b = Identification.run(data: fromDatabase.data, rules: .default, year: year, dataDigest: fromDatabase.digest.hex)
        #expect(a.json() == b.json())
        #expect(a.run.schoolsFlagged > 0)

        let id = try await IdentificationService.save(b, rules: .default, digest: fromDatabase.digest, into: db)
        let stored = try #require(try await db.identificationRun(id: id))
        #expect(stored.resultJSON == b.json())
        #expect(stored.record.dataDigest == fromFiles.digest.hex)
        #expect(stored.record.rulesDigest == RuleSet.default.digest)
        #expect(try RuleSet.parse(stored.record.rulesText).digest == RuleSet.default.digest)
        let flagCount = b.schools.reduce(0) { $0 + $1.flags.count }
        #expect(try await db.flags(runID: id).count == flagCount)

        // One changed score changes the digest.
        var changed = DataDigest()
        changed.merge(fromFiles.digest)
        changed.add(StudentResult(procedure: Procedure(year: year, assessment: .vpr, subject: "math", grade: 5),
                                  schoolID: "x", participant: "1", score: 1, mark: 2, journalMark: nil))
        #expect(changed != fromFiles.digest)
        await db.close()
    }

    @Test func valueAddedFillsEachSchoolTheSameFromFilesAndDatabase() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-identify-va-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let region = dir.appendingPathComponent("region")
        try RegionGenerator(spec: RegionSpec(schools: 30, municipalities: 2, years: 2, lastYear: 2025, seed: 4)).write(to: region)
        let spec = ValueAddedSpecification(outcome: Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5),
                                           prior: Procedure(year: 2024, assessment: .vpr, subject: "math", grade: 4),
                                           context: ["low_income_share"], kind: .multilevel)
        let keep: Set<Procedure> = [spec.outcome, spec.prior!]
        let files = try AnalysisLoading.fromFiles(try AnalysisLoading.dataFiles(in: region.path), showProgress: false, keeping: keep)
        let db = try await OporaDatabase.open(.sqlite(path: dir.appendingPathComponent("opora.sqlite").path))
        _ = try await ImportCommand.importFiles(try AnalysisLoading.dataFiles(in: region.path), into: db, showProgress: false)
        let database = try await StoredAnalysis.fromDatabase(db, keeping: keep)
        await db.close()
        #expect(files.kept.count == database.kept.count)
        #expect(files.kept.allSatisfy { keep.contains($0.procedure) })

        var a = Identification.run(data: files.data, rules: .default, year: 2025)
        var b = Identification.run(data: database.data, rules: .default, year: 2025)
        try IdentificationService.attachValueAdded(spec, results: files.kept, indicators: files.data.indicators, to: &a)
        try IdentificationService.attachValueAdded(spec, results: database.kept, indicators: database.data.indicators, to: &b)
        #expect(a.json() == b.json())

        let direct = try ValueAddedModel.fit(spec, results: files.kept, indicators: files.data.indicators)
        let first = try #require(direct.schools.first { $0.estimate != nil })
        let school = try #require(a.schools.first { $0.schoolID == first.schoolID })
        guard case .object(let object)? = school.valueAdded else { Issue.record("no value_added object"); return }
        #expect(object["estimate"] == .number(first.estimate!))
        #expect(object["band"] == .string(first.band.rawValue))
        #expect(object["outcome"] == .string("vpr:math:5:2025"))

        // The same model from a rule set's value_added: the year comes from the run, the rows are kept by kind.
        let rules = try RuleSet.parse("name: va\nversion: \"1\"\nvalue_added: {outcome: 'vpr:math:5', prior: 'vpr:math:4', context: [low_income_share]}\n")
        let rule = try #require(rules.valueAdded)
        #expect(rule.specification(year: 2025) == spec)
        let byKind = try AnalysisLoading.fromFiles(try AnalysisLoading.dataFiles(in: region.path), showProgress: false, keepingKinds: rule.kinds)
        #expect(Set(byKind.kept.map(\.procedure)) == Set([2024, 2025].flatMap { y in [4, 5].map { Procedure(year: y, assessment: .vpr, subject: "math", grade: $0) } }))
        var c = Identification.run(data: byKind.data, rules: .default, year: 2025)
        try IdentificationService.attachValueAdded(spec, results: byKind.kept.filter { $0.procedure == spec.outcome || $0.procedure == spec.prior },
                                                   indicators: byKind.data.indicators, to: &c)
        #expect(c.json() == a.json())
    }

    @Test func aBrokenRuleFileIsAMessage() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "name: broken\ncategories: 7\n".write(toFile: path, atomically: true, encoding: .utf8)
        let command = try #require(try Opora.parseAsRoot(["identify", "--data", "/tmp", "--rules", path]) as? IdentifyCommand)
        #expect(throws: UserError.self) { _ = try command.loadRules() }
    }

    @Test func dataAndDatabaseTogetherAreRefused() {
        #expect(throws: (any Error).self) { _ = try Opora.parseAsRoot(["identify", "--data", "/tmp", "--db", "x.sqlite"]) }
    }
}
