import Foundation
import OporaCore
import OporaStore
@testable import OporaServices

/// A fresh SQLite database (in the temporary folder) with the given schools. The tests close it
/// themselves: a closure-taking helper made Swift 6.3's SIL passes crash on the `#expect`s inside.
func temporaryDatabase(schools: [(id: String, municipality: String)]) async throws -> OporaDatabase {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-usecase-\(UUID().uuidString).sqlite").path
    let db = try await OporaDatabase.open(.sqlite(path: path))
    let records = schools.map { School(id: $0.id, name: $0.id, municipality: $0.municipality, region: "Р", settlement: .urban, kind: .general, students: 100) }
    try await db.store(Dataset(schools: records), source: "test")
    return db
}

/// The use case's refusal of `body`, or nil when it went through.
func refusal(_ body: () async throws -> Void) async -> UseCaseError? {
    do { try await body(); return nil } catch { return error as? UseCaseError }
}
