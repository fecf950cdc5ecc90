import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

@Suite("Analysis cache")
struct AnalysisCacheTests {
    static func school(_ id: String) -> School {
        School(id: id, name: id, municipality: "М", region: "Р", settlement: .urban, kind: .general, students: 100)
    }

    /// After an import, a page is served from the previous snapshot while the new one is built, and
    /// the new one replaces it once built even though nobody waited for it.
    @Test func servesThePreviousSnapshotWhileTheNewOneIsBuilt() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cache-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try await OporaDatabase.open(.sqlite(path: path))
        do {
            try await db.store(Dataset(schools: [Self.school("0101")]), source: "test")
            // A zero wait: any load that is not finished at once is served stale.
            let cache = AnalysisCache(database: db, recheck: .zero, staleWait: .zero)
            let first = try await cache.current()
            #expect(first.data.schools.map(\.id) == ["0101"])

            try await db.store(Dataset(schools: [Self.school("0102")]), source: "test")
            let during = try await cache.current()
            // Either the previous snapshot (the load had not finished) or, on a fast machine, the new one.
            #expect(during.version >= first.version)
            if during.version == first.version { #expect(await cache.isRefreshing) }

            var latest = during
            for _ in 0..<500 where latest.data.schools.count < 2 {
                try await Task.sleep(for: .milliseconds(10))
                latest = try await cache.current()
            }
            #expect(Set(latest.data.schools.map(\.id)) == ["0101", "0102"])
            #expect(await !cache.isRefreshing)

            // The uploader's page waits for the newest data however long it takes.
            try await db.store(Dataset(schools: [Self.school("0103")]), source: "test")
            #expect(try await cache.fresh().data.schools.count == 3)
            #expect(try await cache.current().data.schools.count == 3)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    /// Without a wait setting every request after an import waits for the new data (tests, scripts).
    @Test func waitsForTheNewSnapshotWhenToldTo() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cache-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try await OporaDatabase.open(.sqlite(path: path))
        do {
            try await db.store(Dataset(schools: [Self.school("0101")]), source: "test")
            let cache = AnalysisCache(database: db, recheck: .zero, staleWait: nil)
            _ = try await cache.current()
            try await db.store(Dataset(schools: [Self.school("0102")]), source: "test")
            #expect(try await cache.current().data.schools.count == 2)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
