import Foundation
import OporaCore

/// Procedures of all results files, numbered densely; shared by the parts read in parallel.
final class ProcedureRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var index: [Procedure: Int] = [:]
    private(set) var procedures: [Procedure] = []

    func id(_ p: Procedure) -> Int {
        lock.lock()
        defer { lock.unlock() }
        if let i = index[p] { return i }
        procedures.append(p)
        index[p] = procedures.count - 1
        return procedures.count - 1
    }

    var all: [Procedure] {
        lock.lock()
        defer { lock.unlock() }
        return procedures
    }
}

/// A results file being read: its bytes and columns.
struct ResultsFileView: @unchecked Sendable {
    let name: String
    let order: Int
    let base: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8
    let headers: [String]
    let map: ColumnMap
    let taskCodes: [String]
}

/// Everything the parts of the results files share (read-only, or locked inside).
final class ResultsShared: @unchecked Sendable {
    let registry = ProcedureRegistry()
    let table: ParticipantTable
    /// Known school codes, sorted; `ResultRow.schoolIndex` indexes them.
    let schoolIDs: [String]
    let schoolIndex: [String: Int32]
    /// Task maxima and test maxima, final before results are read.
    let state: ImportState
    private let lock = NSLock()
    private var files: [Int: ResultsFileView] = [:]

    /// Rows per byte of the results files, from a sample (sizes each part's key buffers).
    let rowsPerByte: Double

    init(state: ImportState, expectedRows: Int, rowsPerByte: Double) {
        self.state = state
        self.rowsPerByte = rowsPerByte
        schoolIDs = state.knownSchools.sorted()
        var index: [String: Int32] = [:]
        index.reserveCapacity(schoolIDs.count)
        for (i, s) in schoolIDs.enumerated() { index[s] = Int32(i) }
        schoolIndex = index
        table = ParticipantTable(expected: expectedRows)
    }

    func register(_ file: ResultsFileView) {
        lock.lock()
        files[file.order] = file
        lock.unlock()
    }

    func file(_ order: Int) -> ResultsFileView? {
        lock.lock()
        defer { lock.unlock() }
        return files[order]
    }

    static func ordinal(file: Int, offset: Int) -> UInt64 { UInt64(file) << 40 | UInt64(offset) }
    static func split(_ ordinal: UInt64) -> (file: Int, offset: Int) { (Int(ordinal >> 40), Int(ordinal & 0xFF_FFFF_FFFF)) }

    /// The duplicate key of the record at an ordinal: procedure index and participant bytes, read
    /// again from the file (only for hash matches and problem messages).
    func key(_ ordinal: UInt64) -> (procedure: Int, participant: [UInt8])? {
        let (fileOrder, offset) = Self.split(ordinal)
        guard let f = file(fileOrder) else { return nil }
        var scanner = CSVScanner(base: f.base + offset, count: f.count - offset, delimiter: f.delimiter)
        guard scanner.next() else { return nil }
        var reader = RowReader(scanner: scanner, file: f.name, headers: f.headers, sink: ProblemSink(limit: 1))
        guard let p = reader.procedure(year: f.map[.year], assessment: f.map[.assessment],
                                       subject: f.map[.subject], grade: f.map[.grade]) else { return nil }
        let text = reader.text(f.map[.studentID])
        return (registry.id(p), Array(text.utf8))
    }

    func sameKey(_ a: UInt64, _ b: UInt64) -> Bool {
        guard let ka = key(a), let kb = key(b) else { return false }
        return ka.procedure == kb.procedure && ka.participant == kb.participant
    }
}

/// Reports progress of the parts of one file together.
final class PartsProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var done: [Int]
    private var last = ContinuousClock.now
    private let reporter: ProgressReporter

    init(parts: Int, reporter: ProgressReporter) {
        done = Array(repeating: 0, count: parts)
        self.reporter = reporter
    }

    func tick(part: Int, bytes: Int) {
        guard reporter.callback != nil else { return }
        lock.lock()
        done[part] = bytes
        let now = ContinuousClock.now
        var total: Int?
        if now - last >= .milliseconds(200) {
            last = now
            total = done.reduce(0, +)
        }
        lock.unlock()
        if let total { reporter.report(total) }
    }
}

