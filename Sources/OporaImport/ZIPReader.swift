import COporaZlib
import Foundation
import OporaCore

/// Limits on what reading one .xlsx workbook may cost. The defaults admit any workbook Excel can
/// write at a size an import can take; a file beyond them is refused with a message, never read
/// further.
public struct XLSXLimits: Sendable {
    /// Entries (parts) in the ZIP archive.
    public var maxEntries = 10_000
    /// Bytes one part may unpack to (checked while inflating, and against the declared size first).
    public var maxPartBytes = 256 << 20
    /// Bytes all parts read from one workbook may unpack to together.
    public var maxTotalBytes = 256 << 20
    /// A part that unpacks to more than `ratioCheckAbove` bytes must not be compressed more than
    /// this many times (real worksheets stay well under 100:1; a ZIP bomb is near 1000:1).
    public var maxCompressionRatio = 200
    public var ratioCheckAbove = 8 << 20
    /// Excel's own limits on rows and columns.
    public var maxRows = 1_048_576
    public var maxColumns = 16_384
    /// Entries in xl/sharedStrings.xml.
    public var maxSharedStrings = 4_000_000
    /// Bytes of CSV made from the sheet.
    public var maxOutputBytes = 256 << 20

    public init() {}

    /// The defaults, with the unpacked-size caps (per part, in total, and of the CSV made) set by
    /// `OPORA_XLSX_MAX_UNPACKED_MB` when it is a positive whole number: a region whose exports are
    /// larger raises it for the worker, which inherits the server's environment.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> XLSXLimits {
        var limits = XLSXLimits()
        if let mb = environment["OPORA_XLSX_MAX_UNPACKED_MB"].flatMap({ Int($0) }), mb > 0, mb < 1 << 20 {
            limits.maxPartBytes = mb << 20
            limits.maxTotalBytes = mb << 20
            limits.maxOutputBytes = mb << 20
        }
        return limits
    }

    public static let standard = XLSXLimits.fromEnvironment()
}

/// Reads parts of a ZIP archive held in memory: the end-of-central-directory record, the central
/// directory and each part's local header, with every offset and length checked before use.
///
/// Hand-written on purpose: ZIPFoundation traps ("Range requires lowerBound <= upperBound") on
/// corrupt offsets and loops forever in `readCompressed` on a corrupt deflate stream, and either
/// took `opora serve` down from a single upload. Only reading is replaced; ZIPFoundation still
/// writes the .xlsx and .docx downloads in OporaWeb.
///
/// Supported: stored (0) and deflated (8) entries, no encryption, no ZIP64 (an .xlsx within the
/// limits never needs it), one disk. Each part is read at most once; sizes are capped by
/// `XLSXLimits` while inflating, not after.
struct ZIPReader {
    struct Entry {
        var name: String
        var flags: Int
        var method: Int
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    let data: Data
    let limits: XLSXLimits
    /// End of the area that may hold local headers and data: the start of the central directory.
    private(set) var dataEnd = 0
    private(set) var entries: [String: Entry] = [:]
    private var alreadyRead: Set<String> = []
    private var totalRead = 0

    typealias Failure = XLSXReader.Failure

    init(_ data: Data, limits: XLSXLimits) throws {
        self.data = data
        self.limits = limits
        try data.withUnsafeBytes { try readDirectory(Bytes($0)) }
    }

    func contains(_ name: String) -> Bool { entries[name] != nil }

    /// A part's bytes, unpacked and checked (sizes, CRC). Each part can be read once.
    mutating func read(_ name: String) throws -> [UInt8] {
        guard let entry = entries[name] else { throw Failure(reason: Messages.xlsxMissingPart(name)) }
        guard alreadyRead.insert(name).inserted else { throw Failure(reason: Messages.xlsxDamagedPart(name)) }
        let limits = limits, dataEnd = dataEnd, already = totalRead
        let out = try data.withUnsafeBytes { raw in
            try Self.extract(entry, from: Bytes(raw), dataEnd: dataEnd, alreadyRead: already, limits: limits)
        }
        totalRead += out.count
        return out
    }

    // MARK: - Directory

