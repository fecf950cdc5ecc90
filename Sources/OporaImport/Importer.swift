import Foundation
import OporaCore

/// Reads and validates interchange files (see docs/formats.md).
public enum Importer {
    /// Reads the files (a folder means all its *.csv, *.txt, *.tsv and *.xlsx files, sorted by name),
    /// detects each file's kind from its header, validates everything together and returns the
    /// batch, or throws every problem found (up to `context.problemLimit`).
    public static func validate(
        paths: [String], context: ImportContext = ImportContext(),
        progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) throws(ImportFailure) -> ImportBatch {
        try collect(stream(paths: paths, context: context, chunking: .automatic, progress: progress) { _ in CollectingConsumer() })
    }

    /// Opens the paths (folders expanded), reporting missing and unreadable ones.
    static func open(_ paths: [String], sink: ProblemSink) -> [(order: Int, file: ImportFile)] {
        var inputs: [(order: Int, file: ImportFile)] = []
        let fm = FileManager.default
        var position = 0 // orders problems of paths and files as given
        for path in paths {
            sink.currentFile = position
            position += 1
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                sink.add(ImportProblem(file: path, message: Messages.fileNotFound))
                continue
            }
            var files: [String] = [path]
            if isDirectory.boolValue {
                files = dataFiles(inFolder: path)
                if files.isEmpty { sink.add(ImportProblem(file: path, message: Messages.folderEmpty)) }
            }
            for file in files {
                sink.currentFile = position
                position += 1
                do {
                    let data = try Data(contentsOf: URL(fileURLWithPath: file), options: .alwaysMapped)
                    inputs.append((sink.currentFile, ImportFile(name: file, data: data)))
                } catch {
                    sink.add(ImportProblem(file: file, message: Messages.cannotRead(error.localizedDescription)))
                }
            }
        }
        return inputs
    }

    /// The batch with the collected results, in file order.
    private static func collect(_ outcome: StreamOutcome<CollectingConsumer>) -> ImportBatch {
        var batch = outcome.batch
        var results: [StudentResult] = []
        results.reserveCapacity(outcome.consumers.reduce(0) { $0 + $1.results.count })
        for c in outcome.consumers { results.append(contentsOf: c.results) }
        batch.results = results
        return batch
    }

    /// The same for files held in memory (e.g. uploads); `name` is used in problems.
    public static func validate(
        files: [ImportFile], context: ImportContext = ImportContext(),
        progress: (@Sendable (ImportProgress) -> Void)? = nil
    ) throws(ImportFailure) -> ImportBatch {
        try collect(run(files.enumerated().map { ($0.offset, $0.element) }, context: context,
                        sink: ProblemSink(limit: context.problemLimit), chunking: .automatic,
                        progress: progress) { _ in CollectingConsumer() })
    }

    // MARK: - Driver

    struct Prepared {
        var order: Int
        var name: String
        var text: DecodedText
        var delimiter: UInt8
        var headers: [String]
        var kind: ImportFileKind
    }

    private static let kindOrder: [ImportFileKind] = [.schools, .tasks, .context, .resultsSchool, .results]

    static func run<Consumer: ResultConsumer>(
        _ inputs: [(order: Int, file: ImportFile)], context: ImportContext, sink: ProblemSink,
        chunking: Chunking, progress: (@Sendable (ImportProgress) -> Void)?,
        makeConsumer: (ResultsPart) -> Consumer
    ) throws(ImportFailure) -> StreamOutcome<Consumer> {
        if inputs.isEmpty, sink.isEmpty {
            sink.add(ImportProblem(file: "", message: Messages.noFiles))
        }
        // 1. Decode each file and read its header to learn its kind.
        var prepared: [Prepared] = []
        for (order, input) in inputs {
            sink.currentFile = order
            let text: DecodedText
            switch TextDecoding.decode(input.data) {
            case .failure(let e):
                sink.add(ImportProblem(file: input.name, message: e.message))
                continue
            case .success(let t): text = t
            }
            let header: (UInt8, [String])? = text.withBytes { p in
                guard let base = p.baseAddress, p.count > 0 else { return nil }
                let delimiter = CSVScanner.detectDelimiter(p)
                var scanner = CSVScanner(base: base, count: p.count, delimiter: delimiter)
                guard scanner.next(), !scanner.recordIsBlank else { return nil }
                return (delimiter, scanner.fields.map { scanner.string($0) })
            }
            guard let (delimiter, headers) = header else {
                sink.add(ImportProblem(file: input.name, message: Messages.emptyFile))
                continue
            }
            let columns = Set(headers.compactMap(Vocabulary.column(forHeader:)))
            let kind: ImportFileKind
            if columns.contains(.studentID) {
                kind = .results
            } else if columns.contains(.participants) {
                kind = .resultsSchool
            } else if columns.contains(.indicator), columns.contains(.value) {
                kind = .context
            } else if columns.contains(.task), columns.contains(.maxScore) {
                kind = .tasks
            } else if columns.contains(.name), columns.contains(.municipality) {
                kind = .schools
            } else {
                sink.add(ImportProblem(file: input.name, row: 1, message: Messages.unknownKind))
                continue
            }
            prepared.append(Prepared(order: order, name: input.name, text: text, delimiter: delimiter, headers: headers, kind: kind))
        }

        // 2. Parse in dependency order: schools and tasks before the files that refer to them.
        prepared.sort { (kindOrder.firstIndex(of: $0.kind)!, $0.order) < (kindOrder.firstIndex(of: $1.kind)!, $1.order) }
        var state = ImportState(context: context)
        for file in prepared { state.fileNames[file.order] = file.name }
        let leading = prepared.filter { $0.kind == .schools || $0.kind == .tasks }
        let trailing = prepared.filter { $0.kind == .context || $0.kind == .resultsSchool }
        let resultsFiles = prepared.filter { $0.kind == .results }
        var summaries: [(Int, FileSummary)] = []
        var index = 0
        parseFiles(leading, count: prepared.count, index: &index, state: &state, sink: sink, progress: progress, into: &summaries)
        state.finalizeTasks()

        // 3. Results files: split into parts read in parallel, valid rows handed to consumers. Context
        // and school-level files need nothing the results need, so with big results they are read
        // on another thread meanwhile (see `Overlapped`); otherwise one after another.
        let resultsBytes = resultsFiles.reduce(0) { $0 + $1.text.count }
        var reading = ResultsReading<Consumer>(sink: sink, chunking: chunking, progress: progress,
                                               fileCount: prepared.count, firstIndex: index + trailing.count)
        var readResults = true
        if sink.isEmpty, !trailing.isEmpty, resultsBytes >= 2 * chunking.minimumPartBytes {
            let side = Overlapped(files: trailing, count: prepared.count, index: index, state: state,
                                  sink: ProblemSink(limit: sink.limit), progress: progress)
            let resultsSink = ProblemSink(limit: sink.limit)
            var speculative = ResultsReading<Consumer>(sink: resultsSink, chunking: chunking, progress: progress,
                                                       fileCount: prepared.count, firstIndex: index + trailing.count)
            let thread = Thread { side.run() }
            thread.stackSize = 8 << 20
            thread.start()
            let rows = readResultsFiles(resultsFiles, state: state, reading: &speculative, makeConsumer: makeConsumer)
            side.done.wait()
            state = side.state
            summaries += side.summaries
            sink.append(side.sink)
            if side.sink.isEmpty {
                // As if read one after another: the results' problems came after none.
                sink.append(resultsSink)
                reading = speculative
                summaries += rows
                readResults = false
            }
            // Otherwise the results are read again below, after the other files' problems, exactly as
            // on the sequential path (the problem limit and ordering depend on what came before).
        } else {
            parseFiles(trailing, count: prepared.count, index: &index, state: &state, sink: sink, progress: progress, into: &summaries)
        }
        if readResults, !sink.truncated, !resultsFiles.isEmpty {
            summaries += readResultsFiles(resultsFiles, state: state, reading: &reading, makeConsumer: makeConsumer)
        }
        if !sink.isEmpty {
            throw ImportFailure(problems: sink.problems, truncated: sink.truncated)
        }
        let batch = ImportBatch(
            schools: state.schools, indicators: state.indicators, tasks: state.tasks,
            results: [], aggregates: state.aggregates,
            files: summaries.sorted { $0.0 < $1.0 }.map(\.1)
        )
        return StreamOutcome(batch: batch, parts: reading.parts, consumers: reading.consumers,
                             procedures: reading.shared?.registry.all ?? [],
                             schools: reading.shared?.schoolIDs ?? state.knownSchools.sorted(),
                             participantTableBytes: reading.shared?.table.memoryBytes ?? 0)
    }

    /// Parses files of kinds other than results, in order, until the problem list is full.
    private static func parseFiles(_ files: [Prepared], count: Int, index: inout Int, state: inout ImportState, sink: ProblemSink,
                                   progress: (@Sendable (ImportProgress) -> Void)?, into summaries: inout [(Int, FileSummary)]) {
        for file in files {
            if sink.truncated { break }
            sink.currentFile = file.order
            let reporter = ProgressReporter(file: file.name, index: index, count: count, total: file.text.count, callback: progress)
            index += 1
            let rows = file.text.withBytes { p -> Int in
                // An empty buffer was refused above, so baseAddress is set.
                let scanner = CSVScanner(base: p.baseAddress!, count: p.count, delimiter: file.delimiter)
                var parser = FileParser(scanner: scanner, name: file.name, fileIndex: file.order,
                                        headers: file.headers, sink: sink, reporter: reporter)
                return parser.parse(kind: file.kind, state: &state)
            }
            summaries.append((file.order, FileSummary(path: file.name, kind: file.kind, rows: rows)))
        }
    }

    private static func readResultsFiles<Consumer: ResultConsumer>(
        _ files: [Prepared], state: ImportState, reading: inout ResultsReading<Consumer>,
        makeConsumer: (ResultsPart) -> Consumer
    ) -> [(Int, FileSummary)] {
        let rows = withAllBytes(files[...], []) { texts in
            reading.read(files, texts: texts, state: state, makeConsumer: makeConsumer)
        }
        return zip(files, rows).map { ($0.order, FileSummary(path: $0.name, kind: $0.kind, rows: $1)) }
    }

    /// Context and school-level files parsed on their own thread, into their own problem list and a
    /// copy of the state, while the results are read (at national scale context.csv alone took
    /// ~0.8 s on one core with the other idle). Used only when nothing went wrong before them.
    private final class Overlapped: @unchecked Sendable {
        let files: [Prepared]
        let count: Int
        let index: Int
        var state: ImportState
        let sink: ProblemSink
        let progress: (@Sendable (ImportProgress) -> Void)?
        var summaries: [(Int, FileSummary)] = []
        let done = DispatchSemaphore(value: 0)

        init(files: [Prepared], count: Int, index: Int, state: ImportState, sink: ProblemSink,
             progress: (@Sendable (ImportProgress) -> Void)?) {
            self.files = files
            self.count = count
            self.index = index
            self.state = state
            self.sink = sink
            self.progress = progress
        }

        func run() {
            var index = self.index
            Importer.parseFiles(files, count: count, index: &index, state: &state, sink: sink, progress: progress, into: &summaries)
            done.signal()
        }
    }

    /// Runs `body` with the bytes of all the files (kept valid throughout).
    private static func withAllBytes<R>(_ files: ArraySlice<Prepared>, _ acc: [UnsafeBufferPointer<UInt8>],
                                        _ body: ([UnsafeBufferPointer<UInt8>]) -> R) -> R {
        guard let first = files.first else { return body(acc) }
        return first.text.withBytes { p in withAllBytes(files.dropFirst(), acc + [p], body) }
    }
}

