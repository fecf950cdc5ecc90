import Foundation
import OporaCore
import Testing
@testable import OporaStore

@Suite("Storage on every backend")
struct StoreTests {
    @Test(arguments: Backend.available)
    func migratesAnEmptyDatabaseOnce(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            #expect(try await db.schemaVersions() == Migrations.all.map(\.version))
            try await Migrations.apply(to: db)  // a second start applies nothing and does not fail
            #expect(try await db.schemaVersions() == Migrations.all.map(\.version))
            #expect(try await db.counts() == StoreCounts(municipalities: 0, schools: 0, procedures: 0, results: 0, aggregates: 0, indicatorValues: 0))
        }
    }

    @Test(arguments: Backend.available)
    func writesAndReadsBackADataset(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            let summary = try await db.store(Sample.dataset, source: "test")
            #expect(summary.results == 4)
            #expect(summary.replacedSlices == 0)

            #expect(try await db.schools() == Sample.schools.sorted { ($0.municipality, $0.id) < ($1.municipality, $1.id) })
            #expect(try await db.schools(municipality: "Лебедянский район").map(\.id) == ["0201"])
            #expect(try await db.school(id: "0102")?.distanceKm == 1.5)
            #expect(try await db.school(id: "9999") == nil)
            #expect(try await db.municipalities().map(\.name) == ["Лебедянский район", "город Заречный"])

            let catalogue = try await db.taskCatalogue()
            #expect(catalogue[Sample.vpr5] == Sample.tasks)

            let vpr = try await db.results(procedure: Sample.vpr5)
            #expect(vpr == Sample.results())
            #expect(vpr[0].journalMark == nil)
            #expect(vpr[2].taskScores == [TaskScore(task: "1", score: 1), TaskScore(task: "2.1", score: 2)])
            let ege = try await db.results(schoolID: "0201")
            #expect(ege.count == 1)
            #expect(ege[0].mark == nil)
            #expect(ege[0].score == 72)

            #expect(try await db.aggregates() == Sample.dataset.aggregates)
            let values = try await db.indicatorValues()
            #expect(Set(values) == Set(Sample.dataset.indicators))
            #expect(try await db.procedures().count == 3)
        }
    }

    @Test(arguments: Backend.available)
    func reimportReplacesTheSliceInsteadOfDuplicating(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "first")
            try await db.store(Dataset(results: Sample.results(school: "0102", count: 5)), source: "other school")
            let again = try await db.store(Dataset(results: Sample.results(school: "0101", count: 2, mark: 3)), source: "again")
            #expect(again.replacedSlices == 1)

            let first = try await db.results(procedure: Sample.vpr5, schoolID: "0101")
            #expect(first.count == 2)
            #expect(first.allSatisfy { $0.mark == 3 })
            #expect(try await db.results(procedure: Sample.vpr5, schoolID: "0102").count == 5)
            #expect(try await db.counts().results == 2 + 5 + 1)

            // Upserts: a school renamed, an indicator value corrected, a task re-described.
            var renamed = Sample.schools[0]
            renamed.name = "МБОУ «Средняя школа № 1»"
            try await db.store(Dataset(
                schools: [renamed],
                indicators: [IndicatorValue(year: 2025, schoolID: "0101", indicator: "low_income_share", value: 0.2)],
                tasks: [TaskInfo(procedure: Sample.vpr5, task: "1", maxScore: 2, level: .high)]), source: "fix")
            #expect(try await db.school(id: "0101")?.name == "МБОУ «Средняя школа № 1»")
            #expect(try await db.indicatorValues(schoolID: "0101").map(\.value) == [0.2])
            #expect(try await db.taskCatalogue()[Sample.vpr5]?.first?.maxScore == 2)
            #expect(try await db.counts().schools == 3)
        }
    }

    @Test(arguments: Backend.available)
    func aFailedWriteLeavesNothingBehind(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "first")
            let before = try await db.counts()
            let beforeResults = try await db.results()

            // New schools and results first, then a value for a school that does not exist: the
            // foreign key fails at the end of the transaction and everything before it is undone.
            let broken = Dataset(
                schools: [School(id: "0301", name: "Новая школа", municipality: "Новый район", region: "Демонстрационная область",
                                 settlement: .rural, kind: .general, students: 50)],
                indicators: [IndicatorValue(year: 2025, schoolID: "no-such-school", indicator: "low_income_share", value: 0.1)],
                results: Sample.results(school: "0101", count: 1, mark: 2))
            await #expect(throws: (any Error).self) {
                try await db.store(broken, source: "broken")
            }
            #expect(try await db.counts() == before)
            #expect(try await db.results() == beforeResults)
            #expect(try await db.school(id: "0301") == nil)
        }
    }

    @Test(arguments: Backend.available)
    func bulkLoadsManyResults(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Dataset(schools: Sample.schools), source: "schools")
            // More rows than one multi-row statement holds, with codes that need escaping for COPY.
            let many = (0..<10_001).map { i in
                StudentResult(procedure: Sample.vpr5, schoolID: Sample.schools[i % 3].id, participant: i == 7 ? "a\\b\tc" : "p\(i)",
                              score: i % 11 == 0 ? nil : Double(i % 20), mark: 2 + i % 4, journalMark: nil,
                              taskScores: i % 2 == 0 ? [] : [TaskScore(task: "3(1)", score: 0.5)])
            }
            try await db.store(Dataset(results: many), source: "many")
            let back = try await db.results(procedure: Sample.vpr5)
            #expect(back.count == many.count)
            let sortKey: (StudentResult) -> String = { $0.schoolID + "|" + $0.participant }
            #expect(back.sorted { sortKey($0) < sortKey($1) } == many.sorted { sortKey($0) < sortKey($1) })
        }
    }
}

