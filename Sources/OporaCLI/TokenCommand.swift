import ArgumentParser
import Foundation
import OporaStore
import OporaWeb

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Bearer tokens for scripts that use the API.",
        subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token for an account and print it once.",
            discussion: """
                The token acts as the account, at its territory: send it as `Authorization: Bearer <token>` to \
                /api/v1/. Only its SHA-256 is stored, so it cannot be shown again; create a new one if it is lost.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "The account the token acts as.") var login: String
        @Option(help: "What the token is for (shown in the audit log).") var label = "script"

        func run() async throws {
            let db = try await database.open(logger: CLILogging.logger("opora"))
            guard let user = try await db.user(login: login) else {
                await db.close()
                throw UserError("no account \(login)")
            }
            let token = Secret.make()
            _ = try await db.createAPIToken(tokenHash: TokenHash.hex(token), userID: user.id, label: label, actor: .commandLine)
            await db.close()
            // The token alone on standard output, so `TOKEN=$(opora token create --login x)` works.
            say(token)
        }
    }
}
