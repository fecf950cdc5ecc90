import Foundation
import OporaAnalysis
import OporaCore
import OporaDemo
import OporaStore
import Testing
@testable import OporaCLI

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
        let fromDatabase = try await AnalysisLoading.fromDatabase(db)

        #expect(fromFiles.digest == fromDatabase.digest)
        #expect(fromFiles.digest.records == fromDatabase.digest.records)
        #expect(fromFiles.data.resultCount == fromDatabase.data.resultCount)
        let year = try #require(Identification.defaultYear(fromFiles.data, rules: .default))
        let a = Identification.run(data: fromFiles.data, rules: .default, year: year, dataDigest: fromFiles.digest.hex)
        let b = Identification.run(data: fromDatabase.data, rules: .default, year: year, dataDigest: fromDatabase.digest.hex)
        #expect(a.json() == b.json())
        #expect(a.run.schoolsFlagged > 0)

        let id = try await IdentifyCommand.save(b, rules: .default, digest: fromDatabase.digest, into: db)
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
