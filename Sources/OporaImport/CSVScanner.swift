import Foundation

/// A byte-level RFC 4180 reader over UTF-8 bytes (usually a memory-mapped file).
///
/// Hand-written on purpose: a well-known Swift CSV library (yaslab/CSV.swift) was measured about
/// 7× slower on a 1,000,000-row results file, and the importer must read such a file in 1–2 s.
/// Fields are returned as byte ranges into the input; nothing is copied and no `String` is made
/// unless the caller asks for one.
///
/// Accepted: `"` quoting with `""` for a quote, delimiters and line breaks inside quotes, CRLF, LF
/// or CR line ends, a missing final line end. Lenient: a quote inside an unquoted field is kept
/// as a character; characters between a closing quote and the next delimiter are dropped.
struct CSVScanner {
    struct Field {
        /// Content range [start, end) without the surrounding quotes.
        var start: Int
        var end: Int
        /// The content has doubled quotes `""` that stand for one quote.
        var escaped: Bool
        var isEmpty: Bool { start == end }
    }

    /// The fields of the records, reused from record to record. A plain buffer, not an array: a
    /// results file has ~60 fields a row and 20 M rows, and an array append checks uniqueness and
    /// capacity each time. Copies of a scanner share it: advance only one copy.
    private final class FieldBuffer {
        var pointer: UnsafeMutablePointer<Field>
        var capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            pointer = .allocate(capacity: capacity)
        }

        func grow() {
            let bigger = UnsafeMutablePointer<Field>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: pointer, count: capacity)
            pointer.deallocate()
            pointer = bigger
            capacity *= 2
        }

        deinit { pointer.deallocate() }
    }

    let base: UnsafePointer<UInt8>
    let count: Int
    let delimiter: UInt8
    private(set) var position = 0
    private let buffer = FieldBuffer(capacity: 64)
    private var fieldCount = 0
    /// The last record ended inside an unclosed quoted field.
    private(set) var unclosedQuote = false

    static let quote: UInt8 = 0x22, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

    init(base: UnsafePointer<UInt8>, count: Int, delimiter: UInt8) {
        self.base = base
        self.count = count
        self.delimiter = delimiter
    }

    /// The fields of the last record read (valid until the next `next()`).
    var fields: UnsafeBufferPointer<Field> { UnsafeBufferPointer(start: buffer.pointer, count: fieldCount) }

    /// Reads the next record into `fields`; `false` at the end of the input.
    mutating func next() -> Bool {
        fieldCount = 0
        if position >= count { return false }
        let base = self.base, count = self.count, delimiter = self.delimiter
        // The field buffer in locals for the whole record: a store through the buffer's pointer could
        // alias the buffer object's own properties, so they were reloaded for every field (~60 a row).
        var fields = buffer.pointer, capacity = buffer.capacity, n = 0
        @inline(__always) func append(_ f: Field) {
            if n == capacity {
                buffer.grow()
                fields = buffer.pointer
                capacity = buffer.capacity
            }
            fields[n] = f
            n += 1
        }
        var pos = position
        while true {
            // Empty fields, one after another (most task cells of a results row): a delimiter at once.
            while pos < count, base[pos] == delimiter {
                append(Field(start: pos, end: pos, escaped: false))
                pos += 1
            }
            if pos < count, base[pos] == Self.quote {
                pos += 1
                let start = pos
                var escaped = false
                while true {
                    if pos >= count {
                        unclosedQuote = true
                        append(Field(start: start, end: count, escaped: escaped))
                        fieldCount = n
                        position = count
                        return true
                    }
                    if base[pos] == Self.quote {
                        if pos + 1 < count, base[pos + 1] == Self.quote {
                            escaped = true
                            pos += 2
                            continue
                        }
                        break
                    }
                    pos += 1
                }
                append(Field(start: start, end: pos, escaped: escaped))
                pos += 1
                while pos < count {
                    let c = base[pos]
                    if c == delimiter || c == Self.lf || c == Self.cr { break }
                    pos += 1
                }
            } else {
                let start = pos
                while pos < count {
                    let c = base[pos]
                    if c == delimiter || c == Self.lf || c == Self.cr { break }
                    pos += 1
                }
                append(Field(start: start, end: pos, escaped: false))
            }
            if pos >= count {
                fieldCount = n
                position = pos
                return true
            }
            let c = base[pos]
            pos += 1
            if c == delimiter { continue }
            if c == Self.cr, pos < count, base[pos] == Self.lf { pos += 1 }
            fieldCount = n
            position = pos
            return true
        }
    }

    /// The record has no content (an empty line, or only delimiters).
    var recordIsBlank: Bool {
        for f in fields where !CSVScanner.isBlank(base, f) { return false }
        return true
    }

    /// Whether two fields have the same bytes (escaping included).
    @inline(__always)
    static func sameBytes(_ base: UnsafePointer<UInt8>, _ a: CSVScanner.Field, _ b: CSVScanner.Field?) -> Bool {
        guard let b, a.end - a.start == b.end - b.start else { return false }
        let n = a.end - a.start
        // Codes and years are a few bytes: a loop beats a call to memcmp, done several times a row.
        if n <= 16 {
            for k in 0..<n where base[a.start + k] != base[b.start + k] { return false }
            return true
        }
        return memcmp(base + a.start, base + b.start, n) == 0
    }

    static func isBlank(_ base: UnsafePointer<UInt8>, _ f: Field) -> Bool {
        var i = f.start
        while i < f.end {
            let c = base[i]
            if c != 0x20 && c != 0x09 { return false }
            i += 1
        }
        return true
    }

    /// The field's text, trimmed of spaces, tabs and no-break spaces, with `""` unescaped.
    func string(_ f: Field) -> String {
        let (s, e) = CSVScanner.trimmed(base, f.start, f.end)
        if s == e { return "" }
        let buffer = UnsafeBufferPointer(start: base + s, count: e - s)
        if !f.escaped { return String(decoding: buffer, as: UTF8.self) }
        var out = [UInt8]()
        out.reserveCapacity(e - s)
        var i = 0
        while i < buffer.count {
            out.append(buffer[i])
            if buffer[i] == Self.quote, i + 1 < buffer.count, buffer[i + 1] == Self.quote { i += 2 } else { i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Trims ASCII spaces, tabs and U+00A0 (C2 A0) from both ends of [start, end).
    static func trimmed(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var s = start, e = end
        while s < e {
            let c = base[s]
            if c == 0x20 || c == 0x09 { s += 1 } else if c == 0xC2, s + 1 < e, base[s + 1] == 0xA0 { s += 2 } else { break }
        }
        while e > s {
            let c = base[e - 1]
            if c == 0x20 || c == 0x09 { e -= 1 } else if c == 0xA0, e - 2 >= s, base[e - 2] == 0xC2 { e -= 2 } else { break }
        }
        return (s, e)
    }

    /// Chooses the delimiter from the header line: the most frequent of `,` `;` tab outside quotes
    /// (ties: `;`, then tab, then `,`; none at all: `,`).
    static func detectDelimiter(_ p: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var comma = 0, semicolon = 0, tab = 0
        var inQuotes = false
        for c in p {
            if c == quote { inQuotes.toggle(); continue }
            if inQuotes { continue }
            if c == lf || c == cr { break }
            switch c {
            case 0x2C: comma += 1
            case 0x3B: semicolon += 1
            case 0x09: tab += 1
            default: break
            }
        }
        if semicolon >= tab, semicolon >= comma, semicolon > 0 { return 0x3B }
        if tab >= comma, tab > 0 { return 0x09 }
        return 0x2C
    }
}
