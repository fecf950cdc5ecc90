import Foundation
import OporaCore
import OporaImport
import OporaStore

/// What the parent asks `opora import-worker` to do, written as JSON to a private folder. The
/// database location is not in it: it goes through the environment (`OPORA_DB`), never argv or disk.
public struct ImportWorkerRequest: Codable, Sendable {
    public enum Mode: String, Codable, Sendable {
        /// `ImportService.check` of the files within `scope`: a preview or the problems.
        case check
        /// Checks again and stores with `actor` for the audit log.
        case store
        /// One file (a workbook) to a UTF-8 CSV file at `output`.
        case convert
        /// Test hooks of the runner: abort, loop forever, allocate without end.
        case testAbort = "test-abort", testSpin = "test-spin", testAllocate = "test-allocate"
    }

    public var mode: Mode
    public var paths: [String]
    /// `everything`, `region` or `municipality` (with `territory`).
    public var scope: String = "everything"
    public var territory: String?
    public var actorUserID: Int?
    public var actorLogin: String?
    public var maxProblems: Int = 200
    public var output: String?

    public init(mode: Mode, paths: [String]) {
        self.mode = mode
        self.paths = paths
    }

    public var importScope: Scope {
        switch (scope, territory) {
        case ("region", let name?): .region(name)
        case ("municipality", let name?): .municipality(name)
        default: .everything
        }
    }

    /// Uploads are made within a region or a municipality (or by an admin): other scopes throw.
    public mutating func setScope(_ s: Scope) throws {
        switch s {
        case .everything: (scope, territory) = ("everything", nil)
        case .region(let name): (scope, territory) = ("region", name)
        case .municipality(let name): (scope, territory) = ("municipality", name)
        case .schools: throw ImportScopeError()
        }
    }
}

/// What a worker answers: exactly one of `preview` (checked, perhaps written), `problems` (nothing
/// written) or `error` (the worker could not do its job: a database error, say).
public struct ImportWorkerAnswer: Codable, Sendable {
    public struct Problem: Codable, Sendable {
        public var file: String
        public var row: Int?
        public var column: String?
        public var ru: String
        public var en: String
    }

    public var preview: ImportPreview?
    public var problems: [Problem]?
    public var truncated: Bool?
    /// `store`: slices (school × procedure) whose earlier results were replaced.
    public var replacedSlices: Int?
    public var error: String?

    public init(preview: ImportPreview? = nil, replacedSlices: Int? = nil) {
        self.preview = preview
        self.replacedSlices = replacedSlices
    }

    public init(failure: ImportFailure) {
        problems = failure.problems.map { Problem(file: $0.file, row: $0.row, column: $0.column, ru: $0.message.ru, en: $0.message.en) }
        truncated = failure.truncated
    }

    public init(error: String) { self.error = error }

    public var failure: ImportFailure? {
        problems.map { list in
            ImportFailure(problems: list.map { ImportProblem(file: $0.file, row: $0.row, column: $0.column, message: LocalizedText(ru: $0.ru, en: $0.en)) },
                          truncated: truncated ?? false)
        }
    }
}

/// A checked import as the upload page shows it: each file's name, kind and rows, the summary and
/// how many earlier slices it replaces. The packed rows stay in the worker.
public struct ImportPreview: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var kind: ImportFileKind
        public var rows: Int
    }

    public var files: [File]
    public var summary: LocalizedText
    public var slicesToReplace: Int

    public init(_ checked: ImportService.CheckedImport) {
        files = checked.batch.files.map { File(path: $0.path, kind: $0.kind, rows: $0.rows) }
        summary = checked.summary
        slicesToReplace = checked.slicesToReplace
    }
}

/// What a confirmed upload wrote.
public struct ImportWritten: Sendable, Equatable {
    public var preview: ImportPreview
    public var replacedSlices: Int
}
