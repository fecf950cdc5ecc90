import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO

public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// One open connection: the SQLKit view for ordinary queries, and the native connection for bulk loads
/// (multi-row inserts on SQLite, `COPY FROM STDIN` on PostgreSQL).
struct Connection: Sendable {
    enum Native: Sendable {
        case sqlite(SQLiteConnection)
        case postgres(PostgresConnection)
    }
    let sql: any SQLDatabase
    let native: Native
    public let logger: Logger

    var isPostgres: Bool {
        if case .postgres = native { return true }
        return false
    }
}

/// Opora's database: SQLite by default, PostgreSQL in production. Opening it applies pending migrations.
public final class OporaDatabase: Sendable {
    private enum Backend: Sendable {
        case sqlite(SQLiteConnection, AsyncMutex)
        case postgres(PostgresClient, Task<Void, Never>)
    }

    public let location: DatabaseLocation
    public let logger: Logger
    private let backend: Backend

    private init(location: DatabaseLocation, backend: Backend, logger: Logger) {
        self.location = location
        self.backend = backend
        self.logger = logger
    }

    public static func open(_ location: DatabaseLocation, logger: Logger = Logger(label: "opora.store")) async throws -> OporaDatabase {
        let database: OporaDatabase
        switch location {
        case .sqlite(let path):
            let connection: SQLiteConnection
            do {
                connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            } catch {
                throw StoreError("cannot open SQLite database \(path): \(error)")
            }
            database = OporaDatabase(location: location, backend: .sqlite(connection, AsyncMutex()), logger: logger)
            // WAL lets readers (other processes) see a consistent state while an import writes.
            try await database.withConnection { conn in
                try await conn.sql.raw("PRAGMA journal_mode = WAL").run()
                try await conn.sql.raw("PRAGMA synchronous = NORMAL").run()
                try await conn.sql.raw("PRAGMA foreign_keys = ON").run()
                try await conn.sql.raw("PRAGMA busy_timeout = 10000").run()
            }
        case .postgres(let url):
            let settings = try PostgresSettings(url: url)
            // One direct connection first: a wrong address or password then fails at once with the
            // server's reason, instead of after the pool's minute of retries.
            do {
                let probe = try await PostgresConnection.connect(configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
                try await probe.close()
            } catch let error as PSQLError {
                throw StoreError("cannot connect to \(location): \(describe(error))")
            }
            // The pool logs every retry at info; an operator needs its errors only.
            var poolLogger = logger
            poolLogger.logLevel = .error
            let client = PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: poolLogger)
            let task = Task { await client.run() }
            database = OporaDatabase(location: location, backend: .postgres(client, task), logger: logger)
        }
        do {
            try await Migrations.apply(to: database)
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    public func close() async {
        switch backend {
        case .sqlite(let connection, _):
            try? await connection.close()
        case .postgres(_, let task):
            task.cancel()
            _ = await task.value
        }
    }

    func withConnection<T: Sendable>(_ body: @Sendable (Connection) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connection, let mutex):
            return try await mutex.withLock {
                try await body(Connection(sql: connection.sql(queryLogLevel: .trace), native: .sqlite(connection), logger: logger))
            }
        case .postgres(let client, _):
            do {
                return try await client.withConnection { connection in
                    try await body(Connection(sql: connection.sql(queryLogLevel: .trace), native: .postgres(connection), logger: self.logger))
                }
            } catch let error as PSQLError {
                // PSQLError hides the server's message by default; an operator needs it.
                throw StoreError(Self.describe(error))
            }
        }
    }

    /// Runs `body` in one transaction: all of it is written, or none of it.
    func transaction<T: Sendable>(_ body: @Sendable (Connection) async throws -> T) async throws -> T {
        try await withConnection { conn in
            try await conn.sql.raw("BEGIN").run()
            do {
                let value = try await body(conn)
                try await conn.sql.raw("COMMIT").run()
                return value
            } catch {
                try? await conn.sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    static func describe(_ error: PSQLError) -> String {
        if let message = error.serverInfo?[.message] {
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            return "PostgreSQL: \(message)\(detail)"
        }
        if let underlying = error.underlying { return "PostgreSQL: \(underlying)" }
        return "PostgreSQL: \(error.code)"
    }

}

extension OporaDatabase {
    /// Runs one SQL statement outside the repository API (administration, tests).
    func execute(_ sql: String) async throws {
        try await withConnection { conn in try await conn.sql.raw(SQLQueryString(sql)).run() }
    }
}
