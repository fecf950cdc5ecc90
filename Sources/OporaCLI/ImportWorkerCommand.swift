import ArgumentParser
import Foundation
import OporaServices
import OporaStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `opora import-worker`: reads untrusted files for the web server or `opora import` in a process
/// of its own (see `ImportWorker`), so that a reader that crashes, hangs or blows up its memory
/// ends this process only. Hidden: only Opora starts it.
struct ImportWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-worker",
        abstract: "Read import files in a child process with limits (started by Opora itself).",
        shouldDisplay: false)

    @Option(help: "The request (JSON) written by the parent.")
    var request: String

    @Option(help: "Where to write the answer (JSON).")
    var answer: String

    @Option(help: "Address-space limit in bytes (RLIMIT_AS).")
    var memoryLimit: UInt64

    @Option(help: "CPU-time limit in seconds (RLIMIT_CPU).")
    var cpuLimit: Int

    func run() async throws {
        // The limits first, before anything of the request or the files is read. The worker sets
        // them on itself because Foundation's Process has no hook between fork and exec to set
        // them in the child, setting them in the parent would limit the server itself, and
        // prlimit(2) on the child after it started would race with its reading. Until this line
        // the process has run only Opora's own start-up code on trusted arguments.
        Self.limit(memory: memoryLimit, cpuSeconds: cpuLimit)

        let answer: ImportWorkerAnswer
        do {
            let request = try JSONDecoder().decode(ImportWorkerRequest.self, from: Data(contentsOf: URL(fileURLWithPath: self.request)))
            if ImportWorkerJob.needsDatabase(request.mode) {
                // OPORA_DB, set by the parent: a PostgreSQL password never appears in argv (ps).
                let db = try await OporaDatabase.open(DatabaseLocation.resolve(option: nil), logger: CLILogging.logger("opora-worker"))
                answer = await ImportWorkerJob.perform(request, database: db)
                await db.close()
            } else {
                answer = await ImportWorkerJob.perform(request, database: nil)
            }
        } catch {
            answer = ImportWorkerAnswer(error: String(describing: error))
        }
        try JSONEncoder().encode(answer).write(to: URL(fileURLWithPath: self.answer))
    }

    static func limit(memory: UInt64, cpuSeconds: Int) {
        set(RLIMIT_AS, soft: rlim_t(memory), hard: rlim_t(memory))
        // At the soft limit the kernel sends SIGXCPU (the parent reports the CPU limit); the hard
        // limit, a little later, is SIGKILL for a process that ignored it.
        set(RLIMIT_CPU, soft: rlim_t(cpuSeconds), hard: rlim_t(cpuSeconds + 5))
        // No core dumps of a crash: they would be as big as the memory limit, of nobody's use.
        set(RLIMIT_CORE, soft: 0, hard: 0)
        // A lower priority: an import's seconds of CPU yield to the server's page requests, so the
        // web stays responsive on a small machine while a region is imported.
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #else
        _ = setpriority(PRIO_PROCESS, 0, 10)
        #endif
    }

    #if os(Linux)
    private static func set(_ resource: __rlimit_resource, soft: rlim_t, hard: rlim_t) {
        var value = rlimit()
        getrlimit(__rlimit_resource_t(resource.rawValue), &value)
        // Never above a hard limit the process already has (raising it is not allowed).
        let ceiling = value.rlim_max
        value = rlimit(rlim_cur: min(soft, ceiling), rlim_max: min(hard, ceiling))
        if setrlimit(__rlimit_resource_t(resource.rawValue), &value) != 0 {
            FileHandle.standardError.write(Data("import-worker: setrlimit \(resource.rawValue) failed: errno \(errno)\n".utf8))
            Foundation.exit(70)
        }
    }
    #else
    private static func set(_ resource: Int32, soft: rlim_t, hard: rlim_t) {
        var value = rlimit()
        getrlimit(resource, &value)
        let ceiling = value.rlim_max
        value = rlimit(rlim_cur: min(soft, ceiling), rlim_max: min(hard, ceiling))
        if setrlimit(resource, &value) != 0 {
            FileHandle.standardError.write(Data("import-worker: setrlimit \(resource) failed: errno \(errno)\n".utf8))
            Foundation.exit(70)
        }
    }
    #endif
}
