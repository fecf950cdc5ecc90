import Foundation
import OporaCore
import OporaImport
import OporaStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads untrusted files in a child process: `opora import-worker` with a memory limit and a
/// CPU-time limit (which the worker sets on itself first thing) and a wall-clock timeout (enforced
/// here with SIGKILL). A worker that crashes, hangs, runs out of its limits or answers garbage
/// becomes a refusal of the files, in the same form as any other import problem; this process
/// never parses the files. Used by the web upload for everything and by `opora import` for workbooks.
public final class ImportWorker: Sendable {
    public let settings: ImportWorkerSettings
    private let slots: WorkerSlots
    /// Details of refusals (signals, the worker's last words) for the log; the page says less.
    private let log: @Sendable (String) -> Void

    public init(settings: ImportWorkerSettings, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.settings = settings
        self.slots = WorkerSlots(settings.concurrency)
        self.log = log
    }

    // MARK: - Jobs

    /// `ImportService.check` of the files within `scope`, done by a worker over `database`.
    public func check(paths: [String], database: DatabaseLocation, scope: Scope) async throws -> Result<ImportPreview, ImportFailure> {
        var request = ImportWorkerRequest(mode: .check, paths: paths)
        try request.setScope(scope)
        return try await job(request, paths: paths, database: database).map { $0.preview }
    }

    /// Checks again and stores with `actor` (the audit log's account), done by a worker.
    public func store(paths: [String], database: DatabaseLocation, scope: Scope, actor: Actor) async throws -> Result<ImportWritten, ImportFailure> {
        var request = ImportWorkerRequest(mode: .store, paths: paths)
        try request.setScope(scope)
        request.actorUserID = actor.userID
        request.actorLogin = actor.login
        return try await job(request, paths: paths, database: database).map {
            ImportWritten(preview: $0.preview, replacedSlices: $0.replacedSlices ?? 0)
        }
    }

    /// One file (a workbook) as a UTF-8 CSV file at `output`, as the importer would read it.
    /// Problems name `path`.
    public func convert(path: String, to output: String) async throws -> ImportFailure? {
        var request = ImportWorkerRequest(mode: .convert, paths: [path])
        request.output = output
        switch try await run(request, database: nil) {
        case .refused(let refusal):
            return refusal.failure(files: [path])
        case .answered(let answer):
            if let failure = answer.failure { return failure }
            if let error = answer.error { throw ImportWorkerError(description: error) }
            return nil
        }
    }

    /// A check or store: problems as they are, a refusal naming the file that caused it (found by
    /// reading each workbook alone when there are several files and that is cheap) or all files.
    private func job(_ request: ImportWorkerRequest, paths: [String], database: DatabaseLocation) async throws -> Result<(preview: ImportPreview, replacedSlices: Int?), ImportFailure> {
        switch try await run(request, database: database) {
        case .answered(let answer):
            if let failure = answer.failure { return .failure(failure) }
            if let preview = answer.preview { return .success((preview, answer.replacedSlices)) }
            throw ImportWorkerError(description: answer.error ?? "the worker answered nothing")
        case .refused(let refusal):
            return .failure(refusal.failure(files: try await culprits(of: refusal, among: paths)))
        }
    }

    /// The files to blame for a refusal: with one file, that file; with several, the workbooks that
    /// cannot be read alone either (a timeout is not tried again: it would take as long again); when
    /// none of them fails alone, all the files.
    private func culprits(of refusal: Refusal, among paths: [String]) async throws -> [String] {
        guard paths.count > 1, refusal.cause != .timeout, refusal.cause != .notStarted else { return paths }
        let scratch = try Self.privateDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        var found: [String] = []
        for (i, path) in paths.enumerated() where WorkbookConversion.isArchive(path: path) {
            var request = ImportWorkerRequest(mode: .convert, paths: [path])
            request.output = scratch.appendingPathComponent("\(i).csv").path
            if case .refused = try await run(request, database: nil) { found.append(path) }
            try? FileManager.default.removeItem(atPath: request.output!)
        }
        return found.isEmpty ? paths : found
    }

    // MARK: - The child process

    public enum Outcome: Sendable {
        case answered(ImportWorkerAnswer)
        case refused(Refusal)
    }

