import Foundation
import OporaCore
import Testing
import ZIPFoundation
@testable import OporaImport

/// A minimal .xlsx: the given sheets (name, file under xl/, sheet XML rows) and shared strings.
/// The workbook lists the sheets in the given order; their relationship ids are deliberately in
/// reverse so that the first sheet is found through the relationships, not by file name.
func makeXLSX(sheets: [(name: String, file: String, rows: String)], shared: [String] = []) throws -> [UInt8] {
    let archive = try Archive(data: Data(), accessMode: .create)
    func add(_ path: String, _ text: String) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
    let ids = sheets.indices.map { "rId\(sheets.count - $0 + 1)" }
    try add("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        \(sheets.map { "<Override PartName=\"/xl/\($0.file)\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
        <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
        </Types>
        """)
    try add("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        </Relationships>
        """)
    try add("xl/workbook.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
        \(zip(sheets, ids).enumerated().map { "<sheet name=\"\($1.0.name)\" sheetId=\"\($0 + 1)\" r:id=\"\($1.1)\"/>" }.joined())\
        </sheets></workbook>
        """)
    try add("xl/_rels/workbook.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        \(zip(sheets, ids).map { "<Relationship Id=\"\($1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"\($0.file)\"/>" }.joined())\
        </Relationships>
        """)
    try add("xl/sharedStrings.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="\(shared.count)" uniqueCount="\(shared.count)">\
        \(shared.joined())</sst>
        """)
    for sheet in sheets {
        try add("xl/\(sheet.file)", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\(sheet.rows)</sheetData></worksheet>
            """)
    }
    return [UInt8](try #require(archive.data))
}

@Suite struct XLSXTests {
    /// Shared strings: plain, rich text runs (with a phonetic run that must be ignored), escaped.
    static let shared = [
        "<si><t>Год</t></si>", // 0
        "<si><t>Процедура</t></si>", // 1
        "<si><t>Предмет</t></si>", // 2
        "<si><t>ОО</t></si>", // 3
        "<si><t>Муниципалитет</t></si>", // 4
        "<si><r><rPr><b/></rPr><t>Код </t></r><r><t>участника</t></r><rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></si>", // 5
        "<si><t>Класс</t></si>", // 6
        "<si><t>Вариант</t></si>", // 7
        "<si><t>Первичный балл</t></si>", // 8
        "<si><t>Отметка</t></si>", // 9
        "<si><t>Отметка по журналу</t></si>", // 10
        "<si><t>ВПР</t></si>", // 11
        "<si><t>Математика</t></si>", // 12
        "<si><t>Грязинский</t></si>", // 13
        "<si><t>00123</t></si>", // 14
        "<si><t>5А</t></si>", // 15
        "<si><t>00124</t></si>", // 16
    ]

    /// «Ф1»-like: A Год, B Процедура, C Предмет, D ОО, E Муниципалитет, F Код участника, G Класс,
    /// H Вариант, I 1, J 2, K 3(1), L Первичный балл, M Отметка, N Отметка по журналу.
    static func resultsRows(mark3: String = "4", journal5: String = "4") -> String {
        let header = (0...10).map { i in
            let col = String(UnicodeScalar(UInt8(65 + (i < 8 ? i : i + 3))))
            return "<c r=\"\(col)1\" t=\"s\"><v>\(i)</v></c>"
        }.joined()
        let tasks = ["1", "2", "3(1)"].enumerated().map { i, t in
            "<c r=\"\(["I", "J", "K"][i])1\" t=\"inlineStr\"><is><t>\(t)</t></is></c>"
        }.joined()
        func row(_ r: Int, participant: Int, cells: String) -> String {
            "<row r=\"\(r)\"><c r=\"A\(r)\"><v>2025</v></c><c r=\"B\(r)\" t=\"s\"><v>11</v></c><c r=\"C\(r)\" t=\"s\"><v>12</v></c>"
                + "<c r=\"D\(r)\" t=\"inlineStr\"><is><t>0001</t></is></c><c r=\"E\(r)\" t=\"s\"><v>13</v></c>"
                + "<c r=\"F\(r)\" t=\"s\"><v>\(participant)</v></c><c r=\"G\(r)\" t=\"s\"><v>15</v></c><c r=\"H\(r)\"><v>2</v></c>"
                + cells + "</row>"
        }
        return "<row r=\"1\">\(header)\(tasks)</row>"
            // Row 2: no J2 cell (task 2 missing); the score is a formula result stored with float noise.
            + row(2, participant: 14, cells: "<c r=\"I2\"><v>1</v></c><c r=\"K2\"><v>1.5</v></c>"
                + "<c r=\"L2\"><f>I2+K2+10</f><v>12.500000000000002</v></c><c r=\"M2\"><v>4</v></c><c r=\"N2\"><v>5</v></c>")
            + row(3, participant: 16, cells: "<c r=\"I3\"><v>0</v></c><c r=\"J3\"><v>1</v></c><c r=\"K3\"><v>2</v></c>"
                + "<c r=\"L3\"><v>9</v></c><c r=\"M3\" t=\"str\"><v>\(mark3)</v></c><c r=\"N3\"><v>3</v></c>")
            // Row 4 is missing altogether; row 5 has a styled empty cell and a text mark.
            + "<row r=\"5\"><c r=\"A5\"><v>2025</v></c><c r=\"B5\" t=\"s\"><v>11</v></c><c r=\"C5\" t=\"s\"><v>12</v></c>"
            + "<c r=\"D5\" t=\"inlineStr\"><is><t>0001</t></is></c><c r=\"F5\" t=\"inlineStr\"><is><t>00125</t></is></c>"
            + "<c r=\"G5\"><v>5</v></c><c r=\"H5\" s=\"1\"/><c r=\"L5\"><v>1.2E1</v></c><c r=\"M5\"><v>3</v></c>"
            + "<c r=\"N5\" t=\"inlineStr\"><is><t>\(journal5)</t></is></c></row>"
    }

