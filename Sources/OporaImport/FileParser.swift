import Foundation
import OporaCore

/// The standard columns found in a header, by position; task columns of a results file.
struct ColumnMap {
    var positions: [Column: Int] = [:]
    var tasks: [(column: Int, code: String)] = []
    subscript(_ c: Column) -> Int { positions[c] ?? -1 }
}

/// Parses the data rows of one file of a known kind into the import state.
struct FileParser {
    var reader: RowReader
    let name: String
    let fileIndex: Int
    var reporter: ProgressReporter
    private(set) var rows = 0

    init(scanner: CSVScanner, name: String, fileIndex: Int, headers: [String], sink: ProblemSink, reporter: ProgressReporter) {
        reader = RowReader(scanner: scanner, file: name, headers: headers, sink: sink)
        self.name = name
        self.fileIndex = fileIndex
        self.reporter = reporter
    }

    static let required: [ImportFileKind: [Column]] = [
        .schools: [.schoolID, .name, .municipality, .region, .settlement, .kind, .students],
        .context: [.year, .schoolID, .indicator, .value],
        .tasks: [.year, .assessment, .subject, .grade, .task, .maxScore],
        .results: [.year, .assessment, .subject, .grade, .schoolID, .studentID, .score],
        .resultsSchool: [.year, .assessment, .subject, .grade, .schoolID, .participants],
    ]
    static let optional: [ImportFileKind: [Column]] = [
        .schools: [.distanceKm],
        .context: [],
        .tasks: [.level],
        .results: [.mark, .journalMark],
        .resultsSchool: [.meanScore, .share2, .share3, .share4, .share5],
    ]

    /// Parses the whole file; returns the number of data rows.
    mutating func parse(kind: ImportFileKind, state: inout ImportState) -> Int {
        reporter.report(0)
        defer { reporter.report(reporter.total) }
        _ = reader.scanner.next() // the header, already read once to detect the kind
        reader.row = 1
        guard let map = mapColumns(kind) else { return 0 }
        switch kind {
        case .schools: parseSchools(map, &state)
        case .context: parseContext(map, &state)
        case .tasks: parseTasks(map, &state)
        case .results: preconditionFailure("results files are read by ResultsPartReader")
        case .resultsSchool: parseAggregates(map, &state)
        }
        if reader.sink.truncated { return rows }
        if reader.scanner.unclosedQuote {
            reader.problem(nil, Messages.unclosedQuote)
        }
        if rows == 0 {
            reader.sink.add(ImportProblem(file: name, message: Messages.headerOnly))
        }
        return rows
    }

    /// Reads the header of a results file and maps its columns (reporting header problems);
    /// returns the map and the offset of the first data record, or `nil` when columns are missing.
    mutating func readResultsHeader() -> (map: ColumnMap, dataStart: Int)? {
        _ = reader.scanner.next()
        reader.row = 1
        guard let map = mapColumns(.results) else { return nil }
        return (map, reader.scanner.position)
    }

    private mutating func mapColumns(_ kind: ImportFileKind) -> ColumnMap? {
        let allowed = Set(Self.required[kind]! + Self.optional[kind]!)
        var map = ColumnMap()
        var taskColumns: [String: Int] = [:]
        for (i, header) in reader.headers.enumerated() {
            if let c = Vocabulary.column(forHeader: header), allowed.contains(c) {
                if let first = map.positions[c] {
                    reader.problem(i, Messages.duplicateColumn(reader.headers[first], c.rawValue))
                } else {
                    map.positions[c] = i
                }
            } else if kind == .results, Vocabulary.column(forHeader: header) == nil,
                      let code = Vocabulary.taskCode(forHeader: header) {
                if let first = taskColumns[code] {
                    reader.problem(i, Messages.duplicateTaskColumn(reader.headers[first], code))
                } else {
                    taskColumns[code] = i
                    map.tasks.append((i, code))
                }
            }
        }
        var complete = true
        for c in Self.required[kind]! where map.positions[c] == nil {
            reader.sink.add(ImportProblem(file: name, row: 1, column: c.rawValue, message: Messages.missingColumn(c.rawValue)))
            complete = false
        }
        return complete ? map : nil
    }

    /// Moves to the next non-blank record; `false` at the end or when the problem list is full.
    private mutating func nextRow() -> Bool {
        while !reader.sink.truncated, reader.scanner.next() {
            reader.row += 1
            if reader.scanner.recordIsBlank { continue }
            rows += 1
            reader.rowProblems = 0
            reader.checkExtraValues()
            if rows & 0x3FFF == 0 { reporter.tick(reader.scanner.position) }
            return true
        }
        return false
    }