/// What reading one part gave.
struct PartOutcome {
    /// Records read (blank ones included) and data rows.
    var records = 0
    var rows = 0
    /// Where the part's reading ended (absolute offset in the file).
    var end = 0
    var unclosedQuote = false
    /// Stopped because enough problems were found.
    var stoppedEarly = false
    /// Problems with rows local to the part (1 = its first record).
    var problems: [ImportProblem] = []
    /// Problems that report an unknown school (index in `problems`, code): once per file only.
    var unknownSchoolReports: [(Int, String)] = []
    /// The keys of the part's rows, for the duplicate check once the file is read.
    var keys: ParticipantKeys?
}

/// Reads the data rows of one part of a results file: [start, stop) of the file, record-aligned.
struct ResultsPartReader {
    private struct ProcedureInfo {
        var procedure: Procedure
        var id: Int
        var testMaximum: Double?
    }

    let file: ResultsFileView
    let shared: ResultsShared
    let part: Int
    let start: Int
    let stop: Int
    /// Stop after more hard problems than this (the rest could not be listed).
    let remaining: Int
    /// Rows may be handed over (no problem before this file).
    let collecting: Bool
    let progress: PartsProgress

    /// A cell of plain digits read here (`NumberParsing.plainDigits`): ~30 number cells a row, and
    /// the general reader's call and result wrapping cost more than the digits. `nil`: read the cell
    /// in full (with its checks).
    @inline(__always)
    private static func plainDigits(_ base: UnsafePointer<UInt8>, _ f: CSVScanner.Field?) -> Double? {
        guard let f else { return nil }
        return NumberParsing.plainDigits(base, f.start, f.end)
    }

    /// A valid mark written as plain digits; `nil`: read the cell in full (absent, bad or unusual).
    @inline(__always)
    private static func plainMark(_ base: UnsafePointer<UInt8>, _ f: CSVScanner.Field?) -> Int? {
        guard let v = plainDigits(base, f), Mark.range.contains(Int(v)) else { return nil }
        return Int(v)
    }

    /// The raw bytes of the procedure cells (with their escaping), as a key for procedures already
    /// read in this part: reading one again (normalising its words) cost more than the lookup.
    private static func procedureKey(_ base: UnsafePointer<UInt8>, _ fields: [CSVScanner.Field?]) -> [UInt8]? {
        var key: [UInt8] = []
        key.reserveCapacity(32)
        for f in fields {
            guard let f else { return nil }
            key.append(f.escaped ? 1 : 0)
            key.append(contentsOf: UnsafeBufferPointer(start: base + f.start, count: f.end - f.start))
            key.append(0x1F)
        }
        return key
    }

