import Crypto
import Foundation
import OporaCore
import SQLKit
import Testing
@testable import OporaStore

@Suite("Backup and restore")
struct BackupTests {
    /// A scratch folder for one test, removed afterwards.
    private static func withFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        return try await body(dir)
    }

    private static func sqlitePath(_ db: OporaDatabase) -> String {
        guard case .sqlite(let path) = db.location else { fatalError("a SQLite test database") }
        return path
    }

    private static func randomKey() throws -> BackupKey {
        try BackupKey(text: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString())
    }

    /// The sample region plus enough results that the copy takes a moment.
    private static func fill(_ db: OporaDatabase) async throws {
        try await db.store(Sample.dataset, source: "sample")
        try await db.store(Dataset(results: Sample.results(school: "0102", count: 20_000)), source: "bulk")
    }

    private static func expectSameData(_ restored: OporaDatabase, as original: OporaDatabase) async throws {
        #expect(try await restored.counts() == original.counts())
        #expect(try await restored.schools() == original.schools())
        #expect(try await restored.results(procedure: Sample.vpr5) == original.results(procedure: Sample.vpr5))
        #expect(try await restored.schemaVersions() == original.schemaVersions())
    }

    /// Rows of the writer's batches in a database: every batch must be whole (3 rows) in a consistent copy.
    private static func batchSizes(_ path: String) async throws -> [String: Int] {
        let db = try await OporaDatabase.open(.sqlite(path: path))
        let log: [ImportRecord]
        do {
            log = try await db.importLog(limit: 1_000_000).filter { $0.source.hasPrefix("batch-") }
        } catch {
            await db.close()
            throw error
        }
        await db.close()
        return Dictionary(grouping: log, by: \.source).mapValues(\.count)
    }

    @Test func sqliteCopyWhileAnotherConnectionWritesIsConsistent() async throws {
        try await Self.withFolder { dir in
            try await withFreshDatabase(.sqlite) { db in
                try await Self.fill(db)
                let stop = Flag()
                // The server's part: commits of three rows each, one after another, until told to stop.
                let writer = Task {
                    var batch = 0
                    while !stop.value {
                        batch += 1
                        let source = "batch-\(batch)"
                        try await db.transaction { conn in
                            for row in 0..<3 {
                                try await conn.sql.insert(into: "import_log").columns("imported_at", "source", "summary")
                                    .values(SQLBind("2026-01-01T00:00:00Z"), SQLBind(source), SQLBind("row \(row)")).run()
                            }
                        }
                    }
                    return batch
                }
                try await Task.sleep(for: .milliseconds(50))
                let out = dir.appendingPathComponent("copy.sqlite").path
                let info = try await Backup.create(from: db.location, to: out, key: nil)
                try await Task.sleep(for: .milliseconds(50))
                stop.value = true
                let batches = try await writer.value
                #expect(batches > 1, "the writer kept committing during the backup")
                #expect(info.kind == .sqlite && !info.encrypted && info.schemaVersion == Backup.knownSchemaVersion)

                #expect(try await Backup.check(out, key: nil).schemaVersion == Backup.knownSchemaVersion)
                let sizes = try await Self.batchSizes(out)
                #expect(sizes.values.allSatisfy { $0 == 3 }, "no half-written batch in the copy")
                #expect(sizes.count <= batches)

                let target = dir.appendingPathComponent("restored.sqlite").path
                _ = try await Backup.restore(out, into: .sqlite(path: target), key: nil, force: false)
                let restored = try await OporaDatabase.open(.sqlite(path: target))
                try await Self.expectSameData(restored, as: db)
                await restored.close()
            }
        }
    }

    @Test func encryptedSQLiteRoundTrip() async throws {
        try await Self.withFolder { dir in
            try await withFreshDatabase(.sqlite) { db in
                try await Self.fill(db)
                let key = try Self.randomKey()
                let out = dir.appendingPathComponent("copy.opora-backup").path
                let info = try await Backup.create(from: db.location, to: out, key: key)
                #expect(info.encrypted)
                let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
                #expect(bytes.starts(with: Array("OPORABAK".utf8)))
                #expect(bytes.range(of: Data("SQLite format 3".utf8)) == nil)
                #expect(bytes.range(of: Data("Заречный".utf8)) == nil)
                // Owner-only: a backup holds personal data.
                let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
                #expect(mode == 0o600)

                let checked = try await Backup.check(out, key: key)
                #expect(checked.kind == .sqlite && checked.encrypted && checked.created != nil)
                let target = dir.appendingPathComponent("restored.sqlite").path
                _ = try await Backup.restore(out, into: .sqlite(path: target), key: key, force: false)
                let restored = try await OporaDatabase.open(.sqlite(path: target))
                try await Self.expectSameData(restored, as: db)
                await restored.close()

                // No plaintext scratch file left beside the database or the backup.
                let dbDir = (Self.sqlitePath(db) as NSString).deletingLastPathComponent
                for folder in [dbDir, dir.path] {
                    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { !$0.contains(".partial-") })
                }
            }
        }
    }

    @Test func encryptedBackupRefusesWrongKeyTamperingAndTruncation() async throws {
        try await Self.withFolder { dir in
            try await withFreshDatabase(.sqlite) { db in
                try await Self.fill(db)
                let key = try Self.randomKey()
                let out = dir.appendingPathComponent("copy.opora-backup").path
                _ = try await Backup.create(from: db.location, to: out, key: key)
                let good = try Data(contentsOf: URL(fileURLWithPath: out))
                let target = dir.appendingPathComponent("restored.sqlite").path

                func restore(_ bytes: Data, key: BackupKey?) async throws {
                    let file = dir.appendingPathComponent("variant-\(UUID().uuidString)").path
                    try bytes.write(to: URL(fileURLWithPath: file))
                    _ = try await Backup.restore(file, into: .sqlite(path: target), key: key, force: false)
                }
                await #expect(throws: BackupError.wrongKey) { try await restore(good, key: try Self.randomKey()) }
                let noKey = try await #require(throws: BackupError.self) { try await restore(good, key: nil) }
                #expect(noKey.en.contains("encrypted"))

                var tampered = good
                tampered[good.count / 2] ^= 0x01
                await #expect(throws: BackupError.damaged) { try await restore(tampered, key: key) }
                var header = good
                header[20] ^= 0x01  // the creation time: authenticated with every chunk
                await #expect(throws: BackupError.damaged) { try await restore(header, key: key) }
                await #expect(throws: BackupError.damaged) { try await restore(good.prefix(good.count - 1), key: key) }
                await #expect(throws: BackupError.damaged) { try await restore(good.prefix(BackupHeader.size + 10), key: key) }
                await #expect(throws: BackupError.damaged) { try await restore(good + Data([0]), key: key) }

                #expect(!FileManager.default.fileExists(atPath: target), "nothing restored from a refused backup")
                #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".partial-") })
            }
        }
    }

    @Test func chunksAreBoundToTheirPlaceAndTheEnd() throws {
        let key = try Self.randomKey()
        let chunk = 1024
        for size in [0, 1, chunk - 1, chunk, 3 * chunk, 3 * chunk + 17] {
            let plaintext = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
            let sealed = try Self.seal(plaintext, key: key, chunkSize: chunk)
            #expect(try Self.open(sealed, key: key) == plaintext, "size \(size)")
            // Cut at a chunk boundary: the chunk before was not sealed as the last one.
            let sealedChunk = chunk + 16
            if size >= chunk {
                #expect(throws: BackupError.damaged) { try Self.open(sealed.prefix(BackupHeader.size + sealedChunk), key: key) }
            }
            if size >= 2 * chunk {
                var swapped = Data(sealed.prefix(BackupHeader.size))
                let first = sealed.subdata(in: BackupHeader.size..<BackupHeader.size + sealedChunk)
                let second = sealed.subdata(in: BackupHeader.size + sealedChunk..<BackupHeader.size + 2 * sealedChunk)
                swapped += second + first + sealed.suffix(from: BackupHeader.size + 2 * sealedChunk)
                #expect(throws: BackupError.damaged) { try Self.open(swapped, key: key) }
            }
        }
    }

    private static func seal(_ plaintext: Data, key: BackupKey, chunkSize: Int) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-seal-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let encryptor = try BackupEncryptor(output: handle, key: key, kind: .sqlite, schemaVersion: 1, chunkSize: chunkSize)
        // Uneven pieces, as a pipe delivers them.
        var rest = plaintext[...]
        while !rest.isEmpty {
            let piece = rest.prefix(700)
            try encryptor.write(Data(piece))
            rest = rest.dropFirst(piece.count)
        }
        try encryptor.finish()
        try handle.close()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    private static func open(_ sealed: Data, key: BackupKey) throws -> Data {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-open-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: path, contents: sealed)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        let (header, keys) = try BackupDecryptor.open(handle, key: key)
        var out = Data()
        try BackupDecryptor.decrypt(handle, header: header, keys: keys) { out.append($0) }
        return out
    }

    @Test func keysAreBase64OrHexOf32Bytes() throws {
        let bytes = (0..<32).map { UInt8($0) }
        _ = try BackupKey(text: Data(bytes).base64EncodedString() + "\n")
        _ = try BackupKey(text: bytes.map { String(format: "%02x", $0) }.joined())
        #expect(throws: BackupError.self) { try BackupKey(text: "correct horse battery staple") }
        #expect(throws: BackupError.self) { try BackupKey(text: Data(bytes.prefix(16)).base64EncodedString()) }
    }

    @Test func restoreRefusesANewerSchemaAndForeignFiles() async throws {
        try await Self.withFolder { dir in
            try await withFreshDatabase(.sqlite) { db in
                try await db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', '2030-01-01T00:00:00Z')")
                let out = dir.appendingPathComponent("future.sqlite").path
                _ = try await Backup.create(from: db.location, to: out, key: nil)
                let target = dir.appendingPathComponent("restored.sqlite").path
                let newer = try await #require(throws: BackupError.self) {
                    try await Backup.restore(out, into: .sqlite(path: target), key: nil, force: false)
                }
                #expect(newer.en.contains("newer"))
                #expect(!FileManager.default.fileExists(atPath: target))
                await #expect(throws: BackupError.self) { try await Backup.check(out, key: nil) }
            }
            let text = dir.appendingPathComponent("notes.txt").path
            try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
            await #expect(throws: BackupError.self) { try await Backup.check(text, key: nil) }
            // A SQLite file that is not Opora's.
            let foreign = dir.appendingPathComponent("foreign.sqlite").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sqlite3", foreign, "CREATE TABLE t (x); INSERT INTO t VALUES (1);"]
            if (try? process.run()) != nil {
                process.waitUntilExit()
                let error = try await #require(throws: BackupError.self) { try await Backup.check(foreign, key: nil) }
                #expect(error.en.contains("not an Opora database"))
            }
        }
    }

    @Test func restoreNeedsForceForDataAndRefusesADatabaseInUse() async throws {
        try await Self.withFolder { dir in
            try await withFreshDatabase(.sqlite) { db in
                try await Self.fill(db)
                let out = dir.appendingPathComponent("copy.sqlite").path
                _ = try await Backup.create(from: db.location, to: out, key: nil)
                await #expect(throws: BackupError.self) {
                    try await Backup.create(from: db.location, to: Self.sqlitePath(db), key: nil)
                }

                let target = dir.appendingPathComponent("live.sqlite").path
                let live = try await OporaDatabase.open(.sqlite(path: target))
                try await live.store(Dataset(results: Sample.results(school: "0201", count: 2)), source: "other")
                let needsForce = try await #require(throws: BackupError.self) {
                    try await Backup.restore(out, into: .sqlite(path: target), key: nil, force: false)
                }
                #expect(needsForce.en.contains("--force"))
                let inUse = try await #require(throws: BackupError.self) {
                    try await Backup.restore(out, into: .sqlite(path: target), key: nil, force: true)
                }
                #expect(inUse.en.contains("stop it"))
                #expect(try await live.counts().results == 2, "the open database was left alone")
                await live.close()

                _ = try await Backup.restore(out, into: .sqlite(path: target), key: nil, force: true)
                let restored = try await OporaDatabase.open(.sqlite(path: target))
                try await Self.expectSameData(restored, as: db)
                await restored.close()
            }
        }
    }

    @Test(.enabled(if: Backend.postgresURL != nil, "OPORA_TEST_POSTGRES_URL is not set"))
    func postgresRoundTripThroughPgDump() async throws {
        try await Self.withFolder { dir in
            try await withFreshDatabase(.postgres) { db in
                try await Self.fill(db)
                let key = try Self.randomKey()
                let plain = dir.appendingPathComponent("copy.dump").path
                let sealed = dir.appendingPathComponent("copy.opora-backup").path
                let plainInfo = try await Backup.create(from: db.location, to: plain, key: nil)
                #expect(plainInfo.kind == .postgres && plainInfo.schemaVersion == Backup.knownSchemaVersion)
                #expect(try Data(contentsOf: URL(fileURLWithPath: plain)).starts(with: Array("PGDMP".utf8)))
                _ = try await Backup.create(from: db.location, to: sealed, key: key)
                #expect(try await Backup.check(sealed, key: key).kind == .postgres)

                let baseURL = try #require(Backend.postgresURL)
                let admin = try await OporaDatabase.open(.postgres(url: baseURL))
                let name = "opora_restore_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
                try await admin.execute("CREATE DATABASE \(name)")
                var parts = URLComponents(string: baseURL)!
                parts.path = "/\(name)"
                let target = DatabaseLocation.postgres(url: parts.string!)
                do {
                    _ = try await Backup.restore(sealed, into: target, key: key, force: false)
                    let restored = try await OporaDatabase.open(target)
                    try await Self.expectSameData(restored, as: db)
                    await restored.close()
                    let again = try await #require(throws: BackupError.self) {
                        try await Backup.restore(plain, into: target, key: nil, force: false)
                    }
                    #expect(again.en.contains("--force"))
                    _ = try await Backup.restore(plain, into: target, key: nil, force: true)
                    let twice = try await OporaDatabase.open(target)
                    try await Self.expectSameData(twice, as: db)
                    await twice.close()
                    await #expect(throws: BackupError.self) {
                        try await Backup.restore(plain, into: .sqlite(path: dir.appendingPathComponent("x.sqlite").path), key: nil, force: false)
                    }
                } catch {
                    try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                    await admin.close()
                    throw error
                }
                try? await admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
                await admin.close()
            }
        }
    }
}

/// A stop signal shared with the writer task.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    var value: Bool {
        get { lock.withLock { raised } }
        set { lock.withLock { raised = newValue } }
    }
}
