import Crypto
import Foundation

/// What a backup holds: a SQLite database file or a PostgreSQL dump (`pg_dump -Fc`).
public enum BackupKind: UInt8, Sendable, CustomStringConvertible {
    case sqlite = 1
    case postgres = 2

    public var description: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL (pg_dump -Fc)"
        }
    }
}

/// A problem with a backup, for a person: short, in Russian and English.
public struct BackupError: Error, CustomStringConvertible, Sendable, Equatable {
    public var ru: String
    public var en: String
    public init(_ ru: String, _ en: String) {
        self.ru = ru
        self.en = en
    }
    public var description: String { "\(ru) / \(en)" }

    static let wrongKey = BackupError("ключ не подходит к этой копии", "the key does not fit this backup")
    static let damaged = BackupError("копия повреждена или обрезана", "the backup is damaged or truncated")
}

/// The backup key: 32 random bytes, given as base64 or hex. A passphrase is refused on purpose:
/// turning one into a key safely needs a slow KDF, and a random key in a file is simpler to keep.
public struct BackupKey: Sendable {
    let key: SymmetricKey

    public static let environmentVariable = "OPORA_BACKUP_KEY"

    public init(text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8]?
        if trimmed.count == 64, trimmed.allSatisfy(\.isHexDigit) {
            bytes = stride(from: 0, to: 64, by: 2).map { i in
                let start = trimmed.index(trimmed.startIndex, offsetBy: i)
                return UInt8(trimmed[start..<trimmed.index(start, offsetBy: 2)], radix: 16)!
            }
        } else if let data = Data(base64Encoded: trimmed) {
            bytes = [UInt8](data)
        }
        guard let bytes, bytes.count == 32 else {
            throw BackupError("ключ — 32 случайных байта в base64 или hex (openssl rand -base64 32)",
                              "the key is 32 random bytes as base64 or hex (openssl rand -base64 32)")
        }
        key = SymmetricKey(data: bytes)
    }

    /// The key from `keyFile` if given, else from `OPORA_BACKUP_KEY`; nil when neither is set.
    public static func load(keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BackupKey? {
        if let keyFile {
            guard let text = try? String(contentsOfFile: keyFile, encoding: .utf8) else {
                throw BackupError("не удалось прочитать файл ключа \(keyFile)", "cannot read the key file \(keyFile)")
            }
            return try BackupKey(text: text)
        }
        if let text = environment[environmentVariable], !text.isEmpty { return try BackupKey(text: text) }
        return nil
    }
}

/// The header of an encrypted backup. Layout (big-endian), 90 bytes:
///   magic "OPORABAK" (8) · format version (1) · kind (1) · schema version (4) · created, Unix seconds (8)
///   · chunk size (4) · salt (32) · key check (32)
/// The whole header is authenticated with every chunk, so editing any field breaks the first chunk.
public struct BackupHeader: Sendable, Equatable {
    static let magic = Array("OPORABAK".utf8)
    static let formatVersion: UInt8 = 1
    static let size = 90
    public static let defaultChunkSize = 1 << 20

    public var kind: BackupKind
    public var schemaVersion: Int
    public var created: Date
    var chunkSize: Int
    var salt: [UInt8]
    var keyCheck: [UInt8]

    var bytes: [UInt8] {
        var out = Self.magic
        out.append(Self.formatVersion)
        out.append(kind.rawValue)
        out.append(contentsOf: bigEndian(UInt32(schemaVersion)))
        out.append(contentsOf: bigEndian(UInt64(max(0, created.timeIntervalSince1970))))
        out.append(contentsOf: bigEndian(UInt32(chunkSize)))
        out.append(contentsOf: salt)
        out.append(contentsOf: keyCheck)
        return out
    }

    init(kind: BackupKind, schemaVersion: Int, created: Date, chunkSize: Int, salt: [UInt8], keyCheck: [UInt8]) {
        self.kind = kind
        self.schemaVersion = schemaVersion
        self.created = created
        self.chunkSize = chunkSize
        self.salt = salt
        self.keyCheck = keyCheck
    }

    init(parsing b: [UInt8]) throws {
        guard b.count == Self.size, Array(b[0..<8]) == Self.magic else { throw BackupError.damaged }
        guard b[8] == Self.formatVersion else {
            throw BackupError("копия в формате версии \(b[8]), эта программа знает версию \(Self.formatVersion): обновите Opora",
                              "the backup is in format version \(b[8]), this program knows version \(Self.formatVersion): update Opora")
        }
        guard let kind = BackupKind(rawValue: b[9]) else { throw BackupError.damaged }
        func int(_ range: Range<Int>) -> UInt64 { b[range].reduce(0) { $0 << 8 | UInt64($1) } }
        self.kind = kind
        schemaVersion = Int(int(10..<14))
        created = Date(timeIntervalSince1970: TimeInterval(int(14..<22)))
        chunkSize = Int(int(22..<26))
        salt = Array(b[26..<58])
        keyCheck = Array(b[58..<90])
        // A tampered size must not make the reader allocate gigabytes.
        guard chunkSize >= 1024, chunkSize <= 64 << 20 else { throw BackupError.damaged }
    }
}

