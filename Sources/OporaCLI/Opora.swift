import ArgumentParser

@main
struct Opora: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opora",
        abstract: "Opora (Опора): find, support and follow schools with low results and schools in unfavourable social conditions.",
        discussion: """
            Start with `opora demo`: it creates ./opora.sqlite, fills it with a generated demo region and \
            opens the web app at http://127.0.0.1:8080.

            Every command that uses the database takes --db: a file path means SQLite (default \
            ./opora.sqlite), a postgres:// URL means PostgreSQL. The OPORA_DB environment variable \
            sets it once for all commands.
            """,
        subcommands: [DemoCommand.self, ServeCommand.self, ImportCommand.self, GenerateCommand.self, ValueAddedCommand.self, IdentifyCommand.self,
                      UserCommand.self, TokenCommand.self, BackupCommand.self, RestoreCommand.self, ImportWorkerCommand.self]
    )
}
