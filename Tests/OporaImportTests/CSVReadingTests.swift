import Foundation
import OporaCore
import Testing
@testable import OporaImport

@Suite struct NumberTests {
    func parse(_ s: String) -> ParsedNumber { NumberParsing.parse(s) }

    @Test func accepted() {
        #expect(parse("12") == .value(12, percent: false))
        #expect(parse("12,5") == .value(12.5, percent: false))
        #expect(parse("12.5") == .value(12.5, percent: false))
        #expect(parse(" -0,25 ") == .value(-0.25, percent: false))
        #expect(parse("35%") == .value(35, percent: true))
        #expect(parse("35,5 %") == .value(35.5, percent: true))
        #expect(parse("1 234,5") == .value(1234.5, percent: false))
        #expect(parse("1\u{00A0}234") == .value(1234, percent: false))
        #expect(parse("1e3") == .value(1000, percent: false))
        #expect(parse("0.1") == .value(0.1, percent: false))
        #expect(parse("0.000012345678901234567") == .value(0.000012345678901234567, percent: false))
    }

    /// Plain digits take a shortcut; it must agree with the general reading.
    @Test func plainDigitsAsTheGeneralPath() {
        #expect(parse("0") == .value(0, percent: false))
        #expect(parse("007") == .value(7, percent: false))
        #expect(parse("123456789012345") == .value(123456789012345, percent: false))
        #expect(parse("1234567890123456") == .value(1234567890123456, percent: false))
        #expect(parse("12 ") == .value(12, percent: false))
        #expect(parse("1:") == .invalid)
    }

    @Test func missingAndInvalid() {
        #expect(parse("") == .missing)
        #expect(parse("   ") == .missing)
        #expect(parse("12.5.1") == .invalid)
        #expect(parse("abc") == .invalid)
        #expect(parse("5-") == .invalid)
        #expect(parse("%") == .invalid)
        #expect(parse(",") == .invalid)
    }
}

@Suite struct ScannerTests {
    func records(_ text: String, delimiter: UInt8 = 0x2C) -> [[String]] {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { p in
            var s = CSVScanner(base: p.baseAddress!, count: p.count, delimiter: delimiter)
            var out: [[String]] = []
            while s.next() { out.append(s.fields.map { s.string($0) }) }
            return out
        }
    }

    @Test func quotedFields() {
        #expect(records("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"line1\nline2\",x\n") == [
            ["a", "b,c", "say \"hi\""],
            ["line1\nline2", "x"],
        ])
    }

    /// A record wider than the scanner's first field buffer (64), then a narrow one.
    @Test func wideRecords() {
        let wide = (0..<150).map { "c\($0)" }
        #expect(records(wide.joined(separator: ",") + "\n\"q,1\",2\n") == [wide, ["q,1", "2"]])
    }

    @Test func lineEndsAndEmptyCells() {
        #expect(records("a,,c\r\n,\n\nd") == [["a", "", "c"], ["", ""], [""], ["d"]])
        #expect(records("a;b\tc", delimiter: 0x3B) == [["a", "b\tc"]])
    }

    @Test func delimiterDetection() {
        func detect(_ s: String) -> UInt8 { Array(s.utf8).withUnsafeBufferPointer { CSVScanner.detectDelimiter($0) } }
        #expect(detect("a,b,c\n1;2;3;4;5") == 0x2C)
        #expect(detect("a;b;\"c,d,e\"\n") == 0x3B)
        #expect(detect("a\tb\tc") == 0x09)
        #expect(detect("single") == 0x2C)
    }
}