    private mutating func readDirectory(_ b: Bytes) throws {
        let damaged = Failure(reason: Messages.xlsxDamaged)
        // The end-of-central-directory record: 22 bytes and a comment of at most 65535 bytes.
        guard b.count >= 22 else { throw damaged }
        var eocd = -1
        var at = b.count - 22
        let lowest = max(0, b.count - 22 - 0xFFFF)
        while at >= lowest {
            if b.u32(at) == 0x0605_4B50, let comment = b.u16(at + 20), at + 22 + comment <= b.count {
                eocd = at
                break
            }
            at -= 1
        }
        guard eocd >= 0,
              let disk = b.u16(eocd + 4), let cdDisk = b.u16(eocd + 6),
              let onDisk = b.u16(eocd + 8), let count = b.u16(eocd + 10),
              let cdSize = b.u32(eocd + 12), let cdOffset = b.u32(eocd + 16) else { throw damaged }
        if eocd >= 20, b.u32(eocd - 20) == 0x0706_4B50 { throw Failure(reason: Messages.xlsxZIP64) }
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF { throw Failure(reason: Messages.xlsxZIP64) }
        guard disk == 0, cdDisk == 0, onDisk == count else { throw damaged }
        guard count <= limits.maxEntries else { throw Failure(reason: Messages.xlsxTooManyParts(limits.maxEntries)) }
        // The central directory lies before the record, and holds at least 46 bytes an entry.
        guard let cdEnd = Bytes.sum(cdOffset, cdSize), cdEnd <= eocd, count * 46 <= cdSize else { throw damaged }
        dataEnd = cdOffset
        var p = cdOffset
        for _ in 0..<count {
            guard b.u32(p) == 0x0201_4B50,
                  let flags = b.u16(p + 8), let method = b.u16(p + 10), let crc = b.u32(p + 16),
                  let compressed = b.u32(p + 20), let size = b.u32(p + 24),
                  let nameLength = b.u16(p + 28), let extraLength = b.u16(p + 30), let commentLength = b.u16(p + 32),
                  let offset = b.u32(p + 42),
                  let nameStart = Bytes.sum(p, 46), let next = Bytes.sum(nameStart, nameLength, extraLength, commentLength),
                  next <= cdEnd, let name = b.string(nameStart, nameLength) else { throw damaged }
            if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF { throw Failure(reason: Messages.xlsxZIP64) }
            // Every entry's local header must lie before the central directory, parts not read too:
            // a directory pointing elsewhere is a damaged archive.
            guard let headerEnd = Bytes.sum(offset, 30), headerEnd <= cdOffset, b.u32(offset) == 0x0403_4B50,
                  let dataEnd = Bytes.sum(headerEnd, compressed), dataEnd <= cdOffset else {
                throw Failure(reason: Messages.xlsxDamagedPart(name))
            }
            // The first of duplicate names counts (as in other readers).
            if entries[name] == nil {
                entries[name] = Entry(name: name, flags: flags, method: method, crc: UInt32(crc),
                                      compressedSize: compressed, size: size, localHeaderOffset: offset)
            }
            p = next
        }
    }

    // MARK: - Extraction

    private static func extract(_ e: Entry, from b: Bytes, dataEnd: Int, alreadyRead: Int, limits: XLSXLimits) throws -> [UInt8] {
        let damaged = Failure(reason: Messages.xlsxDamagedPart(e.name))
        if e.flags & 1 != 0 || (e.method != 0 && e.method != 8) { throw Failure(reason: Messages.xlsxUnsupportedPart(e.name)) }
        // Declared sizes first: nothing is unpacked when they already break a limit.
        if e.size > limits.maxPartBytes { throw Failure(reason: Messages.xlsxTooLarge(limits.maxPartBytes)) }
        if e.size > limits.maxTotalBytes - alreadyRead { throw Failure(reason: Messages.xlsxTooLarge(limits.maxTotalBytes)) }
        if e.method == 8, e.size > limits.ratioCheckAbove, e.size > e.compressedSize * limits.maxCompressionRatio {
            throw Failure(reason: Messages.xlsxCompressedTooStrongly(e.name, limits.maxCompressionRatio))
        }
        // The local header: its own name and extra field lengths give where the data starts.
        guard let headerEnd = Bytes.sum(e.localHeaderOffset, 30), headerEnd <= dataEnd,
              b.u32(e.localHeaderOffset) == 0x0403_4B50,
              let nameLength = b.u16(e.localHeaderOffset + 26), let extraLength = b.u16(e.localHeaderOffset + 28),
              let start = Bytes.sum(headerEnd, nameLength, extraLength),
              let end = Bytes.sum(start, e.compressedSize), end <= dataEnd else { throw damaged }
        let out: [UInt8]
        if e.method == 0 {
            guard e.compressedSize == e.size else { throw damaged }
            out = Array(UnsafeRawBufferPointer(rebasing: b.raw[start..<end]))
        } else {
            out = try inflate(b, start: start, count: e.compressedSize, entry: e, alreadyRead: alreadyRead, limits: limits)
        }
        let crc = out.withUnsafeBufferPointer { p in
            p.baseAddress.map { UInt32(crc32(0, $0, uInt(p.count))) } ?? 0
        }
        guard out.count == e.size, crc == e.crc else { throw damaged }
        return out
    }

