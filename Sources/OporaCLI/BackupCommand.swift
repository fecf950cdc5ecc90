import ArgumentParser
import Foundation
import OporaStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent copy of the database; the server may keep running.",
        discussion: """
            SQLite: a VACUUM INTO snapshot, a plain SQLite file. PostgreSQL: pg_dump --format=custom \
            (pg_dump must be on the PATH, of the server's major version or newer; the password is passed \
            in PGPASSWORD, never on the command line). With --encrypt the copy is sealed with AES-256-GCM \
            under the key in OPORA_BACKUP_KEY or --key-file (32 random bytes as base64 or hex: \
            openssl rand -base64 32). The file appears only when complete. See docs/backup.md.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("The backup file to write (replaced if it exists).", valueName: "file"))
    var out: String

    @Flag(help: "Encrypt with the key in OPORA_BACKUP_KEY or --key-file.")
    var encrypt = false

    @Option(help: ArgumentHelp("A file holding the key (implies --encrypt).", valueName: "file"))
    var keyFile: String?

    func run() async throws {
        do {
            let key = try BackupKey.load(keyFile: keyFile)
            if encrypt || keyFile != nil, key == nil {
                throw UserError("--encrypt: задайте ключ в OPORA_BACKUP_KEY или --key-file / give the key in OPORA_BACKUP_KEY or --key-file")
            }
            let info = try await Backup.create(from: database.location, to: out, key: encrypt || keyFile != nil ? key : nil,
                                               logger: CLILogging.logger("opora"))
            say("Копия записана / Backup written: \(out) (\(describe(info)))")
        } catch let error as BackupError {
            throw UserError(error.description)
        } catch let error as StoreError {
            throw UserError(error.description)
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Check a backup and put it back into the database.",
        discussion: """
            The backup is checked first: decrypted if encrypted (a wrong key or a changed or cut file is \
            refused), PRAGMA integrity_check for SQLite or pg_restore --list for PostgreSQL, an Opora \
            database of a schema this program knows. SQLite: stop the server first; the file replaces the \
            database in one rename. PostgreSQL: pg_restore --clean --if-exists in one transaction. A \
            database that already holds data is replaced only with --force. --check only checks.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("A file holding the key of an encrypted backup (else OPORA_BACKUP_KEY).", valueName: "file"))
    var keyFile: String?

    @Flag(help: "Replace a database that already holds data.")
    var force = false

    @Flag(help: "Only check the backup and print what it holds; change nothing.")
    var check = false

    @Argument(help: ArgumentHelp("The backup file.", valueName: "file"))
    var file: String

    func run() async throws {
        do {
            let key = try BackupKey.load(keyFile: keyFile)
            let logger = CLILogging.logger("opora")
            if check {
                let info = try await Backup.check(file, key: key, logger: logger)
                say("Копия в порядке / The backup is sound: \(file) (\(describe(info)))")
            } else {
                let info = try await Backup.restore(file, into: database.location, key: key, force: force, logger: logger)
                say("Восстановлено в \(database.location) / Restored into \(database.location) (\(describe(info)))")
            }
        } catch let error as BackupError {
            throw UserError(error.description)
        } catch let error as StoreError {
            throw UserError(error.description)
        }
    }
}

private func describe(_ info: Backup.Info) -> String {
    var parts = ["\(info.kind)", info.encrypted ? "encrypted" : "not encrypted", "schema \(info.schemaVersion)",
                 String(format: "%.1f MB", Double(info.bytes) / 1_000_000)]
    if let created = info.created { parts.append("made \(ISO8601DateFormatter().string(from: created))") }
    return parts.joined(separator: ", ")
}
