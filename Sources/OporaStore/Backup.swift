import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteNIO

/// Backups of a running Opora database and their checked restore (docs/backup.md).
///
/// A plain backup is the database's own format: a SQLite file (opens with `sqlite3`) or a
/// `pg_dump -Fc` archive (reads with `pg_restore`). An encrypted one is Opora's container around
/// the same bytes (BackupCrypto.swift). Restore reads all three, telling them apart by the first bytes.
public enum Backup {
    /// What a backup holds, as found by `create`, `check` and `restore`.
    public struct Info: Sendable, Equatable {
        public var kind: BackupKind
        public var encrypted: Bool
        /// The highest schema migration in the backup.
        public var schemaVersion: Int
        /// When the backup was made; known for encrypted backups only (plain ones have no header).
        public var created: Date?
        public var bytes: Int64
    }

    enum Format { case sqlite, postgres, encrypted }

    /// The highest schema version this program knows: a backup from a newer one is refused.
    static var knownSchemaVersion: Int { Migrations.all.map(\.version).max() ?? 0 }

    // MARK: - Back up

    /// Writes a consistent copy of the database at `location` to `output` while the server may keep
    /// writing. The file appears only when complete (written next to it, synced, renamed).
    public static func create(from location: DatabaseLocation, to output: String, key: BackupKey?,
                              logger: Logger = Logger(label: "opora.backup")) async throws -> Info {
        switch location {
        case .sqlite(let path): return try await createSQLite(path, to: output, key: key, logger: logger)
        case .postgres(let url): return try await createPostgres(url, to: output, key: key, logger: logger)
        }
    }

    private static func createSQLite(_ path: String, to output: String, key: BackupKey?, logger: Logger) async throws -> Info {
        guard FileManager.default.fileExists(atPath: path) else {
            throw BackupError("нет базы \(path)", "there is no database \(path)")
        }
        guard realPath(output) != realPath(path) else {
            throw BackupError("--out совпадает с базой", "--out is the database itself")
        }
        // The copy in plain form: right where it goes when unencrypted; next to the database when it
        // is to be encrypted, so the unencrypted bytes never reach the backup disk.
        let plainCopy = key == nil ? scratchPath(beside: output) : scratchPath(beside: path)
        defer { removeWithSidecars(plainCopy) }
        try createPrivateFile(plainCopy)

        let connection = try await openSQLite(path, logger: logger)
        do {
            _ = try await connection.query("PRAGMA busy_timeout = 10000")
            guard try await sqliteHasSchemaTable(connection) else {
                throw BackupError("\(path) — не база Opora (нет schema_migrations)", "\(path) is not an Opora database (no schema_migrations)")
            }
            // VACUUM INTO reads one snapshot in a single read transaction: in WAL mode the server's
            // writers go on meanwhile, and the copy is exactly one committed state.
            _ = try await connection.query("VACUUM INTO ?", [.text(plainCopy)])
        } catch {
            try? await connection.close()
            throw mapSQLite(error, path: path)
        }
        try? await connection.close()

        let schemaVersion = try await sqliteSchemaVersion(plainCopy, logger: logger)
        if let key {
            let sealed = scratchPath(beside: output)
            defer { try? FileManager.default.removeItem(atPath: sealed) }
            try encrypt(file: plainCopy, to: sealed, key: key, kind: .sqlite, schemaVersion: schemaVersion)
            try publish(sealed, as: output)
        } else {
            try publish(plainCopy, as: output)
        }
        return Info(kind: .sqlite, encrypted: key != nil, schemaVersion: schemaVersion, created: Date(), bytes: fileSize(output))
    }