private func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.bigEndian) { Array($0) }
}

/// Keys of one backup file. A fresh random salt per file gives each file its own AES key, so the
/// counter nonces below never repeat under one key.
struct BackupKeys {
    let chunkKey: SymmetricKey
    let keyCheck: [UInt8]

    init(_ master: BackupKey, salt: [UInt8]) {
        chunkKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master.key, salt: salt,
                                          info: Array("opora backup v1 chunks".utf8), outputByteCount: 32)
        let checkKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: master.key, salt: salt,
                                              info: Array("opora backup v1 key check".utf8), outputByteCount: 32)
        // A value only the right key reproduces: a wrong key is told apart from a damaged file.
        keyCheck = Array(HMAC<SHA256>.authenticationCode(for: Array("opora backup key check".utf8), using: checkKey))
    }

    /// Nonce: 4 zero bytes and the chunk index. Additional data: the header, the index and the
    /// last-chunk flag, so chunks cannot be reordered, dropped from the end or moved between files.
    func nonce(_ index: UInt64) -> AES.GCM.Nonce {
        try! AES.GCM.Nonce(data: [0, 0, 0, 0] + bigEndian(index))
    }

    func additionalData(header: [UInt8], index: UInt64, last: Bool) -> [UInt8] {
        header + bigEndian(index) + [last ? 1 : 0]
    }
}

/// Writes an encrypted backup: the header, then chunks of `chunkSize` plaintext bytes, each sealed
/// with AES-256-GCM (ciphertext followed by its 16-byte tag). The last chunk is always shorter than
/// `chunkSize` (possibly empty) and flagged last; that is how a reader tells the end from a cut.
final class BackupEncryptor {
    private let output: FileHandle
    private let keys: BackupKeys
    private let header: [UInt8]
    private let chunkSize: Int
    private var buffer = Data()
    private var index: UInt64 = 0

    init(output: FileHandle, key: BackupKey, kind: BackupKind, schemaVersion: Int, created: Date = Date(),
         chunkSize: Int = BackupHeader.defaultChunkSize) throws {
        let salt = [UInt8](SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
        keys = BackupKeys(key, salt: salt)
        header = BackupHeader(kind: kind, schemaVersion: schemaVersion, created: created, chunkSize: chunkSize,
                              salt: salt, keyCheck: keys.keyCheck).bytes
        self.output = output
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize * 2)
        try output.write(contentsOf: header)
    }

    func write(_ data: Data) throws {
        buffer.append(data)
        while buffer.count >= chunkSize {
            try seal(buffer.prefix(chunkSize), last: false)
            buffer.removeFirst(chunkSize)
        }
    }

    func finish() throws {
        try seal(buffer, last: true)
        buffer = Data()
    }

    private func seal(_ plaintext: Data, last: Bool) throws {
        let box = try AES.GCM.seal(plaintext, using: keys.chunkKey, nonce: keys.nonce(index),
                                   authenticating: keys.additionalData(header: header, index: index, last: last))
        try output.write(contentsOf: box.ciphertext)
        try output.write(contentsOf: box.tag)
        index += 1
    }
}

enum BackupDecryptor {
    /// Reads and checks the header and the key; the input is left at the first chunk.
    static func open(_ input: FileHandle, key: BackupKey) throws -> (BackupHeader, BackupKeys) {
        let header = try BackupHeader(parsing: try readFully(input, count: BackupHeader.size))
        let keys = BackupKeys(key, salt: header.salt)
        guard keys.keyCheck == header.keyCheck else { throw BackupError.wrongKey }
        return (header, keys)
    }

    /// Decrypts chunk by chunk into `sink`. Throws `BackupError.damaged` on any changed, missing,
    /// reordered or extra byte; what `sink` got before that must then be thrown away.
    static func decrypt(_ input: FileHandle, header: BackupHeader, keys: BackupKeys, into sink: (Data) throws -> Void) throws {
        let headerBytes = header.bytes
        let sealedSize = header.chunkSize + 16
        var index: UInt64 = 0
        while true {
            let chunk = try readFully(input, count: sealedSize)
            guard chunk.count >= 16 else { throw BackupError.damaged }
            let last = chunk.count < sealedSize
            let plaintext: Data
            do {
                let box = try AES.GCM.SealedBox(nonce: keys.nonce(index), ciphertext: chunk.dropLast(16), tag: chunk.suffix(16))
                plaintext = try AES.GCM.open(box, using: keys.chunkKey,
                                             authenticating: keys.additionalData(header: headerBytes, index: index, last: last))
            } catch {
                throw BackupError.damaged
            }
            try sink(plaintext)
            if last {
                guard try readFully(input, count: 1).isEmpty else { throw BackupError.damaged }
                return
            }
            index += 1
        }
    }
}

/// Reads `count` bytes, or fewer only at the end of the input (pipes return short reads).
func readFully(_ input: FileHandle, count: Int) throws -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(count)
    while out.count < count {
        guard let data = try input.read(upToCount: count - out.count), !data.isEmpty else { break }
        out.append(contentsOf: data)
    }
    return out
}