    /// Why a worker gave no answer, and the refusal it makes of the files.
    public struct Refusal: Sendable, Equatable {
        public enum Cause: Sendable, Equatable { case timeout, cpu, memory, crash, garbage, notStarted }
        public var cause: Cause
        public var message: LocalizedText

        public func failure(files: [String]) -> ImportFailure {
            ImportFailure(problems: files.map { ImportProblem(file: $0, message: message) }, truncated: false)
        }
    }

    /// Runs one request in a child (waiting for a free slot first) and reads its answer.
    public func run(_ request: ImportWorkerRequest, database: DatabaseLocation?) async throws -> Outcome {
        let folder = try Self.privateDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let requestFile = folder.appendingPathComponent("request.json"), answerFile = folder.appendingPathComponent("answer.json")
        let logFile = folder.appendingPathComponent("worker.log")
        try JSONEncoder().encode(request).write(to: requestFile)
        FileManager.default.createFile(atPath: logFile.path, contents: nil, attributes: [.posixPermissions: 0o600])

        var environment = ProcessInfo.processInfo.environment
        environment["OPORA_DB"] = nil
        if let database { environment["OPORA_DB"] = Self.text(database) }
        // A crash should end the child at once: the Swift backtracer would spend seconds (and
        // memory under the limit) symbolicating, and nobody reads a core dump of a bad upload.
        environment["SWIFT_BACKTRACE"] = "enable=no"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: settings.executable)
        process.arguments = ["import-worker", "--request", requestFile.path, "--answer", answerFile.path,
                             "--memory-limit", String(settings.memoryLimit), "--cpu-limit", String(settings.cpuSeconds)]
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let output = try FileHandle(forWritingTo: logFile)
        defer { try? output.close() }
        process.standardInput = FileHandle.nullDevice
        // Output to a file, not a pipe: nothing to drain, no deadlock when the worker writes a lot.
        process.standardOutput = output
        process.standardError = output