@Suite struct FileVariantTests {
    @Test func semicolonDecimalCommaAndCRLF() throws {
        let results = "year;assessment;subject;grade;school_id;student_id;score;mark;journal_mark;task_1;task_2.1\r\n"
            + "2025;ВПР;Математика;5;0001;00123;12,5;4;5;1;0,5\r\n"
        let r = try #require(run([("r.csv", results)], context: knownSchools).batch)
        #expect(r.results == [StudentResult(
            procedure: Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5), schoolID: "0001",
            participant: "00123", score: 12.5, mark: 4, journalMark: 5,
            taskScores: [TaskScore(task: "1", score: 1), TaskScore(task: "2.1", score: 0.5)])])
    }

    @Test func tabDelimited() throws {
        let text = "year\tschool_id\tindicator\tvalue\n2025\t0001\tsingle_parent_share\t0,2\n"
        let b = try #require(run([("c.tsv", text)], context: knownSchools).batch)
        #expect(b.indicators == [IndicatorValue(year: 2025, schoolID: "0001", indicator: "single_parent_share", value: 0.2)])
    }

    @Test func quotedNamesAndRowNumbersAfterMultilineRecord() throws {
        let text = "school_id,name,municipality,region,settlement,kind,students\n"
            + "0001,\"Школа \"\"Успех\"\", корпус 2\nстроение 1\",Липецк,Липецкая,urban,general,100\n"
            + "0002,Школа,Липецк,Липецкая,хутор,general,100\n"
        let r = run([("schools.csv", text)])
        // The quoted record spans two lines but is one record: the bad row is row 3.
        #expect(r.lines == [
            "schools.csv:3:settlement: тип поселения «хутор» не распознан: укажите urban (город) или rural (село) / settlement «хутор» is not recognised: use urban or rural",
        ])
        let ok = try #require(run([("schools.csv", text.replacingOccurrences(of: "хутор", with: "село"))]).batch)
        #expect(ok.schools.map(\.name) == ["Школа \"Успех\", корпус 2\nстроение 1", "Школа"])
        #expect(ok.schools.map(\.settlement) == [.urban, .rural])
    }

    @Test func emptyCellIsMissingNotZero() throws {
        let text = "year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark,task_1,task_2\n"
            + "2025,vpr,russian,4,0001,7,,,,,1\n"
        let r = try #require(run([("r.csv", text)], context: knownSchools).batch?.results.first)
        #expect(r.score == nil)
        #expect(r.mark == nil)
        #expect(r.journalMark == nil)
        #expect(r.taskScores == [TaskScore(task: "2", score: 1)])
    }

    @Test func markAndJournalColumnsAreOptional() throws {
        let text = "year,assessment,subject,grade,school_id,student_id,score\n2025,ЕГЭ,Русский язык,11,0001,A1,78\n"
        let r = try #require(run([("r.csv", text)], context: knownSchools).batch?.results.first)
        #expect(r.procedure == Procedure(year: 2025, assessment: .ege, subject: "russian", grade: 11))
        #expect(r.score == 78)
        #expect(r.mark == nil)
    }

    @Test func folderReadsCSVFilesInOrderAndReportsKinds() throws {
        let paths = write([
            ("b_results.csv", utf8("year,assessment,subject,grade,school_id,student_id,score\n2025,vpr,math,5,0001,1,3\n2025,vpr,math,5,0001,2,4\n")),
            ("a_schools.txt", utf8(schoolsCSV)),
            ("notes.md", utf8("not a csv")),
        ])
        let folder = (paths[0] as NSString).deletingLastPathComponent
        let b = try Importer.validate(paths: [folder])
        #expect(b.files.map(\.kind) == [.schools, .results])
        #expect(b.files.map(\.rows) == [2, 2])
        #expect(b.files.map { ($0.path as NSString).lastPathComponent } == ["a_schools.txt", "b_results.csv"])
        #expect(b.summary.en == "2 files. Schools: 2, indicator values: 0, tasks: 0, student results: 2, school results: 0, procedures: 1.")
        #expect(b.summary.ru == "Файлов: 2. Школ: 2, значений показателей: 0, заданий: 0, результатов участников: 2, школьных результатов: 0, процедур: 1.")
    }

    @Test func inMemoryFiles() throws {
        let b = try Importer.validate(files: [ImportFile(name: "upload.csv", data: Data(schoolsCSV.utf8))])
        #expect(b.schools.count == 2)
    }

    @Test func progressReachesTheEnd() throws {
        final class Box: @unchecked Sendable { var events: [ImportProgress] = [] }
        let box = Box()
        _ = try Importer.validate(files: [ImportFile(name: "s.csv", data: Data(schoolsCSV.utf8))],
                                  progress: { box.events.append($0) })
        #expect(box.events.first?.bytesDone == 0)
        #expect(box.events.last?.bytesDone == schoolsCSV.utf8.count)
        #expect(box.events.last?.fraction == 1)
    }
}