/// Calls the progress callback at the start and end of a file and at most every 0.2 s between.
struct ProgressReporter {
    let file: String
    let index: Int
    let count: Int
    let total: Int
    let callback: (@Sendable (ImportProgress) -> Void)?
    private var last = ContinuousClock.now

    init(file: String, index: Int, count: Int, total: Int, callback: (@Sendable (ImportProgress) -> Void)?) {
        self.file = file
        self.index = index
        self.count = count
        self.total = total
        self.callback = callback
    }

    func report(_ done: Int) {
        callback?(ImportProgress(file: file, fileIndex: index, fileCount: count, bytesDone: done, bytesTotal: total))
    }

    /// Called every few thousand records.
    mutating func tick(_ done: Int) {
        guard callback != nil else { return }
        let now = ContinuousClock.now
        if now - last >= .milliseconds(200) {
            last = now
            report(done)
        }
    }
}

/// Everything accumulated across the files of one import.
struct ImportState {
    var schools: [School] = []
    var indicators: [IndicatorValue] = []
    var tasks: [TaskInfo] = []
    var aggregates: [SchoolAggregate] = []

    /// context.knownSchools ∪ schools.csv of this import.
    var knownSchools: Set<String>
    /// Task maxima per procedure: context.knownTasks, replaced per procedure by tasks.csv.
    var taskMaxima: [Procedure: [String: Double]] = [:]

