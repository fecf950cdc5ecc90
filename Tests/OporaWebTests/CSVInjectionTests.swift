import Foundation
import Hummingbird
import HummingbirdTesting
import OporaAnalysis
import OporaCore
import OporaImport
import OporaStore
import Testing
@testable import OporaWeb

/// Issue 23: names that a spreadsheet would run as formulas (`=…`, `+…`, `-…`, `@…`) leave every CSV
/// export as text; numbers Opora writes itself stay numbers.
@Suite("CSV exports safe in spreadsheets")
struct CSVInjectionTests {
    static let repro = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/repro")

    @Test func theHelperNeutralisesFormulaTextButNotItsOwnNumbers() {
        #expect(CSVText.text("=1+1") == "'=1+1")
        #expect(CSVText.text("+7 900") == "'+7 900")
        #expect(CSVText.text("-2+3") == "'-2+3")
        #expect(CSVText.text("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVText.text("\tx") == "'\tx")
        #expect(CSVText.text("\rx") == "\"'\rx\"")
        #expect(CSVText.text("=HYPERLINK(\"a\",\"b\")") == "\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"")
        #expect(CSVText.text("МБОУ «СОШ № 1»") == "МБОУ «СОШ № 1»")
        #expect(CSVText.number("-0.25") == "-0.25")
    }

    @Test func evilSchoolNamesComeOutOfTheRunCSVAsText() async throws {
        let batch = try Importer.validate(paths: [Self.repro.appendingPathComponent("web3_schools_evil.csv").path])
        let evil = batch.schools.filter { ["0609", "0610", "0613", "0615"].contains($0.id) }
        #expect(evil.count == 4)
        try await WebFixture.with { f in
            try await f.db.store(Dataset(schools: batch.schools), source: "test")
            let entries = evil.map { s -> String in
                """
                {"school_id":"\(s.id)","name":\(WebSample.jsonString(s.name)),"municipality":\(WebSample.jsonString(s.municipality)),
                 "categories":["low_results"],"conditions":[],"flags":[{"criterion":"value_added","category":"low_results","year":2025,
                 "procedures":["vpr:math:5:2025"],"value":-0.25,"threshold":-0.2,"n":30,"text_ru":"-","text_en":"=x",
                 "strength":null,"effect":null,"p_value":null,"q_value":null}],"not_enough_data":[],"value_added":null}
                """
            }
            let json = """
                {"run":{"rules":"opora-default","rules_version":"1","rules_digest":"d","year":2025,"created":null,"data_digest":"x",
                 "schools":4,"schools_flagged":4,"category_counts":{"low_results":4},"criteria":["value_added"],"engine":"test"},
                 "schools":[\(entries.joined(separator: ","))]}
                """
            let id = try await f.db.saveIdentificationRun(
                IdentificationRunRecord(year: 2025, rulesName: "opora-default", rulesDigest: "d", rulesText: "t", dataDigest: "x", dataRecords: 1,
                                        schools: 4, flaggedSchools: 4),
                resultJSON: json, flags: [])
            try await f.test { client in
                let response = try await client.execute(uri: "/identification/runs/\(id)/csv", method: .get,
                                                        headers: [.authorization: "Bearer \(f.tokens["region"]!)"])
                #expect(response.status == .ok)
                let csv = String(buffer: response.body)
                let rows = csv.split(separator: "\n").dropFirst()
                #expect(rows.count == 4)
                for s in evil {
                    let cell = s.name.contains("\"") || s.name.contains(",") ? "\"'" + s.name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : "'" + s.name
                    #expect(csv.contains("\(s.id),\(cell),"), "\(s.name)")
                }
                // No row has a cell that starts a formula; the numbers stay numbers.
                for row in rows {
                    #expect(row.contains(",-0.25,-0.2,30,"))
                    #expect(row.hasSuffix(",'-,'=x"))
                }
            }
        }
    }
}
