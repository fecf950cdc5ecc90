import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

extension Browser {
    /// Posts files as a browser's upload form does (multipart/form-data, the CSRF token as a field).
    func upload(_ files: [(name: String, text: String)], csrf: String, uri: String = "/data/upload") async throws -> TestResponse {
        let boundary = "----OporaTest\(UUID().uuidString)"
        var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
        for file in files {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: text/csv\r\n\r\n\(file.text)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return try await raw(uri, body: ByteBuffer(string: body), contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func raw(_ uri: String, body: ByteBuffer, contentType: String) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        headers[HeaderName("X-Forwarded-For")!] = address
        headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        return try await client.execute(uri: uri, method: .post, headers: headers, body: body)
    }
}

/// Data upload: staged files checked as `opora import` checks them, problems or a preview, and the
/// write only on the uploader's confirmation.
@Suite("Data upload pages")
struct UploadPageTests {
    static let header = "year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark"

    static func confirmAction(_ page: String) -> String? {
        guard let range = page.range(of: "action=\"/data/uploads/") else { return nil }
        return "/data/uploads/" + page[range.upperBound...].prefix { $0 != "\"" }
    }

    @Test func aBadRowListsEveryProblemAndWritesNothing() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("admin")
                let before = try await f.db.counts()
                let response = try await browser.upload([("results.csv", """
                    \(Self.header)
                    2025,vpr,math,5,0101,000123,12,4,5
                    2025,vpr,math,5,0101,000124,12,7,5
                    """)], csrf: try await browser.csrf())
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("<td>results.csv</td><td class=\"num\">3</td><td>mark</td>"))
                #expect(page.contains("отметка «7» вне диапазона 2–5<br><span lang=\"en\">mark «7» is outside 2–5</span>"))
                #expect(page.contains("Импорт отменён: 1 ошибка, ничего не записано."))
                #expect(try await f.db.counts() == before)

                // English pages put English first.
                let english = String(buffer: try await browser.upload([("r.csv", "\(Self.header)\n2025,vpr,math,5,0101,1,12,7,5")],
                                                                      csrf: try await browser.csrf(), uri: "/data/upload?lang=en").body)
                #expect(english.contains("mark «7» is outside 2–5<br><span lang=\"ru\">отметка «7» вне диапазона 2–5</span>"))
            }
        }
    }

    @Test func aGoodUploadIsPreviewedThenImportedOnConfirmation() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("region")
                let form = String(buffer: try await browser.request("/data").body)
                #expect(form.contains("enctype=\"multipart/form-data\"") && form.contains("type=\"file\" multiple"))
                let files = [("../../etc/results.csv", """
                    \(Self.header)
                    2025,vpr,math,5,0101,000123,12,4,5
                    2025,vpr,math,5,0201,000124,3,2,3
                    """)]
                let preview = try await browser.upload(files, csrf: try await browser.csrf())
                #expect(preview.status == .ok)
                let page = String(buffer: preview.body)
                #expect(page.contains("Подтвердить импорт") && page.contains("<td>results.csv</td>"))
                #expect(page.contains("2 результата участников"))
                #expect(try await f.db.counts().results == 0)
                let confirm = try #require(Self.confirmAction(page))

                let done = try await browser.request(confirm, .post, form: ["csrf": try await browser.csrf()])
                #expect(done.status == .ok)
                #expect(String(buffer: done.body).contains("Данные загружены"))
                #expect(try await f.db.counts().results == 2)
                // Confirmed once: the staged files are gone.
                #expect(try await browser.request(confirm, .post, form: ["csrf": try await browser.csrf()]).status == .notFound)

                let history = String(buffer: try await browser.request("/data").body)
                #expect(history.contains("<td>region</td><td>results.csv (results, 2)</td>"))

                // The same file again: the preview says which results it replaces.
                let again = String(buffer: try await browser.upload(files, csrf: try await browser.csrf()).body)
                #expect(again.contains("Будут заменены прежние результаты: 2 (школа × процедура)."))
            }
        }
    }

    @Test func onlyTheUploaderMayConfirmAndOnlyWithinTheHour() async throws {
        try await WebFixture.with(sessionLifetime: .seconds(4 * 3600)) { f in
            try await f.test { client in
                let admin = Browser(client)
                try await admin.signIn("admin")
                let page = String(buffer: try await admin.upload([("results.csv", "\(Self.header)\n2025,vpr,math,5,0101,000123,12,4,5")],
                                                                 csrf: try await admin.csrf()).body)
                let confirm = try #require(Self.confirmAction(page))

                let region = Browser(client)
                try await region.signIn("region")
                #expect(try await region.request(confirm, .post, form: ["csrf": try await region.csrf()]).status == .notFound)
                #expect(try await region.request("/data/uploads/..%2F..%2Fetc/confirm", .post, form: ["csrf": try await region.csrf()]).status
                        == .notFound)
                #expect(try await f.db.counts().results == 0)

                f.clock.advance(3601)
                #expect(try await admin.request(confirm, .post, form: ["csrf": try await admin.csrf()]).status == .notFound)
                #expect(try await f.db.counts().results == 0)
            }
        }
    }

    @Test func aRegionUploadsOnlyAboutItsOwnRegion() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("region")
                let response = try await browser.upload([
                    ("schools.csv", """
                        school_id,name,municipality,region,settlement,kind,students
                        0105,МБОУ «СОШ № 5»,город Заречный,Соседняя область,urban,general,300
                        0901,МБОУ «СОШ соседей»,город Соседний,Демонстрационная область,urban,general,400
                        """),
                    ("results.csv", """
                        \(Self.header)
                        2025,vpr,math,5,0101,000123,12,4,5
                        2025,vpr,math,5,0901,000124,3,2,3
                        """),
                ], csrf: try await browser.csrf())
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("<td>schools.csv</td><td class=\"num\">2</td><td>region</td><td>регион «Соседняя область» вне вашей территории"))
                #expect(page.contains("<td>schools.csv</td><td class=\"num\">3</td><td>school_id</td><td>школа «0901» относится к другому региону"))
                #expect(page.contains("<td>results.csv</td><td class=\"num\">3</td><td>school_id</td><td>школа «0901» относится к другому региону"))
                #expect(try await f.db.counts().results == 0)
                // Schools of any of its municipalities go through.
                let own = String(buffer: try await browser.upload([("results.csv", "\(Self.header)\n2025,vpr,math,5,0101,000123,12,4,5\n2025,vpr,math,5,0201,000125,9,3,3")],
                                                                  csrf: try await browser.csrf()).body)
                #expect(own.contains("Подтвердить импорт"))
            }
        }
    }

    @Test func aMunicipalityUploadsOnlyAboutItsOwnSchools() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("municipality")
                let response = try await browser.upload([
                    ("schools.csv", """
                        school_id,name,municipality,region,settlement,kind,students
                        0104,МБОУ «СОШ № 4»,Лебедянский район,Демонстрационная область,urban,general,300
                        0201,МКОУ «ООШ с. Покровка»,город Заречный,Демонстрационная область,rural,general,45
                        """),
                    ("results.csv", """
                        \(Self.header)
                        2025,vpr,math,5,0101,000123,12,4,5
                        2025,vpr,math,5,0201,000124,3,2,3
                        """),
                ], csrf: try await browser.csrf())
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("<td>schools.csv</td><td class=\"num\">2</td><td>municipality</td><td>муниципалитет «Лебедянский район» вне вашей территории"))
                #expect(page.contains("<td>schools.csv</td><td class=\"num\">3</td><td>school_id</td><td>школа «0201» относится к другому муниципалитету"))
                #expect(page.contains("<td>results.csv</td><td class=\"num\">3</td><td>school_id</td><td>школа «0201» относится к другому муниципалитету"))
                #expect(try await f.db.counts().results == 0)
                #expect(try await f.db.school(id: "0201")?.municipality == WebSample.district)

                // Its own school alone goes through.
                let own = String(buffer: try await browser.upload([("results.csv", "\(Self.header)\n2025,vpr,math,5,0101,000123,12,4,5")],
                                                                  csrf: try await browser.csrf()).body)
                #expect(own.contains("Подтвердить импорт"))
            }
        }
    }

    @Test func rolesWithoutUploadAreForbiddenAndTooBigIsAPageError() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                for login in ["viewer", "school", "curator"] {
                    let browser = Browser(client)
                    try await browser.signIn(login)
                    #expect(try await browser.request("/data").status == .forbidden)
                    #expect(try await browser.upload([("results.csv", "\(Self.header)\n2025,vpr,math,5,0101,1,12,4,5")],
                                                     csrf: try await browser.csrf()).status == .forbidden)
                    #expect(!String(buffer: try await browser.request("/").body).contains("href=\"/data\""))
                }
                let admin = Browser(client)
                try await admin.signIn("admin")
                let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: OporaRequestContext.maxUploadSize + 1)
                let response = try await admin.raw("/data/upload", body: big, contentType: "multipart/form-data; boundary=x")
                #expect(response.status == .contentTooLarge)
                #expect(String(buffer: response.body).contains("не больше 64 МБ"))
                #expect(try await admin.upload([], csrf: try await admin.csrf()).status == .badRequest)
            }
        }
    }
}