    @Test func resultsSheetIsRead() throws {
        let bytes = try makeXLSX(sheets: [("Ф1 Индивидуальные результаты", "worksheets/sheet1.xml", Self.resultsRows())], shared: Self.shared)
        let batch = try #require(runBytes([("Ф1.xlsx", bytes)], context: knownSchools).batch)
        #expect(batch.results.count == 3)
        #expect(batch.files.first?.kind == .results)
        let r = batch.results.sorted { $0.participant < $1.participant }
        #expect(r.map(\.participant) == ["00123", "00124", "00125"])
        #expect(r[0].procedure == Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5))
        #expect(r[0].schoolID == "0001")
        #expect(r[0].score == 12.5)
        #expect(r[0].mark == 4)
        #expect(r[0].journalMark == 5)
        #expect(r[0].taskScores.map(\.task) == ["1", "3(1)"]) // the gap cell is an empty, missing score
        #expect(r[0].taskScores.map(\.score) == [1, 1.5])
        #expect(r[1].taskScores.map(\.score) == [0, 1, 2])
        #expect(r[2].score == 12)
        #expect(r[2].journalMark == 4)
    }

    @Test func problemsNameSpreadsheetRowsAndHeaders() throws {
        let bytes = try makeXLSX(sheets: [("Ф1", "worksheets/sheet1.xml", Self.resultsRows(mark3: "7", journal5: "1"))], shared: Self.shared)
        #expect(runBytes([("file.xlsx", bytes)], context: knownSchools).lines == [
            "file.xlsx:3:Отметка: отметка «7» вне диапазона 2–5 / mark «7» is outside 2–5",
            "file.xlsx:5:Отметка по журналу: отметка по журналу «1» вне диапазона 2–5 / journal mark «1» is outside 2–5",
        ])
    }

    @Test func csvOfTheSheet() throws {
        let bytes = try makeXLSX(sheets: [("Ф1", "worksheets/sheet1.xml", Self.resultsRows())], shared: Self.shared)
        let csv = try XLSXReader.csv(from: Data(bytes)).get()
        let lines = String(decoding: csv, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "Год,Процедура,Предмет,ОО,Муниципалитет,Код участника,Класс,Вариант,1,2,3(1),Первичный балл,Отметка,Отметка по журналу")
        #expect(lines[1] == "2025,ВПР,Математика,0001,Грязинский,00123,5А,2,1,,1.5,12.5,4,5")
        #expect(lines[3] == "") // row 4 keeps its place
        #expect(lines[4] == "2025,ВПР,Математика,0001,,00125,5,,,,,12,3,4")
    }

    @Test func schoolsSheetWithQuotingAndFirstSheetByWorkbookOrder() throws {
        let shared = ["<si><t>Код ОО</t></si>", "<si><t>Наименование</t></si>", "<si><t>Муниципалитет</t></si>",
                      "<si><t>Регион</t></si>", "<si><t>Тип поселения</t></si>", "<si><t>Вид ОО</t></si>",
                      "<si><t>Число обучающихся</t></si>",
                      "<si><t>МБОУ \"Школа №1\", филиал;\nс. Ключи</t></si>", "<si><t>Тербуны</t></si>"]
        let header = (0...6).map { "<c r=\"\(String(UnicodeScalar(UInt8(65 + $0))))1\" t=\"s\"><v>\($0)</v></c>" }.joined()
        let rows = "<row r=\"1\">\(header)</row><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>0017</t></is></c>"
            + "<c r=\"B2\" t=\"s\"><v>7</v></c><c r=\"C2\" t=\"s\"><v>8</v></c><c r=\"D2\" t=\"inlineStr\"><is><t>Липецкая</t></is></c>"
            + "<c r=\"E2\" t=\"inlineStr\"><is><t>сельская</t></is></c><c r=\"F2\" t=\"inlineStr\"><is><t>СОШ</t></is></c>"
            + "<c r=\"G2\"><v>120</v></c></row>"
        let other = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>не тот лист</t></is></c></row>"
        let bytes = try makeXLSX(sheets: [("Школы", "worksheets/schools.xml", rows), ("Другой", "worksheets/sheet1.xml", other)], shared: shared)
        let s = try #require(runBytes([("schools.xlsx", bytes)]).batch?.schools.first)
        #expect(s.id == "0017")
        #expect(s.name == "МБОУ \"Школа №1\", филиал;\nс. Ключи")
        #expect(s.municipality == "Тербуны")
        #expect(s.settlement == .rural)
        #expect(s.students == 120)
    }

    @Test func corruptWorkbookIsAProblem() {
        let bytes: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0xAB, count: 200)
        #expect(runBytes([("bad.xlsx", bytes)]).lines == [
            "bad.xlsx: не удаётся прочитать книгу Excel (.xlsx): файл повреждён или это не ZIP-архив; сохраните первый лист как CSV (UTF-8 или Windows-1251) / cannot read the Excel workbook (.xlsx): the file is damaged or not a ZIP archive; save the first sheet as CSV (UTF-8 or Windows-1251)",
        ])
    }

    @Test func zipWithoutWorkbookAndDamagedSheetAreProblems() throws {
        let archive = try Archive(data: Data(), accessMode: .create)
        let text = Data("hello".utf8)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(text.count)) { p, n in text.subdata(in: Int(p)..<Int(p) + n) }
        #expect(runBytes([("a.xlsx", [UInt8](try #require(archive.data)))]).lines == [
            "a.xlsx: не удаётся прочитать книгу Excel (.xlsx): в архиве нет книги Excel (xl/workbook.xml); сохраните первый лист как CSV (UTF-8 или Windows-1251) / cannot read the Excel workbook (.xlsx): the archive has no Excel workbook (xl/workbook.xml); save the first sheet as CSV (UTF-8 or Windows-1251)",
        ])
        let broken = try makeXLSX(sheets: [("Ф1", "worksheets/sheet1.xml", "<row r=\"1\"><c r=\"A1\"><v>1</v></row>")])
        #expect(runBytes([("b.xlsx", broken)]).lines == [
            "b.xlsx: не удаётся прочитать книгу Excel (.xlsx): часть xl/worksheets/sheet1.xml повреждена; сохраните первый лист как CSV (UTF-8 или Windows-1251) / cannot read the Excel workbook (.xlsx): part xl/worksheets/sheet1.xml is damaged; save the first sheet as CSV (UTF-8 or Windows-1251)",
        ])
        let empty = try makeXLSX(sheets: [("Ф1", "worksheets/sheet1.xml", "")])
        #expect(runBytes([("c.xlsx", empty)]).lines == ["c.xlsx: файл пуст / the file is empty"])
    }

    @Test func folderIncludesWorkbooks() throws {
        let bytes = try makeXLSX(sheets: [("Ф1", "worksheets/sheet1.xml", Self.resultsRows())], shared: Self.shared)
        let paths = write([("r.xlsx", bytes), ("~$r.xlsx", [0x01, 0x02])])
        let folder = (paths[0] as NSString).deletingLastPathComponent
        let batch = try Importer.validate(paths: [folder], context: knownSchools)
        #expect(batch.results.count == 3)
    }

    @Test func numbersAreWrittenWithoutExponents() {
        #expect(XLSXReader.formatNumber("12") == "12")
        #expect(XLSXReader.formatNumber("12.5") == "12.5")
        #expect(XLSXReader.formatNumber("-3") == "-3")
        #expect(XLSXReader.formatNumber("12.500000000000002") == "12.5")
        #expect(XLSXReader.formatNumber("0.35000000000000003") == "0.35")
        #expect(XLSXReader.formatNumber("1.2E1") == "12")
        #expect(XLSXReader.formatNumber("1.5E-7") == "0.00000015")
        #expect(XLSXReader.formatNumber("1E+20") == "100000000000000000000")
    }

    @Test func escapedCharacters() {
        #expect(XLSXReader.unescape("a_x000D_b") == "a\rb")
        #expect(XLSXReader.unescape("_x_y") == "_x_y")
    }
}