    func read<C: ResultConsumer>(into consumer: inout C) -> PartOutcome {
        var out = PartOutcome()
        let sink = ProblemSink(limit: Int.max)
        let scanner = CSVScanner(base: file.base + start, count: file.count - start, delimiter: file.delimiter)
        var reader = RowReader(scanner: scanner, file: file.name, headers: file.headers, sink: sink)
        reader.row = 0
        let m = file.map
        let yc = m[.year], ac = m[.assessment], sc = m[.subject], gc = m[.grade]
        let schoolColumn = m[.schoolID], studentColumn = m[.studentID], scoreColumn = m[.score]
        let markColumn = m[.mark], journalColumn = m[.journalMark]
        let taskColumns = m.tasks
        let taskPositions = taskColumns.map(\.column)
        // Per procedure read: each task column's maximum (+∞ = not known), as a plain buffer: taking
        // an array out of `infos` for every row retained and released it (~1.5 % of a national run).
        var maximaOf: [UnsafeMutablePointer<Double>] = []
        let noMaxima = UnsafeMutablePointer<Double>.allocate(capacity: max(1, taskColumns.count))
        noMaxima.initialize(repeating: .infinity, count: max(1, taskColumns.count))
        defer {
            noMaxima.deallocate()
            maximaOf.forEach { $0.deallocate() }
        }
        let taskCodes = file.taskCodes
        let base = reader.base
        let localStop = stop - start
        let state = shared.state
        let fileOrder = file.order

        var infos: [ProcedureInfo] = []
        var infoIndex: [Procedure: Int] = [:]
        var infoOfBytes: [[UInt8]: Int] = [:]
        var lastProcedure: (y: CSVScanner.Field, a: CSVScanner.Field, s: CSVScanner.Field, g: CSVScanner.Field, index: Int)?
        var lastSchool: (field: CSVScanner.Field, id: String?, index: Int)?
        var unknown = Set<String>()
        var hardProblems = 0

        let tasks = UnsafeMutableBufferPointer<ResultRow.Task>.allocate(capacity: max(1, taskColumns.count))
        defer { tasks.deallocate() }
        var unescaped = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64)
        defer { unescaped.deallocate() }
        let keys = shared.table.keys(expected: Int(Double(stop - start) * shared.rowsPerByte))
        var row = ResultRow(procedureIndex: -1, procedure: Procedure(year: 0, assessment: .vpr, subject: "", grade: 0),
                            schoolIndex: -1, schoolID: "", participantBytes: UnsafeBufferPointer(start: nil, count: 0),
                            score: nil, mark: nil, journalMark: nil,
                            taskScores: UnsafeBufferPointer(start: nil, count: 0), taskCodes: taskCodes)

