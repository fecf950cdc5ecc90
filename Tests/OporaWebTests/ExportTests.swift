import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import OporaCore
import OporaStore
import Testing
@testable import OporaImport
@testable import OporaWeb

/// Excel downloads: what a page shows, as a workbook Excel opens; read back here with Opora's own
/// XLSX reader (the one imports go through).
@Suite("Excel downloads")
struct ExportTests {
    static func sheet(_ body: ByteBuffer) throws -> String {
        let bytes = try XLSXReader.csv(from: Data(buffer: body)).get()
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theRoadmapAndARunsFlagsAsWorkbooks() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let school = Browser(client)
                try await school.signIn("school")
                let csrf = try await school.csrf()
                let created = try await school.request("/schools/0101/programmes", .post, form: ["csrf": csrf, "template": "anti-risk-staff-shortage"])
                let programme = created.headers[.location] ?? ""
                _ = try await school.request("\(programme)/measures", .post, form: [
                    "csrf": csrf, "section": "staff", "title": "Приказ «о наставничестве» & <план>", "deadline": "2027-03-31",
                    "responsible": "директор", "expected_result": "приказ\u{0001}"])
                #expect(String(buffer: try await school.request(programme).body).contains("roadmap.xlsx"))
                let download = try await school.request("\(programme)/roadmap.xlsx")
                #expect(download.status == .ok && download.headers[.contentType] == Spreadsheet.contentType)
                #expect(download.headers[.contentDisposition]?.contains("opora-roadmap-") == true)
                let text = try Self.sheet(download.body)
                #expect(text.hasPrefix("Раздел,Мероприятие,Срок,Ближайший срок,Ответственный,Ожидаемый результат,Показатель,Статус,Подтверждение"))
                #expect(text.contains("Приказ «о наставничестве» & <план>") && text.contains("31.03.2027") && text.contains("запланировано"))

                // Another school's roadmap is not there.
                let hash = try await Passwords.hash(WebSample.password, cost: 4)
                _ = try await f.db.createUser(UserRecord(login: "school2", passwordHash: hash, role: .school, territoryKind: .school, territory: "0201"),
                                              actor: .commandLine)
                let other = Browser(client)
                try await other.signIn("school2")
                #expect(try await other.request("\(programme)/roadmap.xlsx").status == .notFound)

                // A run's flags: codes stay text (leading zeros), values are numbers, filtered like the page.
                let region = Browser(client)
                try await region.signIn("region")
                let run = try await region.request("/identification/runs/\(f.runID)/xlsx")
                #expect(run.status == .ok)
                let flags = try Self.sheet(run.body)
                #expect(flags.hasPrefix(IdentificationResultHeader.csv))
                #expect(flags.contains("\n0101,") && !flags.contains("\n101,"))
                // Another school's account gets the run only as far as its own school.
                let scoped = try await other.request("/identification/runs/\(f.runID)/xlsx")
                if scoped.status == .ok { #expect(!(try Self.sheet(scoped.body)).contains("0101")) }
            }
        }
    }

    @Test func namesAndTextsExcelWouldRefuseAreMadeSafe() {
        #expect(SpreadsheetColumn.name(0) == "A" && SpreadsheetColumn.name(25) == "Z" && SpreadsheetColumn.name(26) == "AA" && SpreadsheetColumn.name(701) == "ZZ")
        #expect(SpreadsheetColumn.name(16383) == "XFD")
        #expect(Spreadsheet.validSheetName("План: школа [1]/2026 и ещё очень длинное название") == "План школа 12026 и ещё очень дл")
        #expect(Spreadsheet.escape("a\u{0001}<b>&\"'\tc") == "a&lt;b&gt;&amp;&quot;&#39;\tc")
    }
}

enum IdentificationResultHeader {
    static let csv = "school_id,name,municipality,category,criterion,year,procedures,value,threshold,n,strength,q_value,text_ru,text_en"
}
