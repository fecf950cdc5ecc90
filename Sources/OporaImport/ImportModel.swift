import Foundation
import OporaCore

/// One thing wrong with the imported files, located as precisely as possible.
public struct ImportProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The path as given to the importer (or the name of an in-memory file).
    public var file: String
    /// The spreadsheet row number: the header is row 1, the first data record row 2. `nil` for
    /// problems of the whole file.
    public var row: Int?
    /// The column header as written in the file, or the standard column name when the column is
    /// missing. `nil` for problems of a whole row or file.
    public var column: String?
    public var message: LocalizedText

    public init(file: String, row: Int? = nil, column: String? = nil, message: LocalizedText) {
        self.file = file
        self.row = row
        self.column = column
        self.message = message
    }

    /// `results.csv:17:mark: отметка «7» вне диапазона 2–5 / mark «7» is outside 2–5`
    public var description: String {
        var location = file
        if let row { location += ":\(row)" }
        if let column { location += row == nil ? "::\(column)" : ":\(column)" }
        return "\(location): \(message.ru) / \(message.en)"
    }
}

/// Validation failed: every problem found, up to `ImportContext.problemLimit`.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]
    /// More problems exist than were listed.
    public var truncated: Bool

    public init(problems: [ImportProblem], truncated: Bool) {
        self.problems = problems
        self.truncated = truncated
    }

    public var description: String {
        var lines = problems.map(\.description)
        if truncated {
            lines.append("… показаны первые \(problems.count) проблем, есть и другие / only the first \(problems.count) problems are shown, there are more")
        }
        return lines.joined(separator: "\n")
    }
}

/// What the importer knows before it starts: what is already stored.
public struct ImportContext: Sendable {
    /// School codes already stored; schools.csv of the same import adds to them.
    public var knownSchools: Set<String>
    /// Task metadata already stored; tasks.csv of the same import replaces a procedure's tasks.
    public var knownTasks: [Procedure: [TaskInfo]]
    /// Stop after this many problems (then `ImportFailure.truncated` is set).
    public var problemLimit: Int
    /// When set, the files may only be about the schools of this territory (a municipal coordinator's upload).
    public var territory: ImportTerritory?

    public init(knownSchools: Set<String> = [], knownTasks: [Procedure: [TaskInfo]] = [:], problemLimit: Int = 200,
                territory: ImportTerritory? = nil) {
        self.knownSchools = knownSchools
        self.knownTasks = knownTasks
        self.problemLimit = problemLimit
        self.territory = territory
    }
}

/// The one municipality (or region) an import may write about. `knownSchools` then holds only its
/// stored schools; the schools stored elsewhere are listed here, so a row naming one of them is
/// reported as outside the territory rather than as unknown.
public struct ImportTerritory: Sendable {
    public enum Level: Sendable { case municipality, region }
    public var level: Level
    public var name: String
    public var otherSchools: Set<String>

    public init(municipality: String, otherSchools: Set<String>) {
        self.init(.municipality, municipality, otherSchools: otherSchools)
    }

    public init(_ level: Level, _ name: String, otherSchools: Set<String>) {
        self.level = level
        self.name = name
        self.otherSchools = otherSchools
    }

    /// The problem for a school code that is unknown to this import.
    func problem(forUnknown id: String) -> LocalizedText {
        otherSchools.contains(id) ? Messages.schoolOutsideTerritory(id, self) : Messages.unknownSchool(id)
    }

    /// A schools.csv row placing a school outside the territory, or `nil`.
    func problem(municipality: String?, region: String?) -> (column: SchoolColumn, text: LocalizedText)? {
        switch level {
        case .municipality:
            if let municipality, municipality != name { return (.municipality, Messages.outsideTerritory(municipality, self)) }
        case .region:
            if let region, !region.isEmpty, region != name { return (.region, Messages.outsideTerritory(region, self)) }
        }
        return nil
    }

    enum SchoolColumn { case municipality, region }
}

/// The kind of an interchange file, detected from its header.
public enum ImportFileKind: String, Sendable, Codable, CaseIterable {
    case schools
    case context
    case tasks
    case results
    case resultsSchool = "results_school"
}

/// One imported file: what it was taken for and how many data rows it had.
public struct FileSummary: Hashable, Sendable {
    public var path: String
    public var kind: ImportFileKind
    /// Data records (header and blank lines not counted).
    public var rows: Int

    public init(path: String, kind: ImportFileKind, rows: Int) {
        self.path = path
        self.kind = kind
        self.rows = rows
    }
}

/// Everything a valid import brings.
public struct ImportBatch: Sendable {
    public var schools: [School]
    public var indicators: [IndicatorValue]
    public var tasks: [TaskInfo]
    public var results: [StudentResult]
    public var aggregates: [SchoolAggregate]
    public var files: [FileSummary]

    public init(
        schools: [School] = [], indicators: [IndicatorValue] = [], tasks: [TaskInfo] = [],
        results: [StudentResult] = [], aggregates: [SchoolAggregate] = [], files: [FileSummary] = []
    ) {
        self.schools = schools
        self.indicators = indicators
        self.tasks = tasks
        self.results = results
        self.aggregates = aggregates
        self.files = files
    }

    /// The procedures the batch has results or aggregates for.
    public var procedures: Set<Procedure> {
        var set = Set<Procedure>()
        for r in results { set.insert(r.procedure) }
        for a in aggregates { set.insert(a.procedure) }
        return set
    }

    /// A one-line human summary, e.g. "Файлов: 2. Школ: 12, … / 2 files. Schools: 12, …".
    public var summary: LocalizedText {
        let procedureCount = procedures.count
        return LocalizedText(
            ru: "Файлов: \(files.count). Школ: \(schools.count), значений показателей: \(indicators.count), "
                + "заданий: \(tasks.count), результатов участников: \(results.count), "
                + "школьных результатов: \(aggregates.count), процедур: \(procedureCount).",
            en: "\(files.count) file\(files.count == 1 ? "" : "s"). Schools: \(schools.count), indicator values: \(indicators.count), "
                + "tasks: \(tasks.count), student results: \(results.count), "
                + "school results: \(aggregates.count), procedures: \(procedureCount)."
        )
    }
}

/// Progress of reading one file, for a progress bar. Reported at the start and end of each file
/// and at most about five times a second in between.
public struct ImportProgress: Sendable {
    public var file: String
    /// 0-based index of the file among all files of the import, and their number.
    public var fileIndex: Int
    public var fileCount: Int
    public var bytesDone: Int
    public var bytesTotal: Int

    public var fraction: Double { bytesTotal == 0 ? 1 : Double(bytesDone) / Double(bytesTotal) }
}

/// A file given in memory (e.g. an upload) instead of a path.
public struct ImportFile: Sendable {
    public var name: String
    public var data: Data
    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

extension ImportFileKind {
    public var name: LocalizedText {
        switch self {
        case .schools: LocalizedText(ru: "школы", en: "schools")
        case .context: LocalizedText(ru: "показатели контекста", en: "context indicators")
        case .tasks: LocalizedText(ru: "задания", en: "tasks")
        case .results: LocalizedText(ru: "результаты участников", en: "student results")
        case .resultsSchool: LocalizedText(ru: "результаты школ", en: "school results")
        }
    }
}
