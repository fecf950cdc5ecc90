import ArgumentParser
import Foundation
import Hummingbird
import Logging
import OporaStore
import OporaWeb

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web app over an existing database.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let logger = CLILogging.logger("opora", level: .info)
        let db = try await database.open(logger: logger)
        try await Self.serve(db, server, logger: logger)
    }

    static func serve(_ db: OporaDatabase, _ server: ServerOptions, logger: Logger) async throws {
        try await db.deleteExpiredSessions()
        let app = buildApplication(
            database: db, configuration: server.configuration, logger: logger,
            onServerRunning: {
                say("Opora: http://\(server.host):\(server.port)  (\(db.location))")
            })
        do {
            try await app.runService()
        } catch {
            await db.close()
            throw UserError("cannot serve on \(server.host):\(server.port): \(error)")
        }
        await db.close()
    }
}
