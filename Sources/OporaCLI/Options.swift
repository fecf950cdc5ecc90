import ArgumentParser
import Foundation
import OporaWeb
import Logging
import OporaImport
import OporaServices
import OporaStore

struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Database: a SQLite file path or a postgres://user:password@host:5432/db URL (default: $OPORA_DB, else ./opora.sqlite).",
        valueName: "path-or-url"))
    var db: String?

    var location: DatabaseLocation { DatabaseLocation.resolve(option: db) }

    func open(logger: Logger) async throws -> OporaDatabase {
        try await OporaDatabase.open(location, logger: logger)
    }
}

struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on. Use 0.0.0.0 to serve other machines of your network.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Flag(help: "Behind an https proxy: mark cookies Secure, so browsers send them over https only (also OPORA_SECURE_COOKIES=1).")
    var secureCookies = false

    @Flag(help: "Behind a proxy that sets X-Forwarded-For: take the client address from it (for the sign-in rate limit).")
    var trustForwardedFor = false

    @Option(help: ArgumentHelp("Memory limit of a process reading an upload, in MiB (default: $OPORA_WORKER_MEMORY_MB, else 4096).", valueName: "MiB"))
    var workerMemory: Int?

    @Option(help: ArgumentHelp("CPU-time limit of a process reading an upload, in seconds (default: $OPORA_WORKER_CPU_SECONDS, else 300).", valueName: "seconds"))
    var workerCpuTime: Int?

    @Option(help: ArgumentHelp("Wall-clock limit of a process reading an upload, in seconds (default: $OPORA_WORKER_TIMEOUT_SECONDS, else 600).", valueName: "seconds"))
    var workerTimeout: Int?

    @Option(help: ArgumentHelp("Uploads read at once; others wait (default: $OPORA_WORKERS, else 2).", valueName: "n"))
    var workers: Int?

    func validate() throws {
        for (name, value) in [("--worker-memory", workerMemory), ("--worker-cpu-time", workerCpuTime), ("--worker-timeout", workerTimeout), ("--workers", workers)] {
            if let value, value <= 0 { throw ValidationError("\(name) must be a positive number") }
        }
    }

    /// The upload workers' limits: flags over `OPORA_WORKER_*` variables over the defaults.
    var importWorker: ImportWorkerSettings {
        var s = ImportWorkerSettings.fromEnvironment()
        if let workerMemory { s.memoryLimit = UInt64(workerMemory) << 20 }
        if let workerCpuTime { s.cpuSeconds = workerCpuTime }
        if let workerTimeout { s.wallSeconds = workerTimeout }
        if let workers { s.concurrency = workers }
        return s
    }

    var configuration: WebConfiguration {
        var c = WebConfiguration(host: host, port: port, trustForwardedFor: trustForwardedFor)
        if secureCookies { c.secureCookies = true }
        c.importWorker = importWorker
        c.preloadsAnalysis = true
        c.analysisStaleWait = .milliseconds(100)
        return c
    }
}

enum CLILogging {
    /// Logs go to standard error so that a command's output stays clean for scripts.
    static func logger(_ label: String, level: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        let fromEnvironment = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        logger.logLevel = fromEnvironment ?? level
        return logger
    }
}

/// A message for the user, printed without a stack trace; the process exits non-zero.
struct UserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }

    /// Every problem of a failed check on its own line, then a blank line and the verdict.
    init(listing failure: ImportFailure, verdict: String) {
        description = failure.problems.map(\.description).joined(separator: "\n") + "\n\n" + verdict
    }
}

/// Prints a line to standard output at once. `print` buffers when the output is a pipe, and a
/// server that runs for hours would hold its start-up lines back from scripts and logs.
func say(_ text: consuming String) {
    // The line end appended in place when the text is the caller's own with room for it (a national
    // identification list is ~30 MB), and the bytes written without another copy.
    text.append("\n")
    text.withUTF8 { bytes in
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none))
    }
}
