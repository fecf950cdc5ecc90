import Foundation
import OporaCore
import Testing
@testable import OporaImport

/// `Importer.stream` against `validate`, with files forced into many small parts.
@Suite struct StreamTests {
    struct Collect: ResultConsumer {
        var rows: [StudentResult] = []
        var procedureIndices: [Int] = []
        mutating func consume(_ row: borrowing ResultRow) {
            rows.append(row.studentResult())
            procedureIndices.append(row.procedureIndex)
        }
    }

    static let header = "year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark,task_1,task_2\n"

    /// A results file of `n` rows over schools 0001/0002, two procedures, some quoted cells.
    static func results(_ n: Int, quoted: Bool = false) -> String {
        var s = header
        for i in 0..<n {
            let subject = (i / 7) % 2 == 0 ? "math" : "russian"
            let school = i % 3 == 0 ? "0002" : "0001"
            let participant = quoted && i % 5 == 0 ? "\"P\(i)\"" : "P\(i)"
            let score = quoted && i % 4 == 0 ? "\"\(i % 3),5\"" : "\(i % 3)"
            s += "2025,vpr,\(subject),5,\(school),\(participant),\(score),\(2 + i % 4),,\(i % 2),\n"
            if i % 11 == 0 { s += "\n" } // blank lines count as rows
        }
        return s
    }

    static func stream(_ paths: [String], context: ImportContext = knownSchools, parts: Int, minimum: Int = 1)
        -> Result<StreamOutcome<Collect>, ImportFailure> {
        do throws(ImportFailure) {
            return .success(try Importer.stream(paths: paths, context: context,
                                                chunking: Chunking(parts: parts, minimumPartBytes: minimum)) { _ in Collect() })
        } catch {
            return .failure(error)
        }
    }

    static func validate(_ paths: [String], context: ImportContext = knownSchools) -> Result<ImportBatch, ImportFailure> {
        do throws(ImportFailure) { return .success(try Importer.validate(paths: paths, context: context)) }
        catch { return .failure(error) }
    }

    static func problems<T>(_ r: Result<T, ImportFailure>) -> [String] {
        if case .failure(let f) = r { return f.problems.map(\.description) + (f.truncated ? ["truncated"] : []) }
        return []
    }

