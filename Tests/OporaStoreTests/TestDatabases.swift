import Foundation
import OporaCore
@testable import OporaStore

/// The backends the storage suite runs against: SQLite always; PostgreSQL when
/// `OPORA_TEST_POSTGRES_URL` names a server (CI starts one and sets it).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [Backend] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["OPORA_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var testDescription: String { rawValue }
}

import Testing

/// Opens a fresh, empty, migrated database of the given backend and removes it afterwards.
/// Each PostgreSQL test gets a database of its own, so the tests can run in parallel.
func withFreshDatabase<T: Sendable>(_ backend: Backend, _ body: (OporaDatabase) async throws -> T) async throws -> T {
    switch backend {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try await OporaDatabase.open(.sqlite(path: dir.appendingPathComponent("test.sqlite").path))
        do {
            let value = try await body(db)
            await db.close()
            return value
        } catch {
            await db.close()
            throw error
        }
    case .postgres:
        let baseURL = try #require(Backend.postgresURL)
        let name = "opora_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try await OporaDatabase.open(.postgres(url: baseURL))
        try await admin.execute("CREATE DATABASE \(name)")
        var parts = URLComponents(string: baseURL)!
        parts.path = "/\(name)"
        let db = try await OporaDatabase.open(.postgres(url: parts.string!))
        func cleanUp() async {
            await db.close()
            try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            await admin.close()
        }
        do {
            let value = try await body(db)
            await cleanUp()
            return value
        } catch {
            await cleanUp()
            throw error
        }
    }
}

/// A small region in domain types, for writing and reading back.
enum Sample {
    static let vpr5 = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)
    static let ege11 = Procedure(year: 2025, assessment: .ege, subject: "russian", grade: 11)

    static let schools = [
        School(id: "0101", name: "МБОУ «СОШ № 1, г. Заречный»", municipality: "город Заречный", region: "Демонстрационная область",
               settlement: .urban, kind: .general, students: 812),
        School(id: "0102", name: "МБОУ «Лицей № 2»", municipality: "город Заречный", region: "Демонстрационная область",
               settlement: .urban, kind: .lyceum, students: 640, distanceKm: 1.5),
        School(id: "0201", name: "МКОУ «ООШ с. Покровка»", municipality: "Лебедянский район", region: "Демонстрационная область",
               settlement: .rural, kind: .general, students: nil, distanceKm: 42),
    ]

    static let tasks = [
        TaskInfo(procedure: vpr5, task: "1", maxScore: 1, level: .basic),
        TaskInfo(procedure: vpr5, task: "2.1", maxScore: 2, level: .advanced),
        TaskInfo(procedure: vpr5, task: "3", maxScore: 3, level: nil),
    ]

    static func results(school: String = "0101", count: Int = 3, mark: Int = 4) -> [StudentResult] {
        (0..<count).map { i in
            StudentResult(procedure: vpr5, schoolID: school, participant: String(format: "%06d", i), score: Double(i) + 0.5,
                          mark: mark, journalMark: i == 0 ? nil : 5,
                          taskScores: [TaskScore(task: "1", score: 1), TaskScore(task: "2.1", score: Double(i % 3))])
        }
    }

    static let dataset = Dataset(
        schools: schools,
        indicators: [
            IndicatorValue(year: 2025, schoolID: "0101", indicator: "low_income_share", value: 0.12),
            IndicatorValue(year: 2025, schoolID: "0201", indicator: "custom_code_kept", value: 7),
        ],
        tasks: tasks,
        results: results() + [StudentResult(procedure: ege11, schoolID: "0201", participant: "000777", score: 72, mark: nil, journalMark: nil)],
        aggregates: [SchoolAggregate(procedure: Procedure(year: 2025, assessment: .regional, subject: "math", grade: 7), schoolID: "0102",
                                     participants: 25, meanScore: 14.25, share2: 0.04, share3: 0.36, share4: nil, share5: nil)]
    )
}
