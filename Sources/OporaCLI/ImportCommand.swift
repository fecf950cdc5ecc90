import ArgumentParser
import Foundation
import OporaCore
import OporaImport
import OporaServices
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

    /// Validates and stores (through `ImportService`, as the web upload does); shared with `opora demo`.
    /// Returns the summary to print.
    static func importFiles(_ paths: [String], into db: OporaDatabase, dryRun: Bool = false, maxProblems: Int = 200,
                            showProgress: Bool = true) async throws -> String {
        let bar = showProgress ? ProgressBar() : nil
        let clock = ContinuousClock()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("opora-import-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let workbooks = try await readWorkbooks(paths, into: scratch, worker: ImportWorker(settings: .fromEnvironment()))
        if !workbooks.problems.isEmpty {
            let failure = ImportFailure(problems: workbooks.problems, truncated: false)
            let verdict = ImportService.verdict(failure)
            throw UserError(listing: failure, verdict: "\(verdict.ru) / \(verdict.en)")
        }
        let checked: ImportService.CheckedImport
        switch try await ImportService.check(paths: workbooks.paths, database: db, maxProblems: maxProblems, progress: { progress in
            bar?.update(label: (progress.file as NSString).lastPathComponent, fraction: progress.fraction)
        }) {
        case .failure(var error):
            bar?.finish()
            for i in error.problems.indices { error.problems[i].file = workbooks.originals[error.problems[i].file] ?? error.problems[i].file }
            let verdict = ImportService.verdict(error)
            throw UserError(listing: error, verdict: "\(verdict.ru) / \(verdict.en)")
        case .success(let c):
            checked = c
        }
        bar?.finish()
        let what = checked.summary
        if dryRun {
            return "Проверка пройдена, ничего не записано. / Check passed, nothing written.\n\(what.ru)\n\(what.en)"
        }
        if showProgress, isatty(STDERR_FILENO) == 1 {
            FileHandle.standardError.write(Data("Запись в базу… / Writing to the database…\r".utf8))
        }
        let writing = clock.now
        let written = try await ImportService.store(checked, into: db)
        db.logger.debug("stored in \(clock.now - writing)")
        bar?.finish()
        var lines = ["Импортировано в \(db.location). / Imported into \(db.location).", what.ru, what.en]
        if let replaced = ImportService.replacement(written.replacedSlices) {
            lines.append("\(replaced.ru) / \(replaced.en)")
        }
        return lines.joined(separator: "\n")
    }
}

extension ImportCommand {
    /// Workbooks (.xlsx, and any other file that is a ZIP archive, whatever its name) are read by
    /// `opora import-worker` child processes with limits (see `ImportWorker`), never in this
    /// process: each becomes a UTF-8 CSV file under `folder` with the same name, which the import
    /// then reads. Returns the paths to import (folders holding workbooks expanded), the original
    /// of each converted file for messages, and the problems of workbooks that could not be read.
    static func readWorkbooks(_ paths: [String], into folder: URL, worker: ImportWorker) async throws
        -> (paths: [String], originals: [String: String], problems: [ImportProblem]) {
        let fm = FileManager.default
        var result: [String] = [], originals: [String: String] = [:], problems: [ImportProblem] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            var files = [path]
            if fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                let inside = Importer.dataFiles(inFolder: path)
                // Expanded only when needed: an empty folder stays a problem of the importer's.
                if inside.contains(where: WorkbookConversion.isArchive(path:)) { files = inside }
            }
            for file in files {
                guard WorkbookConversion.isArchive(path: file) else {
                    result.append(file)
                    continue
                }
                if originals.isEmpty {
                    try fm.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                }
                let own = folder.appendingPathComponent(String(originals.count), isDirectory: true)
                try fm.createDirectory(at: own, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
                let output = own.appendingPathComponent((file as NSString).lastPathComponent).path
                originals[output] = file
                if let failure = try await worker.convert(path: file, to: output) {
                    problems += failure.problems
                } else {
                    result.append(output)
                }
            }
        }
        return (result, originals, problems)
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