@Suite("Database location")
struct DatabaseLocationTests {
    @Test func parsesPathsAndURLs() {
        #expect(DatabaseLocation("opora.sqlite") == .sqlite(path: "opora.sqlite"))
        #expect(DatabaseLocation("/var/lib/opora/db.sqlite") == .sqlite(path: "/var/lib/opora/db.sqlite"))
        #expect(DatabaseLocation("sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(DatabaseLocation("postgres://u:p@h/db") == .postgres(url: "postgres://u:p@h/db"))
        #expect(DatabaseLocation("PostgreSQL://u@h/db") == .postgres(url: "PostgreSQL://u@h/db"))
    }

    @Test func optionThenEnvironmentThenDefault() {
        #expect(DatabaseLocation.resolve(option: "a.sqlite", environment: ["OPORA_DB": "b.sqlite"]) == .sqlite(path: "a.sqlite"))
        #expect(DatabaseLocation.resolve(option: nil, environment: ["OPORA_DB": "postgres://x@h/d"]) == .postgres(url: "postgres://x@h/d"))
        #expect(DatabaseLocation.resolve(option: nil, environment: [:]) == .sqlite(path: "./opora.sqlite"))
    }

    @Test func neverPrintsThePassword() {
        #expect(!DatabaseLocation("postgres://opora:secret@127.0.0.1:5432/opora").description.contains("secret"))
    }
}

@Suite("Task score codec")
struct TaskScoreCodecTests {
    @Test func roundTrips() {
        let scores = [TaskScore(task: "1", score: 1), TaskScore(task: "2.1", score: 0.5), TaskScore(task: "3(2)", score: 0)]
        #expect(TaskScoreCodec.encode(scores) == "1=1;2.1=0.5;3(2)=0")
        #expect(TaskScoreCodec.decode(TaskScoreCodec.encode(scores)) == scores)
        #expect(TaskScoreCodec.encode([]) == nil)
        #expect(TaskScoreCodec.decode(nil) == [])
    }
}
