import Foundation

/// How untrusted files are read: in a child process (`opora import-worker`) with a memory limit, a
/// CPU-time limit and a wall-clock timeout, at most `concurrency` children at once (the others wait).
public struct ImportWorkerSettings: Sendable, Equatable {
    /// The `opora` executable that runs the worker: this process's own executable by default; tests,
    /// which run the server inside the test binary, point it at the built `opora`.
    public var executable: String
    /// RLIMIT_AS of the worker (address space, bytes).
    public var memoryLimit: UInt64
    /// RLIMIT_CPU of the worker (seconds of CPU time).
    public var cpuSeconds: Int
    /// Wall-clock time after which the parent kills the worker (SIGKILL).
    public var wallSeconds: Int
    /// Workers running at once; further uploads wait for a free slot.
    public var concurrency: Int

    public static let defaultMemoryLimit: UInt64 = 4 << 30
    public static let defaultCPUSeconds = 300
    public static let defaultWallSeconds = 600
    public static let defaultConcurrency = 2

    public init(executable: String = ImportWorkerSettings.ownExecutable, memoryLimit: UInt64 = defaultMemoryLimit,
                cpuSeconds: Int = defaultCPUSeconds, wallSeconds: Int = defaultWallSeconds, concurrency: Int = defaultConcurrency) {
        self.executable = executable
        self.memoryLimit = memoryLimit
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
        self.concurrency = concurrency
    }

    /// The defaults, overridden by the environment: `OPORA_WORKER_MEMORY_MB`, `OPORA_WORKER_CPU_SECONDS`,
    /// `OPORA_WORKER_TIMEOUT_SECONDS`, `OPORA_WORKERS` and `OPORA_WORKER_EXECUTABLE`. Values that are
    /// not positive whole numbers are ignored.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ImportWorkerSettings {
        var s = ImportWorkerSettings()
        func positive(_ key: String) -> Int? { environment[key].flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil } }
        if let mb = positive("OPORA_WORKER_MEMORY_MB") { s.memoryLimit = UInt64(mb) << 20 }
        if let n = positive("OPORA_WORKER_CPU_SECONDS") { s.cpuSeconds = n }
        if let n = positive("OPORA_WORKER_TIMEOUT_SECONDS") { s.wallSeconds = n }
        if let n = positive("OPORA_WORKERS") { s.concurrency = n }
        if let path = environment["OPORA_WORKER_EXECUTABLE"], !path.isEmpty { s.executable = path }
        return s
    }

    /// This process's executable: `/proc/self/exe` on Linux (an absolute path even when started by a
    /// relative name), else Foundation's idea of it.
    public static var ownExecutable: String {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
