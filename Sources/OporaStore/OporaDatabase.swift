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
    let logger: Logger

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
    let logger: Logger
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
            }
        case .postgres(let url):
            let configuration = try postgresConfiguration(url: url)
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            let task = Task { await client.run() }
            database = OporaDatabase(location: location, backend: .postgres(client, task), logger: logger)
            do {
                try await database.withConnection { conn in try await conn.sql.raw("SELECT 1").run() }
            } catch {
                await database.close()
                throw StoreError("cannot connect to \(location): \(String(reflecting: error))")
            }
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
                try await body(Connection(sql: connection.sql(), native: .sqlite(connection), logger: logger))
            }
        case .postgres(let client, _):
            do {
                return try await client.withConnection { connection in
                    try await body(Connection(sql: connection.sql(), native: .postgres(connection), logger: self.logger))
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
        return "PostgreSQL: \(error.code)"
    }

    private static func postgresConfiguration(url: String) throws -> PostgresClient.Configuration {
        guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else {
            throw StoreError("not a PostgreSQL URL: \(DatabaseLocation.postgres(url: url)); expected postgres://user:password@host:5432/database")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        let sslmode = parts.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case "prefer": tls = .prefer(.makeClientConfiguration())
        default: tls = .disable
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432,
            username: parts.user ?? "postgres",
            password: parts.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: tls
        )
        configuration.options.maximumConnections = 8
        return configuration
    }
}

extension OporaDatabase {
    /// Runs one SQL statement outside the repository API (administration, tests).
    func execute(_ sql: String) async throws {
        try await withConnection { conn in try await conn.sql.raw(SQLQueryString(sql)).run() }
    }
}
