import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL, read once for both the probe
/// connection and the pool.
struct PostgresSettings {
    var host: String
    var port: Int
    var username: String
    var password: String?
    var database: String?
    var sslmode: String

    init(url: String) throws {
        guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else {
            throw StoreError("not a PostgreSQL URL: \(DatabaseLocation.postgres(url: url)); expected postgres://user:password@host:5432/database")
        }
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        self.host = host
        self.port = parts.port ?? 5432
        self.username = parts.user?.removingPercentEncoding ?? "postgres"
        self.password = parts.password?.removingPercentEncoding
        self.database = path.isEmpty ? nil : path
        self.sslmode = parts.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
    }

    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslmode {
        case "require", "verify-ca", "verify-full": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case "prefer": tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .disable
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }

    func clientConfiguration() -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslmode {
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case "prefer": tls = .prefer(.makeClientConfiguration())
        default: tls = .disable
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = 8
        return configuration
    }
}
