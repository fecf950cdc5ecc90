import ArgumentParser
import Foundation
import OporaCore
import OporaServices
import OporaStore
import OporaWeb

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage accounts of the web app.",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account.",
            discussion: """
                Roles: admin (no territory), region (a region name; may be omitted when the database has one region), \
                municipality (a municipality name), curator (school codes separated by commas), school (a school code), \
                viewer (a region, a municipality or a school). The territory must exist in the database: import data first. \
                Without --password-stdin a password is generated and printed once.
                """)

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Login: letters, digits and . _ - @.") var login: String
        @Option(help: "admin, region, municipality, curator, school or viewer.") var role: String
        @Option(help: "Region or municipality name, school code; for a curator, school codes separated by commas.") var territory: String?
        @Option(help: "For a curator: the code of the school they work at (a curator never curates it).") var staffSchool: String?
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            guard Role(rawValue: role) != nil else {
                throw UserError("unknown role \(role): use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var password: String
            var generated = false
            if passwordStdin {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw UserError("no password on standard input") }
                password = line
            } else {
                password = AccountsUseCase.generatePassword()
                generated = true
            }
            let db = try await database.open(logger: CLILogging.logger("opora"))
            do {
                // The command line acts as an administrator (whoever may run it may open the database).
                let user = try await AccountsUseCase(database: db).create(
                    AccountsUseCase.NewAccount(login: login, role: role, password: password, territory: territory, staffSchool: staffSchool),
                    hash: { try await Passwords.hash($0, cost: Passwords.defaultCost) }, as: .commandLine)
                say("Учётная запись создана / Account created: \(user.login) (\(user.role.rawValue)\(Self.describeTerritory(user)))")
                if generated { say("Пароль / Password: \(password)") }
            } catch let refusal as UseCaseError {
                await db.close()
                throw UserError("\(refusal.message.ru) / \(refusal.message.en)")
            }
            await db.close()
            password = ""
        }

        static func describeTerritory(_ user: UserRecord) -> String {
            if user.role == .curator { return user.curatedSchools.isEmpty ? ", no schools yet" : ", schools \(user.curatedSchools.joined(separator: ", "))" }
            return user.territory.map { ", \(user.territoryKind?.rawValue ?? "") \($0)" } ?? ""
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts (never their passwords).")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let db = try await database.open(logger: CLILogging.logger("opora"))
            let users = try await db.users()
            await db.close()
            let rows = users.map { u in
                [u.login, u.role.rawValue, u.role == .curator ? u.curatedSchools.joined(separator: ",") : (u.territory ?? "-"),
                 u.disabled ? "disabled" : "active", u.createdAt]
            }
            let header = ["login", "role", "territory", "state", "created"]
            let widths = (0..<header.count).map { i in ([header] + rows).map { $0[i].count }.max() ?? 0 }
            for row in [header] + rows {
                say(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces))
            }
        }
    }
}
