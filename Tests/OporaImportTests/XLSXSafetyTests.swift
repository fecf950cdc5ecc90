import Foundation
import OporaCore
import Testing
@testable import OporaImport

/// Files that crashed, hung or blew the memory of the old reader (Tests/Fixtures/repro, copied
/// from shared/repro), and hand-made damage: each must be refused quickly with a message.
@Suite struct XLSXSafetyTests {
    static let reproFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/repro")

    static let reproFiles: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: reproFolder.path)) ?? [])
        .filter { $0.hasSuffix(".xlsx") }.sorted()

    /// Runs the reader on its own thread: nil when it has not answered within `seconds` (a hang
    /// then fails the test instead of stalling the run).
    static func csvWithin(_ seconds: Double, _ data: Data, limits: XLSXLimits = .standard) -> Result<[UInt8], LocalizedTextError>? {
        final class Box: @unchecked Sendable { var result: Result<[UInt8], LocalizedTextError>? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = XLSXReader.csv(from: data, limits: limits)
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return box.result
    }

    /// The refusal's Russian and English text, or nil when the workbook was read.
    static func refusal(_ data: Data, limits: XLSXLimits = .standard, sourceLocation: SourceLocation = #_sourceLocation) -> LocalizedText? {
        guard let result = csvWithin(10, data, limits: limits) else {
            Issue.record("no answer within 10 s", sourceLocation: sourceLocation)
            return nil
        }
        switch result {
        case .success: return nil
        case .failure(let e): return e.message
        }
    }

    static func peakRSSKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    @Test func theReproFilesAreThere() {
        #expect(Self.reproFiles.count >= 12)
        #expect(FileManager.default.fileExists(atPath: Self.reproFolder.appendingPathComponent("README.md").path))
    }

    @Test(arguments: XLSXSafetyTests.reproFiles) func reproFileIsRefused(_ name: String) throws {
        let data = try Data(contentsOf: Self.reproFolder.appendingPathComponent(name))
        let before = Self.peakRSSKiB()
        let start = ContinuousClock.now
        let text = try #require(Self.refusal(data), "\(name) was read")
        #expect(ContinuousClock.now - start < .seconds(5), "\(name) took too long")
        #expect(text.ru.hasPrefix("не удаётся прочитать книгу Excel (.xlsx): "))
        #expect(text.en.hasPrefix("cannot read the Excel workbook (.xlsx): "))
        #expect(text.ru.utf8.count < 400)
        if let before, let after = Self.peakRSSKiB() {
            #expect(after - before < 300_000, "\(name): peak memory grew by \(after - before) KiB")
        }
        let expected: [String: String] = [
            "bomb_sheet_1024MB.xlsx": "книга распаковывается в слишком большой объём (больше 256 МБ)",
            "min_row1e9.xlsx": "строка 1\u{202F}000\u{202F}000\u{202F}000 — больше предела Excel (1\u{202F}048\u{202F}576)",
            "t_rowgap_1e9.xlsx": "строка 1\u{202F}000\u{202F}000\u{202F}000 — больше предела Excel (1\u{202F}048\u{202F}576)",
            "repro_hang_230.xlsx": "часть xl/_rels/workbook.xml.rels повреждена",
        ]
        if let reason = expected[name] { #expect(text.ru.contains(reason), "\(name): \(text.ru)") }
        if name.contains("rowmax") || name.contains("4e18") { #expect(text.ru.contains("больше предела Excel"), "\(name): \(text.ru)") }
        if name.contains("segv") || name.contains("sigill") { #expect(text.ru.contains("повреждена"), "\(name): \(text.ru)") }
    }

    // MARK: - Hand-made damage

    static func workbook(_ rows: String, shared: [String] = []) throws -> [UInt8] {
        try makeXLSX(sheets: [("Лист1", "worksheets/sheet1.xml", rows)], shared: shared)
    }

    static let plainRows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a</t></is></c><c r=\"B1\"><v>1</v></c></row>"
        + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>b</t></is></c><c r=\"B2\"><v>2</v></c></row>"

    static func reason(_ bytes: [UInt8], limits: XLSXLimits = .standard, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        refusal(Data(bytes), limits: limits, sourceLocation: sourceLocation)?.ru ?? "(read)"
    }

    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

    /// Offset of the end-of-central-directory record.
    static func eocd(_ b: [UInt8]) throws -> Int {
        var found: Int?
        for i in stride(from: b.count - 22, through: 0, by: -1) where b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 5 && b[i + 3] == 6 {
            found = i
            break
        }
        return try #require(found)
    }

    /// Offset of the central directory entry of `name`.
    static func central(_ b: [UInt8], _ name: String) throws -> Int {
        let n = Array(name.utf8)
        var found: Int?
        for i in 0..<(b.count - 46 - n.count) where b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 1 && b[i + 3] == 2 {
            let length = Int(b[i + 28]) | Int(b[i + 29]) << 8
            if length == n.count, Array(b[(i + 46)..<(i + 46 + n.count)]) == n {
                found = i
                break
            }
        }
        return try #require(found)
    }

    static func patch(_ b: inout [UInt8], _ at: Int, _ bytes: [UInt8]) {
        b.replaceSubrange(at..<(at + bytes.count), with: bytes)
    }

    @Test func aValidWorkbookIsStillRead() throws {
        let csv = try #require(Self.csvWithin(10, Data(try Self.workbook(Self.plainRows)))).get()
        #expect(String(decoding: csv, as: UTF8.self) == "a,1\nb,2\n")
    }

    @Test func theUnpackedSizeCapIsASetting() {
        #expect(XLSXLimits.fromEnvironment([:]).maxTotalBytes == 256 << 20)
        let raised = XLSXLimits.fromEnvironment(["OPORA_XLSX_MAX_UNPACKED_MB": "1024"])
        #expect(raised.maxPartBytes == 1 << 30 && raised.maxTotalBytes == 1 << 30 && raised.maxOutputBytes == 1 << 30)
        for ignored in ["0", "-5", "lots", "", "99999999999"] {
            #expect(XLSXLimits.fromEnvironment(["OPORA_XLSX_MAX_UNPACKED_MB": ignored]).maxTotalBytes == 256 << 20)
        }
    }

    @Test func truncatedFile() throws {
        let b = try Self.workbook(Self.plainRows)
        #expect(Self.reason(Array(b.prefix(b.count / 2))).contains("файл повреждён или это не ZIP-архив"))
        #expect(Self.reason(Array(b.prefix(30))).contains("файл повреждён или это не ZIP-архив"))
        #expect(Self.reason(Array(b.prefix(4))).contains("файл повреждён или это не ZIP-архив"))
    }

    @Test func badEndOfCentralDirectory() throws {
        var b = try Self.workbook(Self.plainRows)
        let e = try Self.eocd(b)
        var offset = b
        Self.patch(&offset, e + 16, Self.le32(0xFFFF_FFF0)) // central directory beyond the file
        #expect(Self.reason(offset).contains("файл повреждён или это не ZIP-архив"))
        var size = b
        Self.patch(&size, e + 12, Self.le32(0xFFFF_FF00))
        #expect(Self.reason(size).contains("файл повреждён или это не ZIP-архив"))
        var zip64 = b
        Self.patch(&zip64, e + 16, Self.le32(0xFFFF_FFFF))
        #expect(Self.reason(zip64).contains("ZIP64"))
        Self.patch(&b, e + 20, Self.le16(60000)) // a comment longer than the file has
        #expect(Self.reason(b).contains("файл повреждён или это не ZIP-архив"))
    }

    @Test func hugeEntryCount() throws {
        var b = try Self.workbook(Self.plainRows)
        let e = try Self.eocd(b)
        Self.patch(&b, e + 8, Self.le16(0xFFFE) + Self.le16(0xFFFE))
        #expect(Self.reason(b).contains("в архиве больше 10\u{202F}000 частей"))
        var limits = XLSXLimits()
        limits.maxEntries = 100_000
        #expect(Self.reason(b, limits: limits).contains("файл повреждён или это не ZIP-архив")) // not that many entries there
    }

    @Test func truncatedDeflateStream() throws {
        var b = try Self.workbook(Self.plainRows)
        let c = try Self.central(b, "xl/worksheets/sheet1.xml")
        Self.patch(&b, c + 20, Self.le32(10)) // only the first 10 compressed bytes
        #expect(Self.reason(b).contains("часть xl/worksheets/sheet1.xml повреждена"))
    }

    @Test func corruptDeflateStreamAndWrongSizes() throws {
        let good = try Self.workbook(Self.plainRows)
        let c = try Self.central(good, "xl/worksheets/sheet1.xml")
        let local = Int(good[c + 42]) | Int(good[c + 43]) << 8 | Int(good[c + 44]) << 16 | Int(good[c + 45]) << 24
        let start = local + 30 + Int(good[local + 26]) + Int(good[local + 28])
        var garbage = good
        for i in start..<(start + 40) { garbage[i] ^= 0x5A }
        #expect(Self.reason(garbage).contains("часть xl/worksheets/sheet1.xml повреждена"))
        var smaller = good // more output than declared
        Self.patch(&smaller, c + 24, Self.le32(20))
        #expect(Self.reason(smaller).contains("часть xl/worksheets/sheet1.xml повреждена"))
        var larger = good // the stream ends before the declared size
        Self.patch(&larger, c + 24, Self.le32(100_000))
        #expect(Self.reason(larger).contains("часть xl/worksheets/sheet1.xml повреждена"))
        var crc = good
        crc[c + 16] ^= 0xFF
        #expect(Self.reason(crc).contains("часть xl/worksheets/sheet1.xml повреждена"))
        var method = good
        Self.patch(&method, c + 10, Self.le16(12)) // bzip2
        #expect(Self.reason(method).contains("сжата неподдерживаемым способом"))
    }

    @Test func localHeaderOffsetBeyondTheFile() throws {
        for offset: UInt32 in [0xFFFF_FFF0, 0x7FFF_FFFF, 3] {
            var b = try Self.workbook(Self.plainRows)
            let c = try Self.central(b, "xl/worksheets/sheet1.xml")
            Self.patch(&b, c + 42, Self.le32(offset))
            #expect(Self.reason(b).contains("часть xl/worksheets/sheet1.xml повреждена"))
        }
    }

    @Test func sharedStringIndexOutOfRange() throws {
        for index in ["99", "-1", "99999999999999999999999"] {
            let b = try Self.workbook("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>\(index)</v></c></row>", shared: ["<si><t>x</t></si>"])
            #expect(Self.reason(b).contains("несуществующую общую строку «\(index.prefix(24))"))
        }
    }

    @Test func badRowNumbers() throws {
        #expect(Self.reason(try Self.workbook("<row r=\"0\"><c r=\"A1\"><v>1</v></c></row>")).contains("неверный номер строки «0»"))
        #expect(Self.reason(try Self.workbook("<row r=\"A\"><c r=\"A1\"><v>1</v></c></row>")).contains("неверный номер строки «A»"))
        #expect(Self.reason(try Self.workbook("<row r=\"-3\"><c r=\"A1\"><v>1</v></c></row>")).contains("неверный номер строки «-3»"))
        #expect(Self.reason(try Self.workbook("<row r=\"1048577\"><c r=\"A1\"><v>1</v></c></row>"))
            .contains("строка 1\u{202F}048\u{202F}577 — больше предела Excel (1\u{202F}048\u{202F}576)"))
        #expect(Self.reason(try Self.workbook("<row r=\"99999999999999999999999999\"><c r=\"A1\"><v>1</v></c></row>"))
            .contains("больше предела Excel"))
        #expect(Self.reason(try Self.workbook("<row><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"A1\"><v>1</v></c></row>")) == "(read)")
    }

    @Test func lastRowIsAllowedAndItsGapIsBlankLines() throws {
        let b = try Self.workbook("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"1048576\"><c r=\"A1048576\"><v>2</v></c></row>")
        let csv = try #require(Self.csvWithin(10, Data(b))).get()
        #expect(csv.count == 1_048_578)
        #expect(csv.suffix(3) == [0x0A, 0x32, 0x0A])
    }

    @Test func columnsUpToXFD() throws {
        let xfd = try #require(Self.csvWithin(10, Data(try Self.workbook("<row r=\"1\"><c r=\"XFD1\"><v>7</v></c></row>")))).get()
        #expect(xfd.count == 16_383 + 2) // 16,383 commas, the value, a newline
        #expect(Self.reason(try Self.workbook("<row r=\"1\"><c r=\"XFE1\"><v>7</v></c></row>"))
            .contains("столбец XFE — больше предела Excel (XFD, 16\u{202F}384 столбцов)"))
        #expect(Self.reason(try Self.workbook("<row r=\"1\"><c r=\"ZZZZZZZZZZZZZZZZZZZZ1\"><v>7</v></c></row>")).contains("больше предела Excel"))
        #expect(Self.reason(try Self.workbook("<row r=\"1\"><c r=\"A1048577\"><v>7</v></c></row>")).contains("больше предела Excel"))
        #expect(Self.reason(try Self.workbook("<row r=\"1\"><c r=\"1A\"><v>7</v></c></row>")).contains("неверная ссылка на ячейку «1A»"))
        #expect(Self.reason(try Self.workbook("<row r=\"1\"><c r=\"A1x\"><v>7</v></c></row>")).contains("неверная ссылка на ячейку «A1x»"))
    }

    @Test func malformedAndUnsafeXML() throws {
        #expect(Self.reason(try Self.workbook("<row r=\"1\"><c r=\"A1\"><v>1</v>")).contains("часть xl/worksheets/sheet1.xml повреждена"))
        #expect(Self.reason(try Self.workbook("<row r=\"1\"><c r=\"A1\"><v>&bogus;</v></c></row>")).contains("часть xl/worksheets/sheet1.xml повреждена"))
        // An entity declaration (a "billion laughs" start) is refused, never expanded.
        let text = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>&lol2;</v></c></row></sheetData></worksheet>"
        var sheet = SheetParser(shared: [], limits: .standard)
        #expect(throws: XLSXReader.Failure.self) { try XMLStream.read(Array(text.utf8), part: "p", into: &sheet) }
        #expect(sheet.output.isEmpty)
        var garbage = SheetParser(shared: [], limits: .standard)
        #expect(throws: XLSXReader.Failure.self) { try XMLStream.read([0x3C, 0x00, 0xFF, 0x3E], part: "p", into: &garbage) }
    }

    @Test func sizeLimitsHoldWhileInflating() throws {
        let rows = (1...2000).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        let b = try Self.workbook(rows)
        var part = XLSXLimits()
        part.maxPartBytes = 10_000
        #expect(Self.reason(b, limits: part).contains("книга распаковывается в слишком большой объём"))
        var ratio = XLSXLimits()
        ratio.ratioCheckAbove = 1000
        ratio.maxCompressionRatio = 3
        #expect(Self.reason(b, limits: ratio).contains("часть xl/worksheets/sheet1.xml сжата слишком сильно (больше чем в 3 раз)"))
        var output = XLSXLimits()
        output.maxOutputBytes = 1000
        #expect(Self.reason(b, limits: output).contains("лист слишком большой"))
        var strings = XLSXLimits()
        strings.maxSharedStrings = 2
        let shared = try Self.workbook(Self.plainRows, shared: ["<si><t>a</t></si>", "<si><t>b</t></si>", "<si><t>c</t></si>"])
        #expect(Self.reason(shared, limits: strings).contains("в книге больше 2 общих строк текста"))
    }

    @Test func declaredSizeLieIsCaughtWhileInflating() throws {
        // The directory says 50 bytes; the stream holds far more: refused at 50, not after.
        let rows = (1...2000).map { "<row r=\"\($0)\"><c r=\"A\($0)\"><v>\($0)</v></c></row>" }.joined()
        var b = try Self.workbook(rows)
        let c = try Self.central(b, "xl/worksheets/sheet1.xml")
        Self.patch(&b, c + 24, Self.le32(50))
        #expect(Self.reason(b).contains("часть xl/worksheets/sheet1.xml повреждена"))
    }

    @Test func tooManyCellsInARow() throws {
        let cells = String(repeating: "<c r=\"A1\"><v>1</v></c>", count: 20)
        var limits = XLSXLimits()
        limits.maxColumns = 10
        #expect(Self.reason(try Self.workbook("<row r=\"1\">\(cells)</row>"), limits: limits).contains("в строке 1 больше 10 ячеек"))
    }
}
