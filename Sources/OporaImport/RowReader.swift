import OporaCore

/// Collects problems up to a limit; `truncated` once one more is offered.
final class ProblemSink {
    let limit: Int
    private(set) var entries: [(file: Int, problem: ImportProblem)] = []
    private(set) var truncated = false
    /// The file (in the order given) that problems are currently attributed to.
    var currentFile = 0

    init(limit: Int) { self.limit = max(1, limit) }

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    func add(_ problem: ImportProblem) {
        if entries.count < limit { entries.append((currentFile, problem)) } else { truncated = true }
    }

    /// Offers another sink's problems after these, in their order and with their files.
    func append(_ other: ProblemSink) {
        for e in other.entries {
            if entries.count < limit { entries.append(e) } else { truncated = true }
        }
        if other.truncated { truncated = true }
    }

    /// Problems grouped by file in the order the files were given, rows in order within a file.
    var problems: [ImportProblem] {
        var byFile: [Int: [ImportProblem]] = [:]
        for e in entries { byFile[e.file, default: []].append(e.problem) }
        return byFile.keys.sorted().flatMap { byFile[$0]! }
    }
}

/// A cell value read with its validation: absent/empty, good, or bad (a problem was reported).
enum Cell<T> {
    case missing
    case ok(T)
    case bad

    var value: T? { if case .ok(let v) = self { v } else { nil } }
    var isBad: Bool { if case .bad = self { true } else { false } }
}

/// Reads the cells of the current record of a scanner and reports problems with their location.
struct RowReader {
    var scanner: CSVScanner
    let file: String
    /// Header texts as written in the file.
    let headers: [String]
    let sink: ProblemSink
    /// The spreadsheet row number of the current record.
    var row = 1
    /// Problems reported in the current row.
    var rowProblems = 0

    init(scanner: CSVScanner, file: String, headers: [String], sink: ProblemSink) {
        self.scanner = scanner
        self.file = file
        self.headers = headers
        self.sink = sink
    }

    var base: UnsafePointer<UInt8> { scanner.base }

    mutating func problem(_ column: Int?, _ message: LocalizedText) {
        rowProblems += 1
        let name = column.flatMap { $0 >= 0 && $0 < headers.count ? headers[$0] : nil }
        sink.add(ImportProblem(file: file, row: row, column: name, message: message))
    }

    @inline(__always)
    func field(_ column: Int) -> CSVScanner.Field? {
        column >= 0 && column < scanner.fields.count ? scanner.fields[column] : nil
    }

    /// The trimmed text of a cell, "" when absent.
    func text(_ column: Int) -> String {
        guard let f = field(column) else { return "" }
        return scanner.string(f)
    }

    func isEmpty(_ column: Int) -> Bool {
        guard let f = field(column) else { return true }
        return CSVScanner.isBlank(base, f)
    }

    /// A required text cell; reports an empty one.
    mutating func requiredText(_ column: Int) -> String? {
        let s = text(column)
        if s.isEmpty {
            problem(column, Messages.emptyRequired)
            return nil
        }
        return s
    }

    mutating func number(_ column: Int, required: Bool = false, allowPercent: Bool = false) -> Cell<Double> {
        guard let f = field(column) else {
            if required, column >= 0 { problem(column, Messages.emptyRequired); return .bad }
            return .missing
        }
        switch NumberParsing.parse(base, f.start, f.end) {
        case .missing:
            if required { problem(column, Messages.emptyRequired); return .bad }
            return .missing
        case .invalid:
            problem(column, Messages.notNumber(text(column)))
            return .bad
        case .tooLarge:
            problem(column, Messages.tooLarge(text(column)))
            return .bad
        case .value(let v, let percent):
            if percent {
                if !allowPercent {
                    problem(column, Messages.percentNotAllowed(text(column)))
                    return .bad
                }
                return .ok(v / 100)
            }
            return .ok(v)
        }
    }

    mutating func integer(_ column: Int, required: Bool = false) -> Cell<Int> {
        switch number(column, required: required) {
        case .missing: return .missing
        case .bad: return .bad
        case .ok(let v):
            // Counts, years and marks: nothing real reaches 10¹²; beyond it the value is too large
            // (not «not whole»: 10000000000000 is whole), checked first.
            guard abs(v) < 1e12 else {
                problem(column, Messages.tooLarge(text(column)))
                return .bad
            }
            guard v == v.rounded() else {
                problem(column, Messages.notInteger(text(column)))
                return .bad
            }
            return .ok(Int(v))
        }
    }

    /// A mark 2–5 (or a journal mark).
    mutating func mark(_ column: Int, journal: Bool) -> Cell<Int> {
        let cell = integer(column)
        if let m = cell.value, !Mark.range.contains(m) {
            problem(column, Messages.markRange(text(column), journal: journal))
            return .bad
        }
        return cell
    }

    /// A non-negative number; `percent` allowed only where shares are expected.
    mutating func nonNegative(_ column: Int, required: Bool = false) -> Cell<Double> {
        let cell = number(column, required: required)
        if let v = cell.value, v < 0 {
            problem(column, Messages.negative(text(column)))
            return .bad
        }
        return cell
    }

    mutating func year(_ column: Int) -> Int? {
        guard let y = integer(column, required: true).value else { return nil }
        guard (2000...2100).contains(y) else {
            problem(column, Messages.year(text(column)))
            return nil
        }
        return y
    }

    mutating func grade(_ column: Int) -> Int? {
        guard let s = requiredText(column) else { return nil }
        guard let g = Vocabulary.gradeNumber(s) else {
            problem(column, Messages.gradeUnreadable(s))
            return nil
        }
        guard (1...11).contains(g) else {
            problem(column, Messages.gradeRange(s))
            return nil
        }
        return g
    }

    /// year × assessment × subject × grade; reports every bad part.
    mutating func procedure(year yc: Int, assessment ac: Int, subject sc: Int, grade gc: Int) -> Procedure? {
        let year = self.year(yc)
        let assessment = requiredText(ac).map(Vocabulary.assessment)
        let subject = requiredText(sc).map(Vocabulary.subject)
        let grade = self.grade(gc)
        guard let year, let assessment, let subject, let grade else { return nil }
        return Procedure(year: year, assessment: assessment, subject: subject, grade: grade)
    }

    /// Reports values beyond the header's columns (usually a wrong delimiter or an unquoted
    /// decimal comma). Empty trailing cells are fine.
    mutating func checkExtraValues() {
        let fields = scanner.fields
        guard fields.count > headers.count else { return }
        var last = fields.count
        while last > headers.count, CSVScanner.isBlank(base, fields[last - 1]) { last -= 1 }
        if last > headers.count { problem(nil, Messages.tooManyValues(last, headers.count)) }
    }
}