        while true {
            // The next non-blank record within the part.
            if hardProblems > remaining { out.stoppedEarly = true; break }
            let recordStart = reader.scanner.position
            if recordStart >= localStop || !reader.scanner.next() { break }
            reader.row += 1
            if reader.scanner.recordIsBlank { continue }
            out.rows += 1
            reader.rowProblems = 0
            let problemsBefore = sink.count
            reader.checkExtraValues()
            if out.rows & 0x3FFF == 0 { progress.tick(part: part, bytes: reader.scanner.position) }

            // Procedure: usually the same bytes as the row before.
            var info: Int?
            if let l = lastProcedure, CSVScanner.sameBytes(base, l.y, reader.field(yc)), CSVScanner.sameBytes(base, l.a, reader.field(ac)),
               CSVScanner.sameBytes(base, l.s, reader.field(sc)), CSVScanner.sameBytes(base, l.g, reader.field(gc)) {
                info = l.index
            } else {
                // The same cells read before without a problem give the same procedure, again
                // without a problem; anything else is read (and its problems reported) in full.
                let key = Self.procedureKey(base, [reader.field(yc), reader.field(ac), reader.field(sc), reader.field(gc)])
                if let key, let known = infoOfBytes[key] {
                    info = known
                } else if let p = reader.procedure(year: yc, assessment: ac, subject: sc, grade: gc) {
                    if let known = infoIndex[p] {
                        info = known
                    } else {
                        let maxima = state.taskMaxima[p]
                        infos.append(ProcedureInfo(procedure: p, id: shared.registry.id(p), testMaximum: state.testMaximum(p)))
                        let taskMaxima = UnsafeMutablePointer<Double>.allocate(capacity: max(1, taskColumns.count))
                        taskMaxima.initialize(repeating: .infinity, count: max(1, taskColumns.count))
                        for (k, column) in taskColumns.enumerated() { taskMaxima[k] = maxima?[column.code] ?? .infinity }
                        maximaOf.append(taskMaxima)
                        info = infos.count - 1
                        infoIndex[p] = infos.count - 1
                    }
                    if let key { infoOfBytes[key] = info }
                }
                if let info { lastProcedure = (reader.field(yc)!, reader.field(ac)!, reader.field(sc)!, reader.field(gc)!, info) }
            }

            // School: usually the same bytes as the row before; unknown ones reported once per file.
            var school: Int?
            var schoolID: String?
            if let l = lastSchool, let f = reader.field(schoolColumn), CSVScanner.sameBytes(base, f, l.field) {
                schoolID = l.id
                school = l.id == nil ? nil : l.index
                if schoolID == nil { reader.rowProblems += 1 }
            } else {
                if let id = reader.requiredText(schoolColumn) {
                    if let i = shared.schoolIndex[id] {
                        school = Int(i)
                        schoolID = id
                    } else if unknown.insert(id).inserted {
                        out.unknownSchoolReports.append((sink.count, id))
                        reader.problem(schoolColumn, shared.state.territory?.problem(forUnknown: id) ?? Messages.unknownSchool(id))
                    } else {
                        reader.rowProblems += 1
                    }
                }
                if let f = reader.field(schoolColumn), !CSVScanner.isBlank(base, f) { lastSchool = (f, schoolID, school ?? -1) }
            }

            // Participant: trimmed bytes, `""` unescaped.
            var participant: UnsafeBufferPointer<UInt8>?
            if let f = reader.field(studentColumn) {
                let (s, e) = CSVScanner.trimmed(base, f.start, f.end)
                if s < e {
                    if f.escaped {
                        let text = Array(reader.text(studentColumn).utf8)
                        if text.count > unescaped.count {
                            unescaped.deallocate()
                            unescaped = .allocate(capacity: text.count)
                        }
                        _ = unescaped.initialize(from: text)
                        participant = UnsafeBufferPointer(start: unescaped.baseAddress, count: text.count)
                    } else {
                        participant = UnsafeBufferPointer(start: base + s, count: e - s)
                    }
                }
            }
            if participant == nil { reader.problem(studentColumn, Messages.emptyRequired) }

            var score = Self.plainDigits(base, reader.field(scoreColumn)) ?? reader.number(scoreColumn).value
            if let v = score {
                if v < 0 {
                    reader.problem(scoreColumn, Messages.scoreNegative(reader.text(scoreColumn)))
                    score = nil
                } else if let info, let max = infos[info].testMaximum, v > max + 1e-9 {
                    let text = reader.text(scoreColumn)
                    reader.problem(scoreColumn, infos[info].procedure.assessment == .ege ? Messages.egeAbove100(text) : Messages.scoreAboveMax(text, max))
                    score = nil
                }
            }
            let mark = Self.plainMark(base, reader.field(markColumn)) ?? reader.mark(markColumn, journal: false).value
            let journalMark = Self.plainMark(base, reader.field(journalColumn)) ?? reader.mark(journalColumn, journal: true).value

            // ~50 task columns a row, most of them empty: the row's fields and the procedure's maxima
            // are taken once (not reloaded through the scanner and `infos` for every column).
            var taskCount = 0
            let fields = reader.scanner.fields
            let maxima = info.map { maximaOf[$0] } ?? noMaxima
            for k in 0..<taskColumns.count {
                let column = taskPositions[k]
                guard column < fields.count else { continue }
                let f = fields[column]
                if f.start == f.end { continue }
                guard let v = Self.plainDigits(base, f) ?? reader.number(column).value else { continue }
                if v < 0 {
                    reader.problem(column, Messages.scoreNegative(reader.text(column)))
                } else if v > maxima[k] + 1e-9 {
                    reader.problem(column, Messages.taskAboveMax(taskColumns[k].code, reader.text(column), maxima[k]))
                } else {
                    tasks[taskCount] = ResultRow.Task(column: Int32(truncatingIfNeeded: k), score: v)
                    taskCount += 1
                }
            }
            hardProblems += sink.count - problemsBefore
            if let r = out.unknownSchoolReports.last, r.0 >= problemsBefore { hardProblems -= 1 }

            guard let info, let participant else { continue }
            let h = ParticipantTable.hash(procedure: infos[info].id, participant.baseAddress!, participant.count)
            keys.append(h, ResultsShared.ordinal(file: fileOrder, offset: start + recordStart))
            if reader.rowProblems == 0, collecting, sink.isEmpty, let school, let schoolID {
                // One row value reused: the procedure and school are replaced only when they change.
                if row.procedureIndex != infos[info].id {
                    row.procedureIndex = infos[info].id
                    row.procedure = infos[info].procedure
                }
                if row.schoolIndex != school {
                    row.schoolIndex = school
                    row.schoolID = schoolID
                }
                row.participantBytes = participant
                row.score = score
                row.mark = mark
                row.journalMark = journalMark
                row.taskScores = UnsafeBufferPointer(start: tasks.baseAddress, count: taskCount)
                consumer.consume(row)
            }
        }
        out.records = reader.row
        out.end = start + reader.scanner.position
        out.unclosedQuote = reader.scanner.unclosedQuote
        out.problems = sink.problems
        out.keys = keys
        return out
    }
}