    private func place(_ ref: RowRef, _ state: ImportState) -> Messages.Place {
        Messages.Place(row: Int(ref.row), otherFile: Int(ref.file) == fileIndex ? nil : state.fileNames[Int(ref.file)])
    }

    private var here: RowRef { RowRef(file: Int32(fileIndex), row: Int32(truncatingIfNeeded: reader.row)) }

    /// Whether rows may still be collected (no problem anywhere so far).
    private var collecting: Bool { reader.sink.isEmpty }

    // MARK: schools.csv

    private mutating func parseSchools(_ m: ColumnMap, _ state: inout ImportState) {
        // A file writes a handful of settlement types and school kinds over and over, in Russian
        // (normalising and matching each took most of this file's time): each spelling read once.
        var settlements = CellCache<Settlement>(), kinds = CellCache<SchoolKind>()
        while nextRow() {
            let id = reader.requiredText(m[.schoolID])
            let name = reader.requiredText(m[.name])
            let municipality = reader.requiredText(m[.municipality])
            let region = reader.text(m[.region])
            var settlement = reader.field(m[.settlement]).flatMap { settlements.known(reader.base, $0) }
            if settlement == nil, let s = reader.requiredText(m[.settlement]) {
                settlement = Vocabulary.settlement(s)
                if let settlement, let f = reader.field(m[.settlement]) { settlements.remember(reader.base, f, settlement) }
                if settlement == nil { reader.problem(m[.settlement], Messages.settlement(s)) }
            }
            var kind = reader.field(m[.kind]).flatMap { kinds.known(reader.base, $0) }
            if kind == nil, let s = reader.requiredText(m[.kind]) {
                kind = Vocabulary.schoolKind(s)
                if let kind, let f = reader.field(m[.kind]) { kinds.remember(reader.base, f, kind) }
                if kind == nil { reader.problem(m[.kind], Messages.kind(s)) }
            }
            var students = reader.integer(m[.students])
            if let n = students.value, n < 0 {
                reader.problem(m[.students], Messages.negative(reader.text(m[.students])))
                students = .bad
            }
            let distance = reader.nonNegative(m[.distanceKm])
            guard let id else { continue }
            if let territory = state.territory {
                // A municipal or regional upload may neither add a school elsewhere nor move another territory's school.
                // Not registered either, so the rows naming it in other files are reported too.
                if territory.otherSchools.contains(id) {
                    reader.problem(m[.schoolID], Messages.schoolOutsideTerritory(id, territory))
                    continue
                } else if let outside = territory.problem(municipality: municipality, region: region) {
                    reader.problem(outside.column == .municipality ? m[.municipality] : m[.region], outside.text)
                    continue
                }
            }
            if let prev = state.schoolRows[id] {
                reader.problem(m[.schoolID], Messages.duplicateSchool(id, place(prev, state)))
                continue
            }
            state.schoolRows[id] = here
            state.knownSchools.insert(id)
            guard reader.rowProblems == 0, collecting, let name, let municipality, let settlement, let kind else { continue }
            state.schools.append(School(id: id, name: name, municipality: municipality, region: region,
                                        settlement: settlement, kind: kind, students: students.value,
                                        distanceKm: distance.value))
        }
    }

    // MARK: context.csv

    private mutating func school(_ column: Int, _ state: ImportState, reported: inout Set<String>) -> String? {
        guard let id = reader.requiredText(column) else { return nil }
        if !state.knownSchools.contains(id) {
            // Reported once per file, at the first row naming the school.
            if reported.insert(id).inserted {
                reader.problem(column, state.territory?.problem(forUnknown: id) ?? Messages.unknownSchool(id))
            } else {
                reader.rowProblems += 1
            }
            return nil
        }
        return id
    }

