import Foundation
import OporaCore

/// One valid row of a results file, as handed to a `ResultConsumer`.
///
/// The fast path: nothing is allocated per row. `participantBytes` and `taskScores` point into the
/// importer's buffers and are valid **only during the `consume` call**; copy what you keep
/// (`participant`, `studentResult()` make owned copies). The reader reuses one row value from row
/// to row, so its shared parts are not retained and released per row. Rows carry no spreadsheet row number:
/// a later part's rows are numbered only once the earlier parts have been read.
public struct ResultRow {
    /// One task score: the position of the task column in `ResultsPart.taskCodes`, and the score.
    public struct Task {
        public var column: Int32
        public var score: Double
    }

    /// Dense index of the procedure in `StreamOutcome.procedures`, stable within one `stream` call
    /// (numbered in order of discovery, which may differ between runs when parts run in parallel).
    public internal(set) var procedureIndex: Int
    public internal(set) var procedure: Procedure
    /// Index of the school in `StreamOutcome.schools` (all known school codes, sorted).
    public internal(set) var schoolIndex: Int
    public internal(set) var schoolID: String
    /// The participant code as UTF-8 (trimmed, `""` unescaped). Valid during the call only.
    public internal(set) var participantBytes: UnsafeBufferPointer<UInt8>
    public internal(set) var score: Double?
    public internal(set) var mark: Int?
    public internal(set) var journalMark: Int?
    /// Present task scores in the order of the file's task columns. Valid during the call only.
    public internal(set) var taskScores: UnsafeBufferPointer<Task>
    /// The file's task codes (`ResultsPart.taskCodes`), indexed by `Task.column`.
    public internal(set) var taskCodes: [String]

    /// The participant code as a `String`.
    public var participant: String { String(decoding: participantBytes, as: UTF8.self) }

    /// An owned `StudentResult` (allocates: the convenience path).
    public func studentResult() -> StudentResult {
        var tasks: [TaskScore] = []
        tasks.reserveCapacity(taskScores.count)
        for t in taskScores { tasks.append(TaskScore(task: taskCodes[Int(t.column)], score: t.score)) }
        return StudentResult(procedure: procedure, schoolID: schoolID, participant: participant,
                             score: score, mark: mark, journalMark: journalMark, taskScores: tasks)
    }
}

/// Receives the valid rows of one part of one results file, in file order.
public protocol ResultConsumer: SendableMetatype {
    mutating func consume(_ row: borrowing ResultRow)
}

/// A part of a results file: a big file is split at record boundaries into parts read in parallel,
/// each with its own consumer.
public struct ResultsPart: Sendable, Hashable {
    /// The path (or in-memory name) of the file.
    public var file: String
    /// The position of the file among all files of the import (paths expanded), as in `ImportBatch.files`' order.
    public var fileIndex: Int
    /// 0-based part of the file, and the number of parts.
    public var index: Int
    public var count: Int
    /// The file's task columns' codes (`ResultRow.Task.column` indexes them).
    public var taskCodes: [String]
}

/// What `Importer.stream` returns when every file is valid.
public struct StreamOutcome<Consumer> {
    /// Everything but student results (`batch.results` is empty; `batch.files` has the row counts).
    public var batch: ImportBatch
    /// The parts of all results files in reading order (files in the order given, then parts in file
    /// order) and their consumers: merge the consumers' states in this order to see the rows in file order.
    public var parts: [ResultsPart]
    public var consumers: [Consumer]
    /// `ResultRow.procedureIndex` → procedure.
    public var procedures: [Procedure]
    /// `ResultRow.schoolIndex` → school code.
    public var schools: [String]
    /// Bytes held by the duplicate-participant table at the end (for diagnostics).
    public var participantTableBytes: Int
}

/// How big results files are split for parallel reading.
struct Chunking: Sendable {
    /// Parts per file at most (≥ 1).
    var parts: Int
    /// A file is split only into parts of at least this many bytes.
    var minimumPartBytes: Int

    static var automatic: Chunking {
        Chunking(parts: max(1, ProcessInfo.processInfo.activeProcessorCount), minimumPartBytes: 4 << 20)
    }
}

extension Importer {
    /// Validates exactly like `validate(paths:)` — the same problems in the same order, the same
    /// checks across files — but hands every valid student result to a consumer instead of keeping it.
    ///
    /// A big results file is split at record boundaries into up to one part per active processor;
    /// parts are read in parallel. `makeConsumer` is called on the calling thread once per part
    /// (before the file is read) and the consumer is then used from one worker thread; the returned
    /// `StreamOutcome.consumers` are in file-then-part order, so merging their states in that order
    /// sees the rows in file order. If a file cannot be split safely (a quoted line break straddles a
    /// split point), it is read again as one part: `makeConsumer` is then called again and the
    /// consumers of the abandoned parts are dropped — so keep all state inside the consumer.
    ///
    /// All-or-nothing: if any problem is found, the pass still ends and `ImportFailure` is thrown;
    /// consumers may have received rows before, which the caller must discard (after the first
    /// problem in a part that part receives no more rows).
    ///
    /// Memory: the files are memory-mapped (Windows-1251 files are transcoded into memory); the
    /// duplicate check holds 16 bytes a row for (procedure, participant) keys until each file is read.
    public static func stream<Consumer: ResultConsumer>(
        paths: [String], context: ImportContext = ImportContext(),
        progress: (@Sendable (ImportProgress) -> Void)? = nil,
        makeConsumer: (ResultsPart) -> Consumer
    ) throws(ImportFailure) -> StreamOutcome<Consumer> {
        try stream(paths: paths, context: context, chunking: .automatic, progress: progress, makeConsumer: makeConsumer)
    }

    /// The same for files held in memory.
    public static func stream<Consumer: ResultConsumer>(
        files: [ImportFile], context: ImportContext = ImportContext(),
        progress: (@Sendable (ImportProgress) -> Void)? = nil,
        makeConsumer: (ResultsPart) -> Consumer
    ) throws(ImportFailure) -> StreamOutcome<Consumer> {
        try run(files.enumerated().map { ($0.offset, $0.element) }, context: context,
                sink: ProblemSink(limit: context.problemLimit), chunking: .automatic,
                progress: progress, makeConsumer: makeConsumer)
    }

    /// `chunking` lets tests force small parts.
    static func stream<Consumer: ResultConsumer>(
        paths: [String], context: ImportContext, chunking: Chunking,
        progress: (@Sendable (ImportProgress) -> Void)? = nil,
        makeConsumer: (ResultsPart) -> Consumer
    ) throws(ImportFailure) -> StreamOutcome<Consumer> {
        let sink = ProblemSink(limit: context.problemLimit)
        let inputs = open(paths, sink: sink)
        return try run(inputs, context: context, sink: sink, chunking: chunking, progress: progress, makeConsumer: makeConsumer)
    }
}

/// Keeps every row as a `StudentResult` (what `validate` returns).
struct CollectingConsumer: ResultConsumer {
    var results: [StudentResult] = []
    mutating func consume(_ row: borrowing ResultRow) { results.append(row.studentResult()) }
}
