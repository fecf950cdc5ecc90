import Foundation
import OporaCore
import OporaStore

/// A fresh SQLite database with the given schools, closed and deleted after `body`.
func withTemporaryDatabase(schools: [(id: String, municipality: String)], _ body: (OporaDatabase) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-usecase-\(UUID().uuidString).sqlite").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let db = try await OporaDatabase.open(.sqlite(path: path))
    do {
        let records = schools.map { School(id: $0.id, name: $0.id, municipality: $0.municipality, region: "Р", settlement: .urban, kind: .general, students: 100) }
        try await db.store(Dataset(schools: records), source: "test")
        try await body(db)
    } catch {
        await db.close()
        throw error
    }
    await db.close()
}
