import Foundation
import OporaTestSupport
import OporaCore
import OporaImport
import OporaServices
import OporaStore
import Testing
@testable import OporaWeb

/// The runner of `opora import-worker` child processes: whatever the child does, the parent gets an
/// answer or a refusal, never a crash or a hang of its own.
@Suite("Import worker")
struct ImportWorkerTests {
    static let repro = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/repro")

    static func settings(memoryMiB: UInt64 = 1024, cpu: Int = 20, wall: Int = 30) -> ImportWorkerSettings {
        ImportWorkerSettings(executable: BuiltOpora.path, memoryLimit: memoryMiB << 20, cpuSeconds: cpu, wallSeconds: wall, concurrency: 2)
    }

    static func refusal(_ mode: ImportWorkerRequest.Mode, _ settings: ImportWorkerSettings) async throws -> ImportWorker.Refusal? {
        guard case .refused(let refusal) = try await ImportWorker(settings: settings).run(ImportWorkerRequest(mode: mode, paths: []), database: nil) else {
            return nil
        }
        return refusal
    }

    @Test func aChildThatAbortsIsARefusal() async throws {
        let refusal = try #require(try await Self.refusal(.testAbort, Self.settings()))
        #expect(refusal.cause == .crash)
        #expect(refusal.message.ru == "файл не удалось прочитать: обработка завершилась сбоем, файл, вероятно, повреждён")
        #expect(refusal.message.en == "the file could not be read: processing failed, the file is probably damaged")
    }

    @Test func aChildThatHangsIsKilledAtTheTimeout() async throws {
        let refusal = try #require(try await Self.refusal(.testSpin, Self.settings(cpu: 60, wall: 2)))
        #expect(refusal.cause == .timeout)
        #expect(refusal.message.ru == "файл не удалось прочитать: обработка прервана — превышен предел времени (2 с)")
        #expect(refusal.message.en == "the file could not be read: processing was stopped — the time limit (2 s) was exceeded")
        // `.timeout` itself shows the wall-clock kill came first: the spinning child would otherwise
        // end at its CPU limit (60 s) as `.cpu`. No bound on the elapsed time here: with the whole
        // suite on two cores, resuming this test after the child ends can wait for minutes.
    }

    @Test func aChildOverItsCPUTimeIsStopped() async throws {
        let refusal = try #require(try await Self.refusal(.testSpin, Self.settings(cpu: 1, wall: 60)))
        #expect(refusal.cause == .cpu)
        #expect(refusal.message.ru.hasSuffix("превышен предел процессорного времени (1 с)"))
    }

    @Test func aChildOverItsMemoryIsStopped() async throws {
        let refusal = try #require(try await Self.refusal(.testAllocate, Self.settings(memoryMiB: 256)))
        #expect(refusal.cause == .memory)
        #expect(refusal.message.ru == "файл не удалось прочитать: обработка прервана — превышен предел памяти (256 МБ)")
        #expect(refusal.message.en == "the file could not be read: processing was stopped — the memory limit (256 MiB) was exceeded")
    }

    @Test func aChildThatAnswersNothingIsARefusal() async throws {
        var settings = Self.settings()
        settings.executable = "/bin/true"
        #expect(try await Self.refusal(.check, settings)?.cause == .garbage)
        settings.executable = "/nonexistent/opora"
        #expect(try await Self.refusal(.check, settings)?.cause == .notStarted)
    }

    @Test func workersBeyondTheLimitWait() async throws {
        // One slot: two hanging children one after the other, each killed at 1 s.
        var settings = Self.settings(cpu: 60, wall: 1)
        settings.concurrency = 1
        let worker = ImportWorker(settings: settings)
        let started = ContinuousClock.now
        async let a = worker.run(ImportWorkerRequest(mode: .testSpin, paths: []), database: nil)
        async let b = worker.run(ImportWorkerRequest(mode: .testSpin, paths: []), database: nil)
        _ = try await (a, b)
        #expect(ContinuousClock.now - started >= .seconds(2))
    }

    /// `opora import` hands workbooks to a worker: a crashing one is a clean refusal, exit status 1.
    @Test func importOfACrashingWorkbookExitsWithAMessage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["min_segv.xlsx", "repro_zip_lho.xlsx"] {
            let (status, output) = try Self.opora(["import", "--dry-run", "--db", dir.appendingPathComponent("o.sqlite").path,
                                                   Self.repro.appendingPathComponent(name).path])
            #expect(status == 1)
            // Refused by the runner (the reader crashed) or, once the reader is crash-proof, by the reader itself.
            #expect(output.contains("\(name): файл не удалось прочитать") || output.contains("\(name): не удаётся прочитать книгу Excel"), "\(output)")
            #expect(output.contains("ничего не записано"))
            #expect(!output.contains("Fatal error") && !output.contains("Crash"))
        }
    }

    /// A valid workbook goes through the worker into the database, named as it was given.
    @Test func importOfAGoodWorkbookWritesIt() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var schools = Spreadsheet(sheetName: "schools", header: ["school_id", "name", "municipality", "region", "settlement", "kind", "students"])
        schools.rows = [["0101", "МБОУ «СОШ № 1»", "город Заречный", "Демонстрационная область", "urban", "general", "812"].map { .text($0) }]
        let path = dir.appendingPathComponent("schools.xlsx").path
        try schools.data().write(to: URL(fileURLWithPath: path))
        let (status, output) = try Self.opora(["import", "--db", dir.appendingPathComponent("o.sqlite").path, path])
        #expect(status == 0, "\(output)")
        #expect(output.contains("1 школа"))
    }

    static func opora(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltOpora.path)
        process.arguments = arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cli-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }
}
