import Foundation
import OporaCore
import Testing
@testable import OporaStore

@Suite("Identification runs and result streaming on every backend")
struct IdentificationRunTests {
    @Test(arguments: Backend.available)
    func storesARunWithItsFlagsAndReadsItBack(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            #expect(try await db.schemaVersions().starts(with: [1, 2]))
            let record = IdentificationRunRecord(
                year: 2025, rulesName: "default", rulesDigest: "abc", rulesText: "version: 1\n", dataDigest: String(repeating: "0", count: 64),
                dataRecords: 12345, schools: 120, flaggedSchools: 2)
            let flags = [
                StoredFlag(schoolID: "0101", category: "low_results", criterion: "official_fail_share", year: 2025, strength: nil,
                           value: 0.34, threshold: 0.3, n: 35, textRU: "В 2025 г. «2» получили 34% участников", textEN: "In 2025, 34% got a «2»"),
                StoredFlag(schoolID: "0201", category: "non_objective", criterion: "journal_mismatch", year: 2025, strength: "strong",
                           value: nil, threshold: nil, n: nil, textRU: "Признак для анализа", textEN: "A sign for analysis"),
            ]
            let first = try await db.saveIdentificationRun(record, resultJSON: "{\"run\":{}}", flags: flags)
            let second = try await db.saveIdentificationRun(record, resultJSON: "{}", flags: [])
            #expect(second == first + 1)

            let runs = try await db.identificationRuns()
            #expect(runs.map(\.id) == [second, first])
            #expect(runs[1].dataRecords == 12345)
            #expect(runs[1].rulesText == "version: 1\n")
            #expect(!runs[1].createdAt.isEmpty)

            let stored = try #require(try await db.identificationRun(id: first))
            #expect(stored.resultJSON == "{\"run\":{}}")
            #expect(try await db.identificationRun(id: 999) == nil)
            #expect(try await db.flags(runID: first) == flags)
            #expect(try await db.flags(runID: first, schoolID: "0201") == [flags[1]])
            #expect(try await db.flags(runID: second).isEmpty)
        }
    }

    @Test(arguments: Backend.available)
    func streamsEveryStoredResult(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "test")
            let collected = Collected()
            try await db.forEachResult { collected.append($0) }
            let stored = try await db.results()
            #expect(collected.values.count == stored.count)
            #expect(Set(collected.values) == Set(stored))
        }
    }
}

final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [StudentResult] = []
    func append(_ r: StudentResult) { lock.lock(); items.append(r); lock.unlock() }
    var values: [StudentResult] { lock.lock(); defer { lock.unlock() }; return items }
}