    private static func createPostgres(_ url: String, to output: String, key: BackupKey?, logger: Logger) async throws -> Info {
        let settings = try PostgresSettings(url: url)
        let pgDump = try tool("pg_dump")
        let schemaVersion = try await postgresSchemaVersion(settings, logger: logger)
        guard let schemaVersion else {
            throw BackupError("\(DatabaseLocation.postgres(url: url)) — не база Opora (нет schema_migrations)",
                              "\(DatabaseLocation.postgres(url: url)) is not an Opora database (no schema_migrations)")
        }
        let partial = scratchPath(beside: output)
        defer { try? FileManager.default.removeItem(atPath: partial) }
        try createPrivateFile(partial)
        // pg_dump takes one snapshot for the whole dump and does not block writers. The password goes
        // to the child in PGPASSWORD, never in its arguments (which every user sees in `ps`).
        let arguments = ["--format=custom", "--no-password", "--dbname=\(settings.databaseName)"]
        if let key {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: partial))
            defer { try? handle.close() }
            let encryptor = try BackupEncryptor(output: handle, key: key, kind: .postgres, schemaVersion: schemaVersion)
            try runTool(pgDump, arguments, environment: settings.toolEnvironment) { try encryptor.write($0) }
            try encryptor.finish()
            try handle.synchronize()
        } else {
            try runTool(pgDump, arguments + ["--file=\(partial)"], environment: settings.toolEnvironment)
        }
        try publish(partial, as: output)
        return Info(kind: .postgres, encrypted: key != nil, schemaVersion: schemaVersion, created: Date(), bytes: fileSize(output))
    }

    // MARK: - Check

    /// Reads a backup through: decrypts it, and checks the SQLite copy with `PRAGMA integrity_check`
    /// or the dump with `pg_restore --list`, and that it is Opora's of a schema this program knows.
    public static func check(_ file: String, key: BackupKey?, logger: Logger = Logger(label: "opora.backup")) async throws -> Info {
        try await withPlainCopy(of: file, key: key, scratchDirectory: NSTemporaryDirectory()) { plain, info in
            var info = info
            switch info.kind {
            case .sqlite: info.schemaVersion = try await verifySQLite(plain, logger: logger)
            case .postgres: info.schemaVersion = try verifyDump(plain)
            }
            return info
        }
    }

    // MARK: - Restore

    /// Puts a backup back into `location` after the checks of `check`. SQLite: the file replaces the
    /// database in one rename, and only when no other process has it open. PostgreSQL:
    /// `pg_restore --clean --if-exists` in a single transaction. An existing database with data is
    /// replaced only with `force`.
    public static func restore(_ file: String, into location: DatabaseLocation, key: BackupKey?, force: Bool,
                               logger: Logger = Logger(label: "opora.backup")) async throws -> Info {
        switch location {
        case .sqlite(let path):
            // Refused before the work, and checked again just before the rename.
            try await ensureReplaceable(path, force: force, logger: logger)
            let scratch = (absolute(path) as NSString).deletingLastPathComponent
            return try await withPlainCopy(of: file, key: key, scratchDirectory: scratch, keepPlainCopyAt: path) { plain, info in
                guard info.kind == .sqlite else { throw kindMismatch(info.kind, target: location) }
                var info = info
                info.schemaVersion = try await verifySQLite(plain, logger: logger)
                try await ensureReplaceable(path, force: force, logger: logger)
                // A WAL left by the old database would be replayed onto the new one.
                for sidecar in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + sidecar) }
                try publish(plain, as: path)
                return info
            }
        case .postgres(let url):
            let settings = try PostgresSettings(url: url)
            let pgRestore = try tool("pg_restore")
            return try await withPlainCopy(of: file, key: key, scratchDirectory: NSTemporaryDirectory()) { plain, info in
                guard info.kind == .postgres else { throw kindMismatch(info.kind, target: location) }
                var info = info
                info.schemaVersion = try verifyDump(plain)
                if try await postgresSchemaVersion(settings, logger: logger) != nil, !force {
                    throw BackupError("в \(location) уже есть данные Opora; добавьте --force, чтобы заменить их",
                                      "\(location) already holds Opora data; add --force to replace it")
                }
                // One transaction: a restore that fails half way leaves the database as it was.
                try runTool(pgRestore, ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                                        "--exit-on-error", "--no-password", "--dbname=\(settings.databaseName)", plain],
                            environment: settings.toolEnvironment)
                return info
            }
        }
    }

    /// Gives `body` the backup as a plain file: the file itself, or its decryption into a private
    /// scratch file (removed afterwards unless `body` moved it to `keepPlainCopyAt`).
    private static func withPlainCopy<T>(of file: String, key: BackupKey?, scratchDirectory: String, keepPlainCopyAt target: String? = nil,
                                         _ body: (String, Info) async throws -> T) async throws -> T {
        guard let input = FileHandle(forReadingAtPath: file) else {
            throw BackupError("не удалось открыть \(file)", "cannot open \(file)")
        }
        let head = try readFully(input, count: 16)
        let bytes = fileSize(file)
        let format = try detect(head)
        try input.seek(toOffset: 0)

        // A SQLite backup is checked and restored through a copy even when plain: opening a file can
        // write beside it (-wal, -shm), and the backup itself must stay as it was.
        let needsCopy = format != .postgres
        guard needsCopy else {
            try input.close()
            let info = Info(kind: format == .postgres ? .postgres : .sqlite, encrypted: false, schemaVersion: 0, created: nil, bytes: bytes)
            return try await body(file, info)
        }
        let plain = scratchPath(beside: target ?? (scratchDirectory as NSString).appendingPathComponent("opora-backup"))
        defer { removeWithSidecars(plain) }
        try createPrivateFile(plain)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: plain))
        var info = Info(kind: format == .postgres ? .postgres : .sqlite, encrypted: format == .encrypted, schemaVersion: 0, created: nil, bytes: bytes)
        do {
            if format == .encrypted {
                guard let key else {
                    throw BackupError("копия зашифрована: задайте ключ в OPORA_BACKUP_KEY или --key-file",
                                      "the backup is encrypted: give the key in OPORA_BACKUP_KEY or --key-file")
                }
                let (header, keys) = try BackupDecryptor.open(input, key: key)
                info.kind = header.kind
                info.created = header.created
                info.schemaVersion = header.schemaVersion
                try BackupDecryptor.decrypt(input, header: header, keys: keys) { try output.write(contentsOf: $0) }
            } else {
                while let data = try input.read(upToCount: 1 << 20), !data.isEmpty { try output.write(contentsOf: data) }
            }
            try output.synchronize()
            try output.close()
            try input.close()
        } catch {
            try? output.close()
            try? input.close()
            throw error
        }
        return try await body(plain, info)
    }

    static func detect(_ head: [UInt8]) throws -> Format {
        if head.starts(with: BackupHeader.magic) { return .encrypted }
        if head.starts(with: Array("SQLite format 3\0".utf8)) { return .sqlite }
        if head.starts(with: Array("PGDMP".utf8)) { return .postgres }
        throw BackupError("это не копия Opora (ни SQLite, ни pg_dump -Fc, ни зашифрованная копия)",
                          "this is not an Opora backup (neither SQLite, pg_dump -Fc nor an encrypted backup)")
    }

    private static func kindMismatch(_ kind: BackupKind, target: DatabaseLocation) -> BackupError {
        BackupError("копия \(kind) не восстанавливается в \(target)", "a \(kind) backup does not restore into \(target)")
    }

    // MARK: - SQLite

    private static func openSQLite(_ path: String, logger: Logger) async throws -> SQLiteConnection {
        do {
            return try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw BackupError("не удалось открыть SQLite \(path): \(error)", "cannot open SQLite \(path): \(error)")
        }
    }

    private static func sqliteHasSchemaTable(_ connection: SQLiteConnection) async throws -> Bool {
        try await !connection.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").isEmpty
    }

    private static func sqliteSchemaVersion(_ path: String, logger: Logger) async throws -> Int {
        let connection = try await openSQLite(path, logger: logger)
        let rows: [SQLiteRow]
        do {
            rows = try await connection.query("SELECT MAX(version) AS v FROM schema_migrations")
        } catch {
            try? await connection.close()
            throw mapSQLite(error, path: path)
        }
        try await connection.close()
        return rows.first?.column("v")?.integer ?? 0
    }

    /// The restore checks on a SQLite file: whole, Opora's, and of a schema this program knows.
    static func verifySQLite(_ path: String, logger: Logger) async throws -> Int {
        let connection = try await openSQLite(path, logger: logger)
        do {
            let problems = try await connection.query("PRAGMA integrity_check").compactMap { $0.columns.first?.data.string }
            guard problems == ["ok"] else {
                throw BackupError("копия не прошла PRAGMA integrity_check: \(problems.prefix(3).joined(separator: "; "))",
                                  "the backup fails PRAGMA integrity_check: \(problems.prefix(3).joined(separator: "; "))")
            }
            guard try await sqliteHasSchemaTable(connection) else {
                throw BackupError("это не база Opora (нет schema_migrations)", "this is not an Opora database (no schema_migrations)")
            }
            let version = try await connection.query("SELECT MAX(version) AS v FROM schema_migrations").first?.column("v")?.integer ?? 0
            try await connection.close()
            try refuseNewer(version)
            return version
        } catch {
            try? await connection.close()
            throw mapSQLite(error, path: path)
        }
    }

    static func refuseNewer(_ version: Int) throws {
        guard version <= knownSchemaVersion else {
            throw BackupError("копия из более новой Opora (схема \(version), эта программа знает до \(knownSchemaVersion)): обновите Opora",
                              "the backup is from a newer Opora (schema \(version), this program knows up to \(knownSchemaVersion)): update Opora first")
        }
    }

    /// Refuses to replace a database that has data (without `force`) or that another process has
    /// open: leaving WAL mode needs every other connection closed, so the server must be stopped.
    private static func ensureReplaceable(_ path: String, force: Bool, logger: Logger) async throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        if fileSize(path) > 0 && !force {
            throw BackupError("\(path) уже содержит базу; добавьте --force, чтобы заменить её", "\(path) already holds a database; add --force to replace it")
        }
        let connection = try await openSQLite(path, logger: logger)
        var inUse = false
        do {
            inUse = try await connection.query("PRAGMA journal_mode = DELETE").first?.columns.first?.data.string == "wal"
        } catch let error as SQLiteError where error.reason == .busy || error.reason == .locked {
            inUse = true
        } catch {
            // Not a database at all: nothing can be using it as one, and --force replaces it.
        }
        try? await connection.close()
        guard !inUse else {
            throw BackupError("\(path) открыта другим процессом (сервер Opora?): остановите его перед восстановлением",
                              "\(path) is open in another process (the Opora server?): stop it before restoring")
        }
    }

    private static func mapSQLite(_ error: any Error, path: String) -> any Error {
        if error is BackupError { return error }
        if let sqlite = error as? SQLiteError, sqlite.reason == .notADatabase || sqlite.reason == .corrupt {
            return BackupError.damaged
        }
        return BackupError("SQLite \(path): \(error)", "SQLite \(path): \(error)")
    }

    // MARK: - PostgreSQL

    /// The highest applied migration, or nil when the database has no `schema_migrations` yet.
    /// A direct connection: opening `OporaDatabase` would migrate the database it backs up.
    private static func postgresSchemaVersion(_ settings: PostgresSettings, logger: Logger) async throws -> Int? {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
        } catch let error as PSQLError {
            throw BackupError("нет соединения с PostgreSQL: \(OporaDatabase.describe(error))", "cannot connect to PostgreSQL: \(OporaDatabase.describe(error))")
        }
        do {
            let sql = connection.sql()
            let present = try await sql.raw("SELECT to_regclass('schema_migrations') IS NOT NULL AS present").first()?
                .decode(column: "present", as: Bool.self) ?? false
            var version: Int?
            if present {
                version = try await sql.raw("SELECT COALESCE(MAX(version), 0)::int8 AS v FROM schema_migrations").first()?
                    .decode(column: "v", as: Int.self)
            }
            try await connection.close()
            return version
        } catch {
            try? await connection.close()
            if let error = error as? PSQLError { throw BackupError(OporaDatabase.describe(error), OporaDatabase.describe(error)) }
            throw error
        }
    }

    /// The dump checks without a server: `pg_restore --list` reads its table of contents, and the
    /// data of `schema_migrations` (printed as SQL) tells that it is Opora's and of which schema.
    static func verifyDump(_ path: String) throws -> Int {
        let pgRestore = try tool("pg_restore")
        try runTool(pgRestore, ["--list", path], environment: [:]) { _ in }
        var script = Data()
        try runTool(pgRestore, ["--data-only", "--table=schema_migrations", "--file=-", path], environment: [:]) { script.append($0) }
        var inTable = false
        var versions: [Int] = []
        for line in String(decoding: script, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("COPY ") && line.contains("schema_migrations ") { inTable = true; continue }
            if inTable {
                if line == "\\." { break }
                if let version = line.split(separator: "\t").first.flatMap({ Int($0) }) { versions.append(version) }
            }
        }
        guard inTable, let version = versions.max() else {
            throw BackupError("это не дамп базы Opora (нет schema_migrations)", "this is not a dump of an Opora database (no schema_migrations)")
        }
        try refuseNewer(version)
        return version
    }

    /// The full path of a PostgreSQL client program, or a clear refusal.
    static func tool(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        for directory in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw BackupError("\(name) не найден в PATH: установите клиент PostgreSQL (Debian: postgresql-client) той же или более новой версии, что и сервер",
                          "\(name) is not on the PATH: install the PostgreSQL client (Debian: postgresql-client) of the server's major version or newer")
    }

    /// Runs a program to its end; its standard output goes to `output` in pieces (or to nothing),
    /// its standard error to a scratch file that becomes the message if it fails.
    static func runTool(_ path: String, _ arguments: [String], environment: [String: String],
                        output: ((Data) throws -> Void)? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = scratchPath(beside: (NSTemporaryDirectory() as NSString).appendingPathComponent("opora-tool-stderr"))
        try createPrivateFile(errors)
        defer { try? FileManager.default.removeItem(atPath: errors) }
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        process.standardError = errorHandle
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        process.standardOutput = output == nil ? FileHandle.nullDevice : pipe
        try process.run()
        var failure: (any Error)?
        if let output {
            let reader = pipe.fileHandleForReading
            while let data = try reader.read(upToCount: 1 << 20), !data.isEmpty {
                // After a failed write the rest is drained, so the child is not left blocked on a full pipe.
                if failure == nil {
                    do { try output(data) } catch { failure = error }
                }
            }
        }
        process.waitUntilExit()
        try? errorHandle.close()
        if let failure { throw failure }
        guard process.terminationStatus == 0 else {
            let name = (path as NSString).lastPathComponent
            let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            let message = text.split(separator: "\n").suffix(5).joined(separator: "\n")
            var hint = ""
            if text.contains("version mismatch") {
                hint = "\n\(name) старше сервера: установите клиент PostgreSQL версии сервера / \(name) is older than the server: install the client of the server's version"
            }
            throw BackupError("\(name) завершился с ошибкой", "\(name) failed:\n\(message)\(hint)")
        }
    }

    // MARK: - Files

    /// A hidden, unique name in the directory of `path`: on the same file system, so a rename can
    /// put it in place atomically.
    static func scratchPath(beside path: String) -> String {
        let absolutePath = absolute(path)
        let directory = (absolutePath as NSString).deletingLastPathComponent
        let name = (absolutePath as NSString).lastPathComponent
        let tag = UUID().uuidString.prefix(8).lowercased()
        return (directory as NSString).appendingPathComponent(".\(name).partial-\(tag)")
    }

    /// Backups hold personal data: readable by their owner only.
    static func createPrivateFile(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw BackupError("не удалось создать \(path): \(String(cString: strerror(errno)))", "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        close(fd)
    }

    /// Syncs `partial`, renames it over `final` and syncs the directory, so after a crash there is
    /// either the old file or the whole new one.
    static func publish(_ partial: String, as final: String) throws {
        try syncToDisk(partial)
        guard rename(partial, final) == 0 else {
            throw BackupError("не удалось записать \(final): \(String(cString: strerror(errno)))", "cannot write \(final): \(String(cString: strerror(errno)))")
        }
        try syncToDisk((absolute(final) as NSString).deletingLastPathComponent)
    }

    private static func syncToDisk(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw BackupError("не удалось открыть \(path)", "cannot open \(path)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BackupError("не удалось записать \(path) на диск", "cannot sync \(path) to disk") }
    }

    private static func encrypt(file: String, to sealed: String, key: BackupKey, kind: BackupKind, schemaVersion: Int) throws {
        try createPrivateFile(sealed)
        guard let input = FileHandle(forReadingAtPath: file) else { throw BackupError("не удалось открыть \(file)", "cannot open \(file)") }
        defer { try? input.close() }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: sealed))
        defer { try? output.close() }
        let encryptor = try BackupEncryptor(output: output, key: key, kind: kind, schemaVersion: schemaVersion)
        while let data = try input.read(upToCount: 1 << 20), !data.isEmpty { try encryptor.write(data) }
        try encryptor.finish()
        try output.synchronize()
    }

    private static func removeWithSidecars(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    private static func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

extension PostgresSettings {
    /// libpq's environment for pg_dump and pg_restore: the password stays out of their arguments.
    var toolEnvironment: [String: String] {
        var environment = ["PGHOST": host, "PGPORT": String(port), "PGUSER": username, "PGSSLMODE": sslmode, "PGCONNECT_TIMEOUT": "10"]
        if let password { environment["PGPASSWORD"] = password }
        return environment
    }

    /// The database name for `--dbname`: libpq, like PostgresNIO, defaults it to the user name.
    var databaseName: String { database ?? username }
}
