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
        let checked: ImportService.CheckedImport
        switch try await ImportService.check(paths: paths, database: db, maxProblems: maxProblems, progress: { progress in
            bar?.update(label: (progress.file as NSString).lastPathComponent, fraction: progress.fraction)
        }) {
        case .failure(let error):
            bar?.finish()
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