    private mutating func parseContext(_ m: ColumnMap, _ state: inout ImportState) {
        var unknown = Set<String>()
        // Column positions once: `ColumnMap` looks each up in a dictionary (context.csv has ~750,000 rows at national scale).
        let yearColumn = m[.year], schoolColumn = m[.schoolID], indicatorColumn = m[.indicator], valueColumn = m[.value]
        // Sized once for the rows the file seems to hold: growing by doubling rehashed every key
        // about twenty times over, a quarter of the file's reading time.
        let expected = estimatedRemainingRows()
        state.indicatorRows.reserveCapacity(state.indicatorRows.count + expected)
        state.indicators.reserveCapacity(state.indicators.count + expected)
        // A school's indicators come one after another, and a file names a few dozen indicators
        // over and over: cells with the bytes of one read before are not read again (each read made
        // strings, lowercased them and hashed them into three tables, most of this file's time).
        var lastSchool: (field: CSVScanner.Field, id: String?, number: Int)?
        var codes = CellCache<(code: String, definition: IndicatorDefinition?, number: Int)>()
        while nextRow() {
            let year = reader.year(yearColumn)
            var school: String?, schoolNumber = 0
            if let l = lastSchool, let f = reader.field(schoolColumn), f.escaped == l.field.escaped,
               CSVScanner.sameBytes(reader.base, f, l.field) {
                (school, schoolNumber) = (l.id, l.number)
                if school == nil { reader.rowProblems += 1 } // an unknown school, reported at its first row
            } else {
                school = self.school(schoolColumn, state, reported: &unknown)
                schoolNumber = school.map { state.number(school: $0) } ?? 0
                if let f = reader.field(schoolColumn), !CSVScanner.isBlank(reader.base, f) { lastSchool = (f, school, schoolNumber) }
            }
            var indicator = reader.field(indicatorColumn).flatMap { codes.known(reader.base, $0) }
            if indicator == nil, let code = reader.requiredText(indicatorColumn)?.lowercased() {
                indicator = (code, IndicatorCatalogue.definition(of: code), state.number(indicator: code))
                if let f = reader.field(indicatorColumn) { codes.remember(reader.base, f, indicator!) }
            }
            var value = reader.number(valueColumn, required: true, allowPercent: true).value
            if let v = value, let definition = indicator?.definition, !definition.validRange.contains(v) {
                let text = reader.text(valueColumn)
                let hint = definition.validRange.upperBound == 1 && v > 1 && v <= 100 && !text.contains("%") ? v / 100 : nil
                reader.problem(valueColumn, Messages.indicatorRange(text, code: indicator!.code, range: definition.validRange, looksLikePercent: hint))
                value = nil
            }
            guard let year, let school, let indicator else { continue }
            // One hash of the key for the usual new row; a repeat puts the first row back (later repeats name it).
            let key = IndicatorKey(year: year, school: schoolNumber, indicator: indicator.number)
            if let prev = state.indicatorRows.updateValue(here, forKey: key) {
                state.indicatorRows[key] = prev
                reader.problem(indicatorColumn, Messages.duplicateIndicator(indicator.code, school, year, place(prev, state)))
                continue
            }
            guard reader.rowProblems == 0, collecting, let value else { continue }
            state.indicators.append(IndicatorValue(year: year, schoolID: school, indicator: indicator.code, value: value))
        }
    }

    /// The number of records after the current position, estimated from the line ends of the next
    /// 64 KiB (a guess for sizing tables: it may be off either way).
    func estimatedRemainingRows() -> Int {
        let scanner = reader.scanner
        let remaining = scanner.count - scanner.position
        let sample = min(remaining, 1 << 16)
        guard sample > 0 else { return 0 }
        var lines = 0
        for i in 0..<sample where scanner.base[scanner.position + i] == CSVScanner.lf { lines += 1 }
        return Int(Double(remaining) / Double(sample) * Double(max(1, lines)))
    }

    // MARK: tasks.csv

    private mutating func parseTasks(_ m: ColumnMap, _ state: inout ImportState) {
        while nextRow() {
            let procedure = reader.procedure(year: m[.year], assessment: m[.assessment], subject: m[.subject], grade: m[.grade])
            let task = reader.requiredText(m[.task]).map { Vocabulary.taskCode(forHeader: $0) ?? $0 }
            var maxScore = reader.number(m[.maxScore], required: true).value
            if let v = maxScore, v <= 0 {
                reader.problem(m[.maxScore], Messages.maxScoreNotPositive(reader.text(m[.maxScore])))
                maxScore = nil
            }
            var level: TaskLevel?
            let levelText = reader.text(m[.level])
            if !levelText.isEmpty {
                level = TaskLevel(parsing: levelText)
                if level == nil { reader.problem(m[.level], Messages.level(levelText)) }
            }
            guard let procedure, let task else { continue }
            let key = TaskKey(procedure: procedure, task: task)
            if let prev = state.taskRows[key] {
                reader.problem(m[.task], Messages.duplicateTask(task, place(prev, state)))
                continue
            }
            state.taskRows[key] = here
            guard reader.rowProblems == 0, collecting, let maxScore else { continue }
            state.tasks.append(TaskInfo(procedure: procedure, task: task, maxScore: maxScore, level: level))
        }
    }

