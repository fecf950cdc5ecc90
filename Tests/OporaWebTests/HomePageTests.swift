import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

@Suite("Home page")
struct HomePageTests {
    func withDatabase(_ body: (OporaDatabase) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-web-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try await OporaDatabase.open(.sqlite(path: path))
        do { try await body(db) } catch { await db.close(); throw error }
        await db.close()
    }

    @Test func listsMunicipalitiesAndSchoolsInRussianByDefault() async throws {
        try await withDatabase { db in
            try await db.store(Dataset(schools: [
                School(id: "0101", name: "МБОУ «СОШ № 1» <script>", municipality: "город Заречный", region: "Область",
                       settlement: .urban, kind: .general, students: 1234),
                School(id: "0201", name: "МКОУ «ООШ с. Покровка»", municipality: "Лебедянский район", region: "Область",
                       settlement: .rural, kind: .general, students: 45),
            ]), source: "test")
            let app = Application(router: buildRouter(database: db))
            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    let body = String(buffer: response.body)
                    #expect(body.contains("<html lang=\"ru\">"))
                    #expect(body.contains("2 муниципалитета, 2 школы"))
                    #expect(body.contains("город Заречный"))
                    #expect(body.contains("1\u{202F}234"))
                    #expect(body.contains("&lt;script&gt;"))
                    #expect(!body.contains("<script>"))
                }
                try await client.execute(uri: "/?lang=en", method: .get) { response in
                    let body = String(buffer: response.body)
                    #expect(body.contains("<html lang=\"en\">"))
                    #expect(body.contains("2 municipalities, 2 schools"))
                }
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(String(buffer: response.body) == "ok")
                }
            }
        }
    }

    @Test func anEmptyDatabaseSaysHowToLoadData() async throws {
        try await withDatabase { db in
            let app = Application(router: buildRouter(database: db))
            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    #expect(String(buffer: response.body).contains("opora import"))
                }
            }
        }
    }
}
