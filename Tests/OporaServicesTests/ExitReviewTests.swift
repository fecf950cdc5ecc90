import Foundation
import OporaAnalysis
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

@Suite("Exit review")
struct ExitReviewTests {
    static func run(_ id: Int, year: Int, flagged: [String]) throws -> (record: IdentificationRunRecord, result: IdentificationResult) {
        let schools = ["0101", "0102"].map { s in
            """
            {"school_id":"\(s)","name":"\(s)","municipality":"М","categories":\(flagged.contains(s) ? "[\"low_results\"]" : "[]"),
             "conditions":[],"flags":[],"not_enough_data":[],"value_added":null}
            """
        }
        let json = """
            {"run":{"rules":"r","rules_version":"1","rules_digest":"d","year":\(year),"schools":2,"schools_flagged":\(flagged.count),
             "category_counts":{},"criteria":[],"engine":"t"},"schools":[\(schools.joined(separator: ","))]}
            """
        let result = try JSONDecoder().decode(IdentificationResult.self, from: Data(json.utf8))
        return (IdentificationRunRecord(id: id, year: year, rulesName: "r", rulesDigest: "d", rulesText: "", dataDigest: "x", dataRecords: 0,
                                        schools: 2, flaggedSchools: flagged.count), result)
    }

    @Test func proposesOnlyWhenCleanForTheYearsAndTheTargetsAreMet() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-exit-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try await OporaDatabase.open(.sqlite(path: path))
        do {
            let schools = ["0101", "0102"].map { School(id: $0, name: $0, municipality: "М", region: "Р", settlement: .urban, kind: .general, students: 100) }
            try await db.store(Dataset(schools: schools), source: "test")
            let store = db.scoped(.municipality("М"))
            let actor = Actor(userID: nil, login: "mo")
            for id in ["0101", "0102"] {
                _ = try await store.include(RegistryEntry(schoolID: id, category: .lowResults, reason: "r", startDate: "2024-09-01", coordinator: "c"), actor: actor)
                _ = try await store.changeStatus(schoolID: id, to: .inProgramme, actor: actor)
            }
            // 0102's programme has a target it has not met.
            let programme = try await store.create(ProgrammeDraft(
                programme: Programme(owner: .school("0102"), kind: .antiRisk, title: "АРП", riskFactor: .studentsAtRisk),
                indicators: [MonitoringIndicator(name: "Доля «2»", unit: .share, direction: .lowerIsBetter, baseline: 0.3, target: 0.1, period: .annual)]),
                actor: actor)
            let indicator = try #require(try await store.indicators(programmeID: programme)?.first)
            _ = try await store.record(indicatorID: indicator.id, period: "2026", value: 0.2, actor: actor)
            let snapshot = AnalysisSnapshot(version: 0, loaded: LoadedAnalysis(
                data: AnalysisData(schools: schools, indicators: [], tasks: [], results: [], aggregates: []), digest: DataDigest()))

            let oneYear = try await ExitReview.review(store: store, runs: [try Self.run(2, year: 2026, flagged: [])], rule: ExitRule(),
                                                      snapshot: snapshot, apply: true)
            #expect(oneYear.allSatisfy { !$0.proposed })
            let stillFlagged = try await ExitReview.review(store: store, runs: [try Self.run(1, year: 2025, flagged: ["0101"]), try Self.run(2, year: 2026, flagged: [])],
                                                           rule: ExitRule(), snapshot: snapshot, apply: true)
            #expect(stillFlagged.allSatisfy { !$0.proposed })
            let clean = try await ExitReview.review(store: store, runs: [try Self.run(1, year: 2025, flagged: []), try Self.run(2, year: 2026, flagged: [])],
                                                    rule: ExitRule(), snapshot: snapshot, apply: true)
            #expect(clean.first { $0.schoolID == "0101" }?.proposed == true)
            #expect(clean.first { $0.schoolID == "0102" }?.proposed == false)
            #expect(clean.first { $0.schoolID == "0102" }?.reasons.contains { $0.ru.contains("0 из 1") } == true)
            let status = Dictionary(uniqueKeysWithValues: try await store.registry().map { ($0.schoolID, $0.status) })
            #expect(status["0101"] == .exitProposed && status["0102"] == .inProgramme)
            let history = try #require(try await store.registryHistory(schoolID: "0101"))
            #expect(history.last?.changedBy == "opora" && history.last?.note.contains("Критерии выхода выполнены") == true)
            // Without the targets condition 0102 qualifies too.
            let lenient = try await ExitReview.review(store: store, runs: [try Self.run(1, year: 2025, flagged: []), try Self.run(2, year: 2026, flagged: [])],
                                                      rule: ExitRule(cleanYears: 2, targetsMet: false), snapshot: snapshot, apply: false)
            #expect(lenient.first { $0.schoolID == "0102" }?.proposed == true)
            #expect(try await store.registry().first { $0.schoolID == "0102" }?.status == .inProgramme)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
