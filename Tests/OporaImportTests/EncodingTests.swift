import Foundation
import OporaCore
import Testing
@testable import OporaImport

@Suite struct EncodingTests {
    let header = "school_id,name,municipality,region,settlement,kind,students\n"

    @Test func utf8WithBOM() throws {
        let r = runBytes([("s.csv", [0xEF, 0xBB, 0xBF] + utf8(header + "0001,Школа,Липецк,Липецкая,город,СОШ,10\n"))])
        let s = try #require(r.batch?.schools.first)
        #expect(s.id == "0001")
        #expect(s.name == "Школа")
        #expect(s.settlement == .urban)
    }

    @Test func windows1251KnownBytes() throws {
        // "Школа" in Windows-1251 is D8 EA EE EB E0; "Ёлкино" starts with A8 (Ё); «№» is B9.
        let row = utf8("0001,") + [0xD8, 0xEA, 0xEE, 0xEB, 0xE0, 0x20, 0xB9, 0x31] + utf8(",") + [0xA8, 0xEB, 0xEA, 0xE8, 0xED, 0xEE]
            + utf8(",R,") + [0xF1, 0xE5, 0xEB, 0xEE] + utf8(",general,5\r\n")
        let r = runBytes([("s.csv", utf8(header) + row)])
        let s = try #require(r.batch?.schools.first)
        #expect(s.name == "Школа №1")
        #expect(s.municipality == "Ёлкино")
        #expect(s.settlement == .rural)
    }

    @Test func windows1251TableCoversCyrillic() {
        let text = "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюяЁё№«»–—"
        let bytes = cp1251(text)
        #expect(bytes.count == text.count)
        #expect(bytes.first == 0xC0 && bytes[32] == 0xE0)
        let back = bytes.withUnsafeBufferPointer { TextDecoding.transcode1251($0) }
        #expect(String(decoding: back, as: UTF8.self) == text)
    }

    @Test func windows1251Header() throws {
        let csv = "Код ОО;Наименование;Муниципалитет;Регион;Тип поселения;Вид ОО;Число обучающихся\n0001;Гимназия;Тербуны;Липецкая;сельская;гимназия;120\n"
        let s = try #require(runBytes([("s.csv", cp1251(csv))]).batch?.schools.first)
        #expect(s.kind == .gymnasium)
        #expect(s.students == 120)
    }

    @Test func utf16IsRefused() {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for b in utf8(header) { bytes += [b, 0] }
        #expect(runBytes([("s.csv", bytes)]).lines == [
            "s.csv: файл в кодировке UTF-16: сохраните его как CSV в UTF-8 или Windows-1251 / the file is in UTF-16: save it as CSV in UTF-8 or Windows-1251",
        ])
    }

    @Test func nulBytesAreRefused() {
        #expect(runBytes([("s.csv", utf8(header) + [0x30, 0x00, 0x31])]).lines == [
            "s.csv: файл не похож на текст (в нём есть двоичные данные): сохраните его как CSV в UTF-8 или Windows-1251 / the file does not look like text (it contains binary data): save it as CSV in UTF-8 or Windows-1251",
        ])
    }

    @Test func truncatedXLSXIsAProblem() {
        // Workbooks are read (XLSXTests); a ZIP signature without a readable archive is reported.
        #expect(runBytes([("results.xlsx", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00])]).lines == [
            "results.xlsx: не удаётся прочитать книгу Excel (.xlsx): файл повреждён или это не ZIP-архив; сохраните первый лист как CSV (UTF-8 или Windows-1251) / cannot read the Excel workbook (.xlsx): the file is damaged or not a ZIP archive; save the first sheet as CSV (UTF-8 or Windows-1251)",
        ])
    }

    @Test func oldExcelIsRefused() {
        #expect(runBytes([("r.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])]).lines == [
            "r.xls: это книга Excel (.xls), а не CSV: сохраните её как CSV (UTF-8 или Windows-1251) / this is an Excel workbook (.xls), not CSV: save it as CSV (UTF-8 or Windows-1251)",
        ])
    }

    @Test func emptyFileIsRefused() {
        #expect(runBytes([("s.csv", [])]).lines == ["s.csv: файл пуст / the file is empty"])
        #expect(runBytes([("s.csv", utf8("\r\n\n"))]).lines == ["s.csv: файл пуст / the file is empty"])
    }

    @Test func headerOnlyIsRefused() {
        #expect(run([("s.csv", header)]).lines == [
            "s.csv: в файле есть заголовок, но нет ни одной строки данных / the file has a header but no data rows",
        ])
    }

    @Test func utf8Validation() {
        let ok = utf8("ё €")
        let overlong: [UInt8] = [0xC0, 0xAF]
        let truncated: [UInt8] = [0x41, 0xD0]
        let surrogate: [UInt8] = [0xED, 0xA0, 0x80]
        #expect(ok.withUnsafeBufferPointer { TextDecoding.scan($0) } == .utf8)
        #expect(overlong.withUnsafeBufferPointer { TextDecoding.scan($0) } == .notUTF8)
        #expect(truncated.withUnsafeBufferPointer { TextDecoding.scan($0) } == .notUTF8)
        #expect(surrogate.withUnsafeBufferPointer { TextDecoding.scan($0) } == .notUTF8)
        #expect([UInt8]([0x41, 0x01]).withUnsafeBufferPointer { TextDecoding.scan($0) } == .binary)
        // Control bytes inside whole ASCII words (checked eight at a time): line ends pass, others not.
        let line = Array("2025,vpr,math,5,0001,P1,12,4,4\r\n\t\u{0C}2025,vpr,math,5,0001,P2,3,2,2\n".utf8)
        #expect(line.withUnsafeBufferPointer { TextDecoding.scan($0) } == .utf8)
        for position in [3, 8, 13, 20] {
            var bad = line
            bad[position] = 0x01
            #expect(bad.withUnsafeBufferPointer { TextDecoding.scan($0) } == .binary, "at \(position)")
        }
    }
}
