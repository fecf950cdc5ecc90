import ArgumentParser
import Foundation
import OporaCore
import OporaImport
import OporaStore

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Check and load interchange files (schools, context, results, tasks, school results).",
        discussion: """
            Give files or folders (a folder means every .csv/.tsv/.txt in it). Everything is checked \
            before anything is written: on any problem, every problem is listed as \
            file:row:column: message, nothing is written and the exit status is 1. Importing the same \
            results again replaces that school's results in that procedure instead of adding a copy. \
            The formats are described in docs/formats.md.
            """)

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Only check the files; write nothing.")
    var dryRun = false

    @Option(help: "List at most this many problems.")
    var maxProblems = 200

    @Argument(help: ArgumentHelp("Files or folders to import.", valueName: "path"))
    var paths: [String]

    func run() async throws {
        let logger = CLILogging.logger("opora")
        let db = try await database.open(logger: logger)
        do {
            say(try await Self.importFiles(paths, into: db, dryRun: dryRun, maxProblems: maxProblems))
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    /// Validates and stores; shared with `opora demo`. Returns the summary to print.
    /// Student results are streamed from the files into a packed buffer (big files in parallel parts),
    /// so a file of millions of rows needs tens of bytes a row, not a few hundred.
    static func importFiles(_ paths: [String], into db: OporaDatabase, dryRun: Bool = false, maxProblems: Int = 200,
                            showProgress: Bool = true) async throws -> String {
        let context = ImportContext(
            knownSchools: try await db.schoolIDs(), knownTasks: try await db.taskCatalogue(), problemLimit: maxProblems)
        let bar = showProgress ? ProgressBar() : nil
        let clock = ContinuousClock()
        let started = clock.now
        let outcome: StreamOutcome<PackingConsumer>
        do {
            outcome = try Importer.stream(paths: paths, context: context, progress: { progress in
                bar?.update(label: (progress.file as NSString).lastPathComponent, fraction: progress.fraction)
            }, makeConsumer: { PackingConsumer(taskCodes: $0.taskCodes) })
        } catch {
            bar?.finish()
            let n = error.problems.count
            throw UserError(listing: error, verdict:
                "Импорт отменён: \(NumberFormat.count(n, .problem, en: "problem"))\(error.truncated ? " (показаны первые)" : ""), "
                + "ничего не записано. / Import cancelled: \(NumberFormat.count(n, .problem, en: "problem", .en))"
                + "\(error.truncated ? " (the first ones shown)" : ""), nothing was written.")
        }
        bar?.finish()
        let batch = outcome.batch
        let packed = outcome.consumers.map(\.rows)
        let resultCount = packed.reduce(0) { $0 + $1.count }
        db.logger.debug("checked \(resultCount) results in \(clock.now - started)")
        let what = describe(batch, results: resultCount, procedures: Set(outcome.procedures).union(batch.aggregates.map(\.procedure)).count)
        if dryRun {
            return "Проверка пройдена, ничего не записано. / Check passed, nothing written.\n\(what.ru)\n\(what.en)"
        }
        let dataset = Dataset(schools: batch.schools, indicators: batch.indicators, tasks: batch.tasks,
                              results: [], aggregates: batch.aggregates)
        let source = batch.files.map { "\(($0.path as NSString).lastPathComponent) (\($0.kind.rawValue), \($0.rows))" }.joined(separator: ", ")
        if showProgress, isatty(STDERR_FILENO) == 1 {
            FileHandle.standardError.write(Data("Запись в базу… / Writing to the database…\r".utf8))
        }
        let writing = clock.now
        let written = try await db.store(
            dataset, packed: packed, tables: PackedResultTables(procedures: outcome.procedures, schools: outcome.schools), source: source)
        db.logger.debug("stored in \(clock.now - writing)")
        bar?.finish()
        var lines = ["Импортировано в \(db.location). / Imported into \(db.location).", what.ru, what.en]
        if written.replacedSlices > 0 {
            lines.append("Заменены прежние результаты: \(written.replacedSlices) (школа × процедура). / "
                + "Earlier results replaced: \(written.replacedSlices) (school × procedure).")
        }
        return lines.joined(separator: "\n")
    }

    static func describe(_ batch: ImportBatch, results: Int, procedures: Int) -> LocalizedText {
        let files = batch.files.count
        return LocalizedText(
            ru: "\(NumberFormat.count(files, .file, en: "file")): \(NumberFormat.count(batch.schools.count, .school, en: "school")), "
                + "\(NumberFormat.count(batch.indicators.count, .value, en: "value")) показателей, "
                + "заданий: \(NumberFormat.integer(batch.tasks.count)), \(NumberFormat.count(results, .result, en: "result")) участников, "
                + "школьных результатов: \(NumberFormat.integer(batch.aggregates.count)), процедур: \(NumberFormat.integer(procedures)).",
            en: "\(NumberFormat.count(files, .file, en: "file", .en)): \(NumberFormat.count(batch.schools.count, .school, en: "school", .en)), "
                + "\(NumberFormat.count(batch.indicators.count, .value, en: "indicator value", .en)), "
                + "\(NumberFormat.count(batch.tasks.count, .value, en: "task", .en)), "
                + "\(NumberFormat.count(results, .result, en: "student result", .en)), "
                + "\(NumberFormat.count(batch.aggregates.count, .result, en: "school result", .en)), "
                + "\(NumberFormat.count(procedures, .value, en: "procedure", .en)).")
    }
}

/// Packs the rows of one part of a results file for the bulk write.
struct PackingConsumer: ResultConsumer {
    let taskCodes: [String]
    var rows = PackedResults()

    mutating func consume(_ row: borrowing ResultRow) {
        let tasks = row.taskScores
        let codes = taskCodes
        rows.append(procedure: row.procedureIndex, school: row.schoolIndex, participant: row.participantBytes,
                    score: row.score, mark: row.mark, journalMark: row.journalMark) { buffer in
            for (i, task) in tasks.enumerated() {
                PackedResults.appendTaskScore(code: codes[Int(task.column)], score: task.score, first: i == 0, to: &buffer)
            }
        }
    }
}

/// A one-line progress bar on standard error, drawn only when it is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    func update(label: String, fraction: Double) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard fraction >= 1 || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let width = 30
        let filled = Int((fraction * Double(width)).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write("\r\(bar) \(Int(fraction * 100))% \(label)\u{1B}[K".data(using: .utf8)!)
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write("\r\u{1B}[K".data(using: .utf8)!)
    }
}