/// The parts of one file for the worker threads; each touches only its own elements.
private struct PartsWork<Consumer: ResultConsumer>: @unchecked Sendable {
    let outcomes: UnsafeMutableBufferPointer<PartOutcome>
    let consumers: UnsafeMutableBufferPointer<Consumer>
    let readers: [ResultsPartReader]

    func run(_ k: Int) { outcomes[k] = readers[k].read(into: &consumers[k]) }
}

/// A problem of a results file, or a duplicate whose message is made once the list is cut.
private enum ProblemEntry { case problem(ImportProblem), duplicate(row: Int, ordinal: UInt64) }

/// Reads the results files of an import one after another, each in parts.
struct ResultsReading<Consumer: ResultConsumer> {
    let sink: ProblemSink
    let chunking: Chunking
    let progress: (@Sendable (ImportProgress) -> Void)?
    let fileCount: Int
    let firstIndex: Int
    var shared: ResultsShared?
    var parts: [ResultsPart] = []
    var consumers: [Consumer] = []

    init(sink: ProblemSink, chunking: Chunking, progress: (@Sendable (ImportProgress) -> Void)?, fileCount: Int, firstIndex: Int) {
        self.sink = sink
        self.chunking = chunking
        self.progress = progress
        self.fileCount = fileCount
        self.firstIndex = firstIndex
    }

    /// Reads the files; returns the data rows of each.
    mutating func read(_ files: [Importer.Prepared], texts: [UnsafeBufferPointer<UInt8>], state: ImportState,
                       makeConsumer: (ResultsPart) -> Consumer) -> [Int] {
        // Size the duplicate check from the first megabyte of each file.
        var expected = 0
        for t in texts {
            let sample = min(t.count, 1 << 20)
            var lines = 1
            for i in 0..<sample where t[i] == CSVScanner.lf { lines += 1 }
            expected += Int(Double(t.count) / Double(max(1, sample)) * Double(lines))
        }
        let bytes = texts.reduce(0) { $0 + $1.count }
        let shared = ResultsShared(state: state, expectedRows: expected, rowsPerByte: Double(expected) / Double(max(1, bytes)))
        self.shared = shared
        var rows: [Int] = []
        for (k, (file, text)) in zip(files, texts).enumerated() {
            if sink.truncated { break }
            rows.append(readFile(file, text: text, index: firstIndex + k, last: k == files.count - 1, shared: shared,
                                 makeConsumer: makeConsumer))
        }
        return rows + Array(repeating: 0, count: files.count - rows.count)
    }

    /// Part starts: the data start, then record boundaries near equal shares of the file.
    static func partStarts(_ base: UnsafePointer<UInt8>, count: Int, dataStart: Int, chunking: Chunking) -> [Int] {
        let size = count - dataStart
        let n = max(1, min(chunking.parts, size / max(1, chunking.minimumPartBytes)))
        var starts = [dataStart]
        for k in 1..<max(1, n) {
            var p = max(dataStart + size / n * k, starts.last! + 1)
            while p < count, base[p] != CSVScanner.lf, base[p] != CSVScanner.cr { p += 1 }
            if p < count, base[p] == CSVScanner.cr, p + 1 < count, base[p + 1] == CSVScanner.lf { p += 1 }
            p += 1
            if p >= count { break }
            starts.append(p)
        }
        return starts
    }