    var schoolRows: [String: RowRef] = [:]
    var taskRows: [TaskKey: RowRef] = [:]
    var indicatorRows: [IndicatorKey: RowRef] = [:]
    /// Numbers for the schools and indicator codes of context files (their duplicate keys).
    private var schoolNumbers: [String: Int] = [:], indicatorNumbers: [String: Int] = [:]
    var aggregateRows: [AggregateKey: RowRef] = [:]
    var fileNames: [Int: String] = [:]
    /// Set when only one municipality's schools may be written (see `ImportTerritory`).
    var territory: ImportTerritory?

    init(context: ImportContext) {
        knownSchools = context.knownSchools
        territory = context.territory
        for (procedure, infos) in context.knownTasks {
            var maxima: [String: Double] = [:]
            for t in infos { maxima[t.task] = t.maxScore }
            taskMaxima[procedure] = maxima
        }
    }

    mutating func finalizeTasks() {
        var imported: [Procedure: [String: Double]] = [:]
        for t in tasks { imported[t.procedure, default: [:]][t.task] = t.maxScore }
        for (p, m) in imported { taskMaxima[p] = m }
    }

    mutating func number(school: String) -> Int { Self.number(school, in: &schoolNumbers) }
    mutating func number(indicator: String) -> Int { Self.number(indicator, in: &indicatorNumbers) }