    /// Raw deflate (zlib, windowBits -15) of `count` bytes at `start`, in 64 KiB steps. Every
    /// step either consumes input or produces output, or the loop stops; the output may never
    /// exceed the declared size, the part limit, the total limit or the compression-ratio limit.
    private static func inflate(_ b: Bytes, start: Int, count: Int, entry e: Entry, alreadyRead: Int,
                                limits: XLSXLimits) throws -> [UInt8] {
        let damaged = Failure(reason: Messages.xlsxDamagedPart(e.name))
        guard let base = b.raw.baseAddress, count <= Int(UInt32.max) else { throw damaged }
        var stream = z_stream()
        guard opora_inflate_init_raw(&stream) == Z_OK else { throw damaged }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: (base + start).assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(count)
        let chunkSize = 1 << 16
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var out: [UInt8] = []
        out.reserveCapacity(min(e.size, 64 << 20))
        while true {
            let inBefore = stream.avail_in
            let (status, produced) = chunk.withUnsafeMutableBufferPointer { c -> (Int32, Int) in
                stream.next_out = c.baseAddress
                stream.avail_out = uInt(chunkSize)
                let status = COporaZlib.inflate(&stream, Z_NO_FLUSH)
                return (status, chunkSize - Int(stream.avail_out))
            }
            if produced > 0 {
                let total = out.count + produced
                if total > limits.maxPartBytes { throw Failure(reason: Messages.xlsxTooLarge(limits.maxPartBytes)) }
                if total > limits.maxTotalBytes - alreadyRead { throw Failure(reason: Messages.xlsxTooLarge(limits.maxTotalBytes)) }
                if total > e.size { throw damaged } // more than the directory declares
                let consumed = count - Int(stream.avail_in)
                if total > limits.ratioCheckAbove, total > consumed * limits.maxCompressionRatio {
                    throw Failure(reason: Messages.xlsxCompressedTooStrongly(e.name, limits.maxCompressionRatio))
                }
                out.append(contentsOf: chunk[0..<produced])
            }
            if status == Z_STREAM_END { break }
            // Z_BUF_ERROR: no progress possible (the stream ends early); anything else is an error.
            guard status == Z_OK else { throw damaged }
            if produced == 0, stream.avail_in == inBefore { throw damaged }
        }
        return out
    }
}

/// Little-endian reads from a byte buffer that return nil instead of reading outside it.
struct Bytes {
    let raw: UnsafeRawBufferPointer
    init(_ raw: UnsafeRawBufferPointer) { self.raw = raw }
    var count: Int { raw.count }

    func u16(_ at: Int) -> Int? {
        guard at >= 0, at <= count - 2 else { return nil }
        return Int(raw[at]) | Int(raw[at + 1]) << 8
    }

    func u32(_ at: Int) -> Int? {
        guard at >= 0, at <= count - 4 else { return nil }
        return Int(raw[at]) | Int(raw[at + 1]) << 8 | Int(raw[at + 2]) << 16 | Int(raw[at + 3]) << 24
    }

    /// `length` bytes at `at` as a name (UTF-8; other bytes replaced), or nil when outside.
    func string(_ at: Int, _ length: Int) -> String? {
        guard at >= 0, length >= 0, at <= count, length <= count - at else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[at..<(at + length)]), as: UTF8.self)
    }

    /// A sum of non-negative offsets and lengths, or nil on overflow.
    static func sum(_ values: Int...) -> Int? {
        var total = 0
        for v in values {
            guard v >= 0 else { return nil }
            let (s, overflow) = total.addingReportingOverflow(v)
            if overflow { return nil }
            total = s
        }
        return total
    }
}