    // MARK: results_school.csv

    private mutating func parseAggregates(_ m: ColumnMap, _ state: inout ImportState) {
        var unknown = Set<String>()
        let shareColumns = [m[.share2], m[.share3], m[.share4], m[.share5]]
        while nextRow() {
            let procedure = reader.procedure(year: m[.year], assessment: m[.assessment], subject: m[.subject], grade: m[.grade])
            let school = self.school(m[.schoolID], state, reported: &unknown)
            var participants = reader.integer(m[.participants], required: true)
            if let n = participants.value, n < 0 {
                reader.problem(m[.participants], Messages.negative(reader.text(m[.participants])))
                participants = .bad
            }
            let meanColumn = m[.meanScore]
            var mean = reader.nonNegative(meanColumn)
            if let v = mean.value, let procedure, let max = state.testMaximum(procedure), v > max + 1e-9 {
                let text = reader.text(meanColumn)
                reader.problem(meanColumn, procedure.assessment == .ege ? Messages.egeAbove100(text) : Messages.scoreAboveMax(text, max))
                mean = .bad
            }
            var shares: [Double?] = []
            var sharesValid = true
            for c in shareColumns {
                let cell = reader.number(c, allowPercent: true)
                if cell.isBad { sharesValid = false }
                guard let v = cell.value else { shares.append(nil); continue }
                if v < 0 || v > 1 {
                    let text = reader.text(c)
                    let hint = v > 1 && v <= 100 && !text.contains("%") ? v / 100 : nil
                    reader.problem(c, Messages.shareRange(text, looksLikePercent: hint))
                    sharesValid = false
                    shares.append(nil)
                } else {
                    shares.append(v)
                }
            }
            if sharesValid, shares.allSatisfy({ $0 != nil }) {
                let sum = shares.reduce(0) { $0 + $1! }
                if abs(sum - 1) > 0.02 + 1e-9 { reader.problem(nil, Messages.sharesSum(sum)) }
            }
            guard let procedure, let school else { continue }
            let key = AggregateKey(procedure: procedure, school: school)
            if let prev = state.aggregateRows[key] {
                reader.problem(m[.schoolID], Messages.duplicateAggregate(school, place(prev, state)))
                continue
            }
            state.aggregateRows[key] = here
            guard reader.rowProblems == 0, collecting, let n = participants.value else { continue }
            state.aggregates.append(SchoolAggregate(
                procedure: procedure, schoolID: school, participants: n, meanScore: mean.value,
                share2: shares[0], share3: shares[1], share4: shares[2], share5: shares[3]))
        }
    }
}

/// What cells read so far gave, by their exact bytes (escaping included): a cell with the same bytes
/// gives the same (its text trimmed and unescaped, then read as the caller reads it). For columns
/// with a few values written over and over.
private struct CellCache<Value> {
    private var entries: [(bytes: [UInt8], escaped: Bool, value: Value)] = []
    private var byHash: [UInt64: Int] = [:]

    private static func hash(_ base: UnsafePointer<UInt8>, _ f: CSVScanner.Field) -> UInt64 {
        let h = StableHash.fnv1a(UnsafeBufferPointer(start: base + f.start, count: f.end - f.start))
        return f.escaped ? ~h : h
    }

    func known(_ base: UnsafePointer<UInt8>, _ f: CSVScanner.Field) -> Value? {
        guard let i = byHash[Self.hash(base, f)], entries[i].escaped == f.escaped,
              entries[i].bytes.elementsEqual(UnsafeBufferPointer(start: base + f.start, count: f.end - f.start)) else { return nil }
        return entries[i].value
    }

    mutating func remember(_ base: UnsafePointer<UInt8>, _ f: CSVScanner.Field, _ value: Value) {
        let h = Self.hash(base, f)
        guard byHash[h] == nil else { return } // another cell with this hash: read in full each time
        byHash[h] = entries.count
        entries.append((Array(UnsafeBufferPointer(start: base + f.start, count: f.end - f.start)), f.escaped, value))
    }
}