    private static func number(_ key: String, in numbers: inout [String: Int]) -> Int {
        if let n = numbers[key] { return n }
        numbers[key] = numbers.count
        return numbers.count - 1
    }

    /// The highest possible score of a procedure: 100 for ЕГЭ, else the sum of its task maxima.
    func testMaximum(_ p: Procedure) -> Double? {
        if p.assessment == .ege { return 100 }
        guard let m = taskMaxima[p], !m.isEmpty else { return nil }
        return m.values.reduce(0, +)
    }
}

struct RowRef {
    var file: Int32
    var row: Int32
}
struct TaskKey: Hashable { var procedure: Procedure; var task: String }
/// A context row's key: the year, and the numbers of its school and indicator (`ImportState.number`).
struct IndicatorKey: Hashable { var year: Int; var school: Int; var indicator: Int }
struct AggregateKey: Hashable { var procedure: Procedure; var school: String }

extension Importer {
    /// The files an import of a folder reads: its *.csv, *.txt, *.tsv and *.xlsx files, sorted by
    /// name, without Excel's lock files (`~$…`) of open workbooks.
    public static func dataFiles(inFolder path: String) -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
            .filter { ["csv", "txt", "tsv", "xlsx"].contains(($0 as NSString).pathExtension.lowercased()) }
            .filter { !$0.hasPrefix("~$") }
            .sorted()
        let folder = path.hasSuffix("/") ? path : path + "/"
        return names.map { folder + $0 }
    }
}