        let box = ProcessBox(process)
        let wall = settings.wallSeconds
        let (ending, timedOut) = await slots.withSlot { await Self.runToEnd(box.process, wallSeconds: wall) }
        let lastWords = Self.tail(of: logFile)
        guard let ending else {
            log("import worker could not be started (\(settings.executable)): \(lastWords)")
            return .refused(Refusal(cause: .notStarted, message: Self.notStarted))
        }
        let reason: Process.TerminationReason = ending.signalled ? .uncaughtSignal : .exit, status = ending.status
        if reason == .exit, status == 0, let data = try? Data(contentsOf: answerFile),
           let answer = try? JSONDecoder().decode(ImportWorkerAnswer.self, from: data),
           answer.preview != nil || answer.problems != nil || answer.error != nil || request.mode == .convert {
            return .answered(answer)
        }
        let refusal = classify(reason: reason, status: status, timedOut: timedOut, lastWords: lastWords)
        log("import worker refused \(request.paths.map { ($0 as NSString).lastPathComponent }) "
            + "(\(reason == .exit ? "exit \(status)" : "signal \(status)")\(timedOut ? ", killed after \(settings.wallSeconds) s" : "")): \(lastWords)")
        return .refused(refusal)
    }

    func classify(reason: Process.TerminationReason, status: Int32, timedOut: Bool, lastWords: String) -> Refusal {
        if timedOut {
            return Refusal(cause: .timeout, message: Self.stopped(
                ru: "превышен предел времени (\(settings.wallSeconds) с)", en: "the time limit (\(settings.wallSeconds) s) was exceeded"))
        }
        if reason == .uncaughtSignal, status == SIGXCPU {
            return Refusal(cause: .cpu, message: Self.stopped(
                ru: "превышен предел процессорного времени (\(settings.cpuSeconds) с)", en: "the CPU time limit (\(settings.cpuSeconds) s) was exceeded"))
        }
        // Allocation failing under RLIMIT_AS: the Swift runtime, Foundation or the C++ library say so
        // on standard error before they abort.
        let lower = lastWords.lowercased()
        if ["could not allocate", "cannot allocate", "out of memory", "bad_alloc", "failed to allocate"].contains(where: lower.contains) {
            let memory = Self.size(settings.memoryLimit)
            return Refusal(cause: .memory, message: Self.stopped(
                ru: "превышен предел памяти (\(memory.ru))", en: "the memory limit (\(memory.en)) was exceeded"))
        }
        if reason == .exit, status == 0 {
            return Refusal(cause: .garbage, message: LocalizedText(
                ru: "файл не удалось прочитать: обработка завершилась без результата",
                en: "the file could not be read: processing ended without a result"))
        }
        return Refusal(cause: .crash, message: LocalizedText(
            ru: "файл не удалось прочитать: обработка завершилась сбоем, файл, вероятно, повреждён",
            en: "the file could not be read: processing failed, the file is probably damaged"))
    }

    static func stopped(ru: String, en: String) -> LocalizedText {
        LocalizedText(ru: "файл не удалось прочитать: обработка прервана — " + ru,
                      en: "the file could not be read: processing was stopped — " + en)
    }

    static let notStarted = LocalizedText(ru: "файл не удалось проверить: сервер не смог начать обработку, обратитесь к администратору",
                                          en: "the file could not be checked: the server could not start processing it, tell the administrator")

    /// `4 ГБ` / `4 GiB`, `512 МБ` / `512 MiB`.
    static func size(_ bytes: UInt64) -> LocalizedText {
        let mib = bytes >> 20
        if mib >= 1024, mib % 1024 == 0 { return LocalizedText(ru: "\(mib >> 10) ГБ", en: "\(mib >> 10) GiB") }
        return LocalizedText(ru: "\(mib) МБ", en: "\(mib) MiB")
    }

    /// Starts the process and waits for it without blocking a thread; kills it (SIGKILL) after
    /// `wallSeconds` or when the waiting task is cancelled. `nil` reason: it could not be started.
    private static func runToEnd(_ process: Process, wallSeconds: Int) async -> (Ending?, Bool) {
        let killer = Killer()
        let ended: Ending? = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Ending?, Never>) in
                process.terminationHandler = { p in
                    killer.ended()
                    continuation.resume(returning: Ending(signalled: p.terminationReason == .uncaughtSignal, status: p.terminationStatus))
                }
                do {
                    try process.run()
                } catch {
                    process.terminationHandler = nil
                    continuation.resume(returning: nil)
                    return
                }
                killer.started(process.processIdentifier, after: wallSeconds)
            }
        } onCancel: {
            killer.stop(timedOut: false)
        }
        return (ended, killer.timedOut)
    }

    /// How a child ended: its exit status, or the signal that ended it.
    private struct Ending: Sendable {
        var signalled: Bool
        var status: Int32
    }

    private struct ProcessBox: @unchecked Sendable {
        let process: Process
        init(_ process: Process) { self.process = process }
    }

    /// Kills the child once, only while it runs (the pid is not reused until it has been waited for,
    /// and `ended` is called after that only once the termination handler ran).
    private final class Killer: @unchecked Sendable {
        private let lock = NSLock()
        private var pid: pid_t = 0
        private var timer: DispatchWorkItem?
        private(set) var timedOut = false

        func started(_ pid: pid_t, after seconds: Int) {
            lock.lock()
            defer { lock.unlock() }
            guard self.pid == 0 else { return } // already ended
            self.pid = pid
            // A Dispatch timer, not a Task: the timeout must fire even when every thread of the
            // cooperative pool is busy (a full test suite on two cores delayed a Task by minutes).
            let item = DispatchWorkItem { [weak self] in self?.stop(timedOut: true) }
            timer = item
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds), execute: item)
        }

        func stop(timedOut: Bool) {
            lock.lock()
            defer { lock.unlock() }
            guard pid > 0 else { return }
            if timedOut { self.timedOut = true }
            _ = kill(pid, SIGKILL)
        }

        /// Called by the termination handler: from now on nothing is killed.
        func ended() {
            lock.lock()
            pid = -1
            let timer = self.timer
            lock.unlock()
            timer?.cancel()
        }
    }

    /// A fresh folder only this account can read, under the temporary directory.
    static func privateDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("opora-worker-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        return url
    }

    /// The location as `OPORA_DB` takes it back (`DatabaseLocation.init`).
    static func text(_ location: DatabaseLocation) -> String {
        switch location {
        case .sqlite(let path): "sqlite://" + path
        case .postgres(let url): url
        }
    }

    /// The last 2 KB of the worker's output, one line, for the log.
    static func tail(of url: URL) -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return "" }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: end > 2048 ? end - 2048 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " | ")
    }
}

/// The worker could not do its job for a reason that is not the files' (a database error, say).
public struct ImportWorkerError: Error, CustomStringConvertible {
    public var description: String
}