    private mutating func readFile(_ file: Importer.Prepared, text: UnsafeBufferPointer<UInt8>, index: Int, last: Bool,
                                   shared: ResultsShared, makeConsumer: (ResultsPart) -> Consumer) -> Int {
        sink.currentFile = file.order
        let reporter = ProgressReporter(file: file.name, index: index, count: fileCount, total: text.count, callback: progress)
        reporter.report(0)
        defer { reporter.report(reporter.total) }
        let base = text.baseAddress!
        var header = FileParser(scanner: CSVScanner(base: base, count: text.count, delimiter: file.delimiter),
                                name: file.name, fileIndex: file.order, headers: file.headers, sink: sink, reporter: reporter)
        guard let (map, dataStart) = header.readResultsHeader() else { return 0 }
        let view = ResultsFileView(name: file.name, order: file.order, base: base, count: text.count,
                                   delimiter: file.delimiter, headers: file.headers, map: map, taskCodes: map.tasks.map(\.code))
        shared.register(view)
        let remaining = sink.limit - sink.count
        let collecting = sink.isEmpty

        var starts = Self.partStarts(base, count: text.count, dataStart: dataStart, chunking: chunking)
        var (outcomes, fileConsumers) = readParts(view, starts: starts, shared: shared, remaining: remaining,
                                                  collecting: collecting, reporter: reporter, makeConsumer: makeConsumer)
        // A part must end exactly where the next begins: otherwise a quoted line break straddled the
        // split and the file is read again as one part.
        var used = outcomes.count
        for k in 0..<(outcomes.count - 1) {
            if outcomes[k].stoppedEarly { used = k + 1; break }
            if outcomes[k].end != starts[k + 1] {
                starts = [dataStart]
                (outcomes, fileConsumers) = readParts(view, starts: starts, shared: shared, remaining: remaining,
                                                      collecting: collecting, reporter: reporter, makeConsumer: makeConsumer)
                used = 1
                break
            }
        }
        // The rows repeating an earlier row's key (in this file or one before), with that first row.
        let firsts = shared.table.settle(outcomes[..<used].compactMap(\.keys), keep: !last, sameKey: { shared.sameKey($0, $1) })
        for k in outcomes.indices { outcomes[k].keys = nil }

        // Problems in file order: part rows made absolute, unknown schools once per file.
        var entries: [ProblemEntry] = []
        var reported = Set<String>()
        var baseRow = 1
        var rows = 0
        for k in 0..<used {
            let o = outcomes[k]
            var drop = Set<Int>()
            for (i, id) in o.unknownSchoolReports where !reported.insert(id).inserted { drop.insert(i) }
            for (i, p) in o.problems.enumerated() where !drop.contains(i) {
                var p = p
                p.row = p.row.map { $0 + baseRow }
                entries.append(.problem(p))
            }
            baseRow += o.records
            rows += o.rows
        }
        if !firsts.isEmpty {
            // Rows of the duplicates, then merged after the other problems of their row.
            let duplicates = firsts.keys.sorted()
            let dupRows = Self.rows(of: duplicates.map { ResultsShared.split($0).offset }, in: view, dataStart: dataStart)
            var merged: [ProblemEntry] = []
            merged.reserveCapacity(entries.count + duplicates.count)
            var d = 0
            for e in entries {
                if case .problem(let p) = e, let r = p.row {
                    while d < duplicates.count, dupRows[d] < r {
                        merged.append(.duplicate(row: dupRows[d], ordinal: duplicates[d]))
                        d += 1
                    }
                }
                merged.append(e)
            }
            while d < duplicates.count {
                merged.append(.duplicate(row: dupRows[d], ordinal: duplicates[d]))
                d += 1
            }
            entries = merged
        }
        if entries.count > remaining + 1 { entries.removeLast(entries.count - remaining - 1) }

        // Duplicate messages name the first row of the key (possibly in an earlier file).
        var needed: [Int: [Int]] = [:]
        for e in entries {
            guard case .duplicate(_, let ordinal) = e, let first = firsts[ordinal] else { continue }
            let (f, offset) = ResultsShared.split(first)
            needed[f, default: []].append(offset)
        }
        var firstRows: [UInt64: Int] = [:]
        for (f, offsets) in needed {
            guard let other = shared.file(f) else { continue }
            let sorted = Set(offsets).sorted()
            let otherStart = f == file.order ? dataStart : Self.dataStart(of: other)
            for (offset, row) in zip(sorted, Self.rows(of: sorted, in: other, dataStart: otherStart)) {
                firstRows[ResultsShared.ordinal(file: f, offset: offset)] = row
            }
        }
        let studentColumn = map[.studentID]
        for e in entries {
            switch e {
            case .problem(let p): sink.add(p)
            case .duplicate(let row, let ordinal):
                let participant = shared.key(ordinal).map { String(decoding: $0.participant, as: UTF8.self) } ?? ""
                let first = firsts[ordinal] ?? ordinal
                let firstFile = ResultsShared.split(first).file
                sink.add(ImportProblem(
                    file: file.name, row: row, column: file.headers[studentColumn],
                    message: Messages.duplicateParticipant(
                        participant, row: firstRows[first] ?? 0,
                        otherFile: firstFile == file.order ? nil : shared.file(firstFile)?.name)))
            }
        }
        if sink.truncated { return rows }
        if outcomes[used - 1].unclosedQuote {
            sink.add(ImportProblem(file: file.name, row: baseRow, message: Messages.unclosedQuote))
        }
        if rows == 0 {
            sink.add(ImportProblem(file: file.name, message: Messages.headerOnly))
        }
        for k in 0..<used {
            parts.append(ResultsPart(file: file.name, fileIndex: file.order, index: k, count: used, taskCodes: view.taskCodes))
        }
        consumers += fileConsumers.prefix(used)
        return rows
    }