    @Test func streamGivesWhatValidateKeepsForAnyNumberOfParts() throws {
        let paths = write([("results.csv", utf8(Self.results(500, quoted: true)))])
        let expected = try #require(Self.validate(paths).batch?.results)
        #expect(expected.count == 500)
        for parts in [1, 2, 3, 7, 16] {
            let outcome = try Self.stream(paths, parts: parts).get()
            #expect(outcome.parts.count == parts)
            #expect(outcome.parts.map(\.index) == Array(0..<parts))
            #expect(outcome.consumers.flatMap(\.rows) == expected, "parts: \(parts)")
            for c in outcome.consumers {
                for (r, i) in zip(c.rows, c.procedureIndices) { #expect(outcome.procedures[i] == r.procedure) }
            }
            #expect(outcome.batch.results.isEmpty)
            #expect(outcome.batch.files.map(\.rows) == [500])
        }
    }

    @Test func problemsAreTheSameAcrossPartSplits() {
        var text = Self.results(300)
        // Bad cells spread over the file, an unknown school twice, duplicates within and across parts.
        text += "2025,vpr,math,5,0001,P1,1,7,,,\n"          // duplicate of row of P1 (early part)
        text += "2025,vpr,math,5,9999,X1,1,3,,,\n"          // unknown school
        text += "2025,vpr,math,5,9999,X2,abc,3,,,\n"        // unknown again (not reported) + not a number
        text += "2025,vpr,math,5,0001,P299,1,3,,,\n"        // P299 is russian? duplicate only if same procedure
        text += "1999,vpr,math,12,0001,Y,1,3,,,\n"
        text += "2025,vpr,math,5,0001,P1,1,3,,,\n"          // third occurrence of P1
        text = text.replacingOccurrences(of: ",P150,", with: ",P150,-1,1,,,\n2025,vpr,math,5,9999,P150b,")
        let paths = write([("results.csv", utf8(text))])
        let expected = Self.problems(Self.validate(paths))
        #expect(expected.count >= 6)
        #expect(expected.contains { $0.contains("участник P1 уже встречается в строке 4 ") })
        for parts in [1, 2, 3, 5, 9, 31] {
            #expect(Self.problems(Self.stream(paths, parts: parts)) == expected, "parts: \(parts)")
        }
    }

    @Test func truncatedProblemListIsTheSame() {
        var text = Self.header
        for i in 0..<400 { text += "2025,vpr,math,5,0001,Q\(i % 150),\(i % 7 == 0 ? "x" : "1"),9,,,\n" }
        let paths = write([("results.csv", utf8(text))])
        for limit in [1, 5, 50, 200] {
            let context = ImportContext(knownSchools: ["0001"], problemLimit: limit)
            let expected = Self.problems(Self.validate(paths, context: context))
            #expect(expected.last == "truncated")
            for parts in [2, 3, 8] {
                #expect(Self.problems(Self.stream(paths, context: context, parts: parts)) == expected, "limit \(limit), parts \(parts)")
            }
        }
    }

    @Test func duplicatesAcrossFilesAndParts() {
        let a = Self.results(120)
        let b = Self.header + "2025,vpr,math,5,0001,P0,1,3,,,\n2025,vpr,russian,5,0001,P100,1,3,,,\n2025,vpr,math,5,0001,P100,1,3,,,\n"
        let paths = write([("a.csv", utf8(a)), ("b.csv", utf8(b))])
        let expected = Self.problems(Self.validate(paths))
        #expect(expected.count == 1 || expected.count == 2)
        #expect(expected.first?.contains("a.csv, row 2, in the same procedure") == true)
        for parts in [2, 4, 13] {
            #expect(Self.problems(Self.stream(paths, parts: parts)) == expected)
        }
    }

    @Test func quotedLineBreaksAcrossSplitPoints() throws {
        // Long quoted cells with line breaks (in an ignored column): any split point may fall inside one.
        var text = "year,assessment,subject,grade,school_id,student_id,score,comment\n"
        for i in 0..<200 {
            let comment = i % 3 == 0 ? "\"line one\nline two, \"\"quoted\"\"\r\nline three\"" : "plain"
            text += "2025,vpr,math,5,0001,S\(i),\(i % 5),\(comment)\n"
        }
        text += "2025,vpr,math,5,0001,S7,1,x\n" // a duplicate: its row number must count records, not lines
        let paths = write([("results.csv", utf8(text))])
        let expected = Self.problems(Self.validate(paths))
        #expect(expected.count == 1)
        #expect(expected.first?.hasPrefix("\(paths[0]):202:student_id:") == true)
        for parts in [2, 3, 6, 17, 40] {
            #expect(Self.problems(Self.stream(paths, parts: parts)) == expected, "parts: \(parts)")
        }
        // Without the duplicate: the same rows.
        let clean = String(text.dropLast("2025,vpr,math,5,0001,S7,1,x\n".count))
        let cleanPaths = write([("results.csv", utf8(clean))])
        let rows = try #require(Self.validate(cleanPaths).batch?.results)
        for parts in [2, 5, 33] {
            #expect(try Self.stream(cleanPaths, parts: parts).get().consumers.flatMap(\.rows) == rows)
        }
    }

    @Test func unclosedQuoteAtTheEnd() {
        let text = Self.results(100) + "2025,vpr,math,5,0001,\"Z,1,,\n"
        let paths = write([("results.csv", utf8(text))])
        let expected = Self.problems(Self.validate(paths))
        #expect(expected.contains { $0.contains("кавычка не закрыта") })
        for parts in [2, 4, 9] {
            #expect(Self.problems(Self.stream(paths, parts: parts)) == expected)
        }
    }

    @Test func windows1251File() throws {
        var text = "Год;Процедура;Предмет;Класс;Код ОО;Код участника;Первичный балл;Отметка\r\n"
        for i in 0..<300 { text += "2025;ВПР;Русский язык;5А;0001;Уч\(i);\(i % 10);\(2 + i % 4)\r\n" }
        let paths = write([("f1.csv", cp1251(text))])
        let expected = try #require(Self.validate(paths).batch?.results)
        #expect(expected.count == 300)
        #expect(expected.first?.participant == "Уч0")
        for parts in [2, 3, 8] {
            #expect(try Self.stream(paths, parts: parts).get().consumers.flatMap(\.rows) == expected)
        }
        // And a duplicate with Cyrillic bytes.
        let dup = write([("f1.csv", cp1251(text + "2025;ВПР;Русский язык;5Б;0001;Уч3;1;3\r\n"))])
        let problems = Self.problems(Self.validate(dup))
        #expect(problems.count == 1 && problems[0].contains("участник Уч3 уже встречается в строке 5 "))
        for parts in [2, 7] { #expect(Self.problems(Self.stream(dup, parts: parts)) == problems) }
    }

    @Test func otherFilesAndProblemsBeforeResults() {
        let results = Self.results(50) + "2025,vpr,math,5,0003,Q,1,3,,,\n"
        let schools = schoolsCSV + "0003,Школа,Липецк,,хутор,general,10\n"
        let paths = write([("results.csv", utf8(results)), ("schools.csv", utf8(schools))])
        let expected = Self.problems(Self.validate(paths, context: ImportContext()))
        #expect(expected.count == 1) // the settlement; school 0003 is still known
        for parts in [2, 5] {
            #expect(Self.problems(Self.stream(paths, context: ImportContext(), parts: parts)) == expected)
        }
    }

    @Test func contextReadAlongsideResultsGivesTheSame() throws {
        // Results big enough for parts: context.csv is then parsed on another thread meanwhile.
        let context = "year,school_id,indicator,value\n2025,0001,teachers,4\n2025,0002,teachers,5\n"
        let paths = write([("results.csv", utf8(Self.results(200))), ("context.csv", utf8(context))])
        let expected = try #require(Self.validate(paths).batch)
        for parts in [1, 2, 5] {
            let outcome = try Self.stream(paths, parts: parts).get()
            #expect(outcome.batch.indicators == expected.indicators)
            #expect(outcome.batch.files.map(\.rows) == expected.files.map(\.rows))
            #expect(outcome.consumers.flatMap(\.rows) == expected.results)
        }
        // Problems in context.csv come first and count towards the limit, as when read one after another.
        let bad = context + "2025,0001,Teachers,5\n2025,9999,teachers,1\n"
        let results = Self.results(200) + "2025,vpr,math,5,0001,P1,1,7,,,\n2025,vpr,math,5,0001,P2,x,3,,,\n"
        let badPaths = write([("results.csv", utf8(results)), ("context.csv", utf8(bad))])
        for limit in [1, 2, 3, 50] {
            let importContext = ImportContext(knownSchools: ["0001", "0002"], problemLimit: limit)
            let problems = Self.problems(Self.validate(badPaths, context: importContext))
            #expect(!problems.isEmpty)
            for parts in [2, 4] {
                #expect(Self.problems(Self.stream(badPaths, context: importContext, parts: parts)) == problems, "limit \(limit), parts \(parts)")
            }
        }
    }

    @Test func partStartsAreRecordBoundaries() {
        let text = Array("h\r\nab\r\ncd\ref\ngh\n".utf8)
        text.withUnsafeBufferPointer { p in
            let starts = ResultsReading<Collect>.partStarts(p.baseAddress!, count: p.count, dataStart: 3,
                                                            chunking: Chunking(parts: 4, minimumPartBytes: 1))
            #expect(starts == [3, 7, 10, 13])
        }
    }

    @Test func participantTableFindsEveryRepeatOnce() {
        // Keys given out of order and across parts and files: each non-first row reported once,
        // with the first row of its key.
        let keys: [UInt64: Int] = [5: 1, 3: 1, 9: 1, 1: 1, 7: 2, 2: 2, 8: 3, 11: 2, 4: 3]
        let sameKey: @Sendable (UInt64, UInt64) -> Bool = { keys[$0] == keys[$1] }
        func hash(_ ordinal: UInt64) -> UInt64 { ParticipantTable.hash(procedure: keys[ordinal]!, UnsafePointer(bitPattern: 8)!, 0) }
        for expected in [10, 1_000_000] { // one partition, and several
            let table = ParticipantTable(expected: expected)
            let first = table.keys(expected: 4), second = table.keys(expected: 4)
            for o: UInt64 in [9, 5, 3] { first.append(hash(o), o) }
            for o: UInt64 in [1, 7, 2] { second.append(hash(o), o) }
            #expect(table.settle([first, second], keep: true, sameKey: sameKey) == [3: 1, 5: 1, 9: 1, 7: 2])
            #expect(table.count == 2) // the first row of each key
            // A later file: its rows repeat keys of the earlier one.
            let later = table.keys(expected: 4)
            for o: UInt64 in [11, 8, 4] { later.append(hash(o), o) }
            #expect(table.settle([later], keep: false, sameKey: sameKey) == [11: 2, 8: 4])
        }
    }
}
