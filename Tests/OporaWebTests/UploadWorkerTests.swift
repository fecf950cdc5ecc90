import Foundation
import OporaTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import OporaServices
import Testing
@testable import OporaWeb

/// Uploads are read by `opora import-worker` child processes: the files that crashed, hung or blew
/// up the server (Tests/Fixtures/repro, see its README) are refused with a problem naming the file,
/// while `/health` keeps answering.
@Suite("Uploads read in a worker process", .serialized)
struct UploadWorkerTests {
    static let repro = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/repro")

    static var workbooks: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: repro.path)) ?? []).filter { $0.hasSuffix(".xlsx") }.sorted()
    }

    @Test func everyReproWorkbookIsThere() {
        #expect(Self.workbooks.count == 13)
    }

    @Test(arguments: workbooks)
    func aBrokenWorkbookIsRefusedWhileTheServerAnswers(_ name: String) async throws {
        let bytes = try Data(contentsOf: Self.repro.appendingPathComponent(name))
        try await WebFixture.with { f in
            try await f.testLive { client in
                let browser = Browser(client)
                try await browser.signIn("admin")
                let csrf = try await browser.csrf()
                let port = try #require(client.port)
                let done = Flag()
                let upload = Task {
                    defer { done.set() }
                    return try await browser.upload(files: [(name, bytes)], csrf: csrf)
                }
                // The server answers on another connection while the worker reads the file.
                try await TestClient.withClient(host: "localhost", port: port) { health in
                    repeat {
                        let response = try await health.get("/health")
                        #expect(response.status == .ok)
                        try await Task.sleep(for: .milliseconds(100))
                    } while !done.isSet
                }
                let response = try await upload.value
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("<td>\(name)</td>"), "\(page)")
                #expect(page.contains("Импорт отменён"))
                #expect(try await client.execute(uri: "/health", method: .get, headers: [:], body: nil).status == .ok)
            }
        }
    }

    @Test func aValidWorkbookIsPreviewedAndImported() async throws {
        let workbook = try Self.workbook(rows: [
            ["year", "assessment", "subject", "grade", "school_id", "student_id", "score", "mark", "journal_mark"],
            ["2025", "vpr", "math", "5", "0101", "000123", "12", "4", "5"],
        ])
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("admin")
                let preview = try await browser.upload(files: [("results.xlsx", workbook)], csrf: try await browser.csrf())
                #expect(preview.status == .ok)
                let page = String(buffer: preview.body)
                #expect(page.contains("<td>results.xlsx</td>") && page.contains("1 результат участников"), "\(page)")
                let confirm = try #require(UploadPageTests.confirmAction(page))
                let done = try await browser.request(confirm, .post, form: ["csrf": try await browser.csrf()])
                #expect(done.status == .ok)
                #expect(try await f.db.counts().results == 1)
                // The audit trail names the uploader, as when the server stored the upload itself.
                #expect(String(buffer: try await browser.request("/data").body).contains("<td>admin</td><td>results.xlsx (results, 1)</td>"))
            }
        }
    }

    @Test func aCrashAmongSeveralFilesIsBlamedOnTheWorkbook() async throws {
        let bad = try Data(contentsOf: Self.repro.appendingPathComponent("min_segv.xlsx"))
        try await WebFixture.with { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("admin")
                let response = try await browser.upload(files: [
                    ("results.csv", Data("\(UploadPageTests.header)\n2025,vpr,math,5,0101,000123,12,4,5".utf8)), ("min_segv.xlsx", bad),
                ], csrf: try await browser.csrf())
                #expect(response.status == .unprocessableContent)
                let page = String(buffer: response.body)
                #expect(page.contains("<td>min_segv.xlsx</td>"))
                #expect(!page.contains("<td>results.csv</td>"))
            }
        }
    }

    @Test func aWorkerThatCannotStartIsAPageNotACrash() async throws {
        var settings = BuiltOpora.workerSettings
        settings.executable = "/nonexistent/opora"
        try await WebFixture.with(importWorker: settings) { f in
            try await f.test { client in
                let browser = Browser(client)
                try await browser.signIn("admin")
                let response = try await browser.upload([("results.csv", "\(UploadPageTests.header)\n2025,vpr,math,5,0101,000123,12,4,5")],
                                                        csrf: try await browser.csrf())
                #expect(response.status == .unprocessableContent)
                #expect(String(buffer: response.body).contains("сервер не смог начать обработку"))
            }
        }
    }

    /// A one-sheet workbook (Opora's own Excel export), every cell text.
    static func workbook(rows: [[String]]) throws -> Data {
        var sheet = Spreadsheet(sheetName: "results", header: rows[0])
        sheet.rows = rows.dropFirst().map { $0.map { .text($0) } }
        return try sheet.data()
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

extension Browser {
    /// Posts files of any bytes as a browser's upload form does.
    func upload(files: [(name: String, bytes: Data)], csrf: String, uri: String = "/data/upload") async throws -> TestResponse {
        let boundary = "----OporaTest\(UUID().uuidString)"
        var body = ByteBuffer(string: "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n")
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\(file.name)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            body.writeBytes(file.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return try await raw(uri, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}