    /// Reads the parts, in parallel when there are several.
    private func readParts(_ view: ResultsFileView, starts: [Int], shared: ResultsShared, remaining: Int, collecting: Bool,
                           reporter: ProgressReporter, makeConsumer: (ResultsPart) -> Consumer) -> ([PartOutcome], [Consumer]) {
        let n = starts.count
        let progress = PartsProgress(parts: n, reporter: reporter)
        let readers = (0..<n).map { k in
            ResultsPartReader(file: view, shared: shared, part: k, start: starts[k],
                              stop: k + 1 < n ? starts[k + 1] : view.count,
                              remaining: remaining, collecting: collecting, progress: progress)
        }
        var consumers = (0..<n).map { k in
            makeConsumer(ResultsPart(file: view.name, fileIndex: view.order, index: k, count: n, taskCodes: view.taskCodes))
        }
        if n == 1 {
            let o = readers[0].read(into: &consumers[0])
            return ([o], consumers)
        }
        // Each worker touches only its own element of both buffers.
        let buffer = UnsafeMutableBufferPointer<PartOutcome>.allocate(capacity: n)
        buffer.initialize(repeating: PartOutcome())
        defer { buffer.deallocate() }
        consumers.withUnsafeMutableBufferPointer { cs in
            let work = PartsWork(outcomes: buffer, consumers: cs, readers: readers)
            DispatchQueue.concurrentPerform(iterations: n) { k in work.run(k) }
        }
        return (Array(buffer), consumers)
    }

    /// The spreadsheet rows of records starting at the given offsets (sorted, record starts).
    static func rows(of offsets: [Int], in view: ResultsFileView, dataStart: Int) -> [Int] {
        var scanner = CSVScanner(base: view.base + dataStart, count: view.count - dataStart, delimiter: view.delimiter)
        var out: [Int] = []
        out.reserveCapacity(offsets.count)
        var row = 1
        var i = 0
        while i < offsets.count {
            let here = dataStart + scanner.position
            while i < offsets.count, offsets[i] <= here {
                out.append(offsets[i] == here ? row + 1 : 0)
                i += 1
            }
            if i == offsets.count || !scanner.next() { break }
            row += 1
        }
        while out.count < offsets.count { out.append(0) }
        return out
    }

    static func dataStart(of view: ResultsFileView) -> Int {
        var scanner = CSVScanner(base: view.base, count: view.count, delimiter: view.delimiter)
        _ = scanner.next()
        return scanner.position
    }
}
