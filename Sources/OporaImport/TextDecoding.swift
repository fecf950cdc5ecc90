import Foundation
import OporaCore

/// The bytes of a file as UTF-8 without a BOM: either the original (memory-mapped) data with an
/// offset, or a transcoded copy of a Windows-1251 file.
struct DecodedText {
    enum Storage {
        case original(Data, offset: Int)
        case transcoded([UInt8])
    }
    var storage: Storage
    var wasWindows1251: Bool

    var count: Int {
        switch storage {
        case .original(let d, let offset): d.count - offset
        case .transcoded(let b): b.count
        }
    }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        switch storage {
        case .original(let data, let offset):
            return try data.withUnsafeBytes { raw in
                let all = raw.bindMemory(to: UInt8.self)
                let base = all.baseAddress.map { $0 + offset }
                return try body(UnsafeBufferPointer(start: base, count: all.count - offset))
            }
        case .transcoded(let bytes):
            return try bytes.withUnsafeBufferPointer(body)
        }
    }
}

enum TextDecoding {
    /// Decodes a file: UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise
    /// Windows-1251. An .xlsx workbook (a ZIP archive) is converted: its first sheet becomes CSV
    /// (see XLSXReader). UTF-16, NUL bytes, other binary data and old .xls workbooks are refused
    /// with a message saying what to do.
    static func decode(_ data: Data) -> Result<DecodedText, LocalizedTextError> {
        if XLSXReader.looksLikeZIP(data) {
            // An Excel workbook: its first sheet as UTF-8 CSV.
            return XLSXReader.csv(from: data).flatMap { bytes in
                bytes.isEmpty ? .failure(.init(Messages.emptyFile))
                    : .success(DecodedText(storage: .transcoded(bytes), wasWindows1251: false))
            }
        }
        return data.withUnsafeBytes { raw -> Result<DecodedText, LocalizedTextError> in
            let p = raw.bindMemory(to: UInt8.self)
            let n = p.count
            if n == 0 { return .failure(.init(Messages.emptyFile)) }
            if n >= 4, p[0] == 0xD0, p[1] == 0xCF, p[2] == 0x11, p[3] == 0xE0 {
                return .failure(.init(Messages.xls))
            }
            if n >= 2, (p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF) {
                return .failure(.init(Messages.utf16))
            }
            var offset = 0
            if n >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { offset = 3 }
            let body = UnsafeBufferPointer(rebasing: p[offset...])
            switch scan(body) {
            case .binary:
                return .failure(.init(Messages.binary))
            case .utf8:
                return .success(DecodedText(storage: .original(data, offset: offset), wasWindows1251: false))
            case .notUTF8:
                return .success(DecodedText(storage: .transcoded(transcode1251(body)), wasWindows1251: true))
            }
        }
    }

    enum ScanResult { case utf8, notUTF8, binary }

    /// One pass: rejects NUL and control bytes (other than tab, LF, CR, FF and DOS EOF), and
    /// checks UTF-8 well-formedness (no overlongs or surrogates).
    static func scan(_ p: UnsafeBufferPointer<UInt8>) -> ScanResult {
        // Big files: parts checked in parallel, split before an ASCII byte (never inside a sequence).
        let parts = min(ProcessInfo.processInfo.activeProcessorCount, p.count / (8 << 20))
        guard parts > 1, let base = p.baseAddress else { return scanPart(p) }
        var starts = [0]
        for k in 1..<parts {
            var i = p.count / parts * k
            while i < p.count, base[i] >= 0x80 { i += 1 }
            if i > starts.last!, i < p.count { starts.append(i) }
        }
        starts.append(p.count)
        let results = UnsafeMutableBufferPointer<ScanResult>.allocate(capacity: starts.count - 1)
        results.initialize(repeating: .utf8)
        defer { results.deallocate() }
        let work = ScanWork(text: p, starts: starts, results: results)
        DispatchQueue.concurrentPerform(iterations: starts.count - 1) { work.run($0) }
        if results.contains(.binary) { return .binary }
        return results.contains(.notUTF8) ? .notUTF8 : .utf8
    }

    private struct ScanWork: @unchecked Sendable {
        let text: UnsafeBufferPointer<UInt8>
        let starts: [Int]
        let results: UnsafeMutableBufferPointer<ScanResult>
        func run(_ k: Int) {
            results[k] = scanPart(UnsafeBufferPointer(rebasing: text[starts[k]..<starts[k + 1]]))
        }
    }

    /// A control byte no text file has (tab, line ends, form feed and the DOS end-of-file mark are allowed).
    @inline(__always)
    static func isBinaryControl(_ b: UInt8) -> Bool {
        b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C && b != 0x1A
    }

    static func scanPart(_ p: UnsafeBufferPointer<UInt8>) -> ScanResult {
        var valid = true
        var i = 0
        let n = p.count
        guard let base = p.baseAddress else { return .utf8 }
        let high: UInt64 = 0x8080_8080_8080_8080, spaces: UInt64 = 0x2020_2020_2020_2020
        while i < n {
            // Thirty-two ASCII bytes of 0x20 or above at once, the usual case.
            if i + 32 <= n {
                let raw = UnsafeRawPointer(base + i)
                let w0 = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                let w2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self), w3 = raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
                let low = ((w0 &- spaces) & ~w0) | ((w1 &- spaces) & ~w1) | ((w2 &- spaces) & ~w2) | ((w3 &- spaces) & ~w3)
                if (w0 | w1 | w2 | w3 | low) & high == 0 {
                    i += 32
                    continue
                }
            }
            // Eight ASCII bytes of 0x20 or above at once.
            if i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if w & high == 0 {
                    var flagged = (w &- spaces) & ~w & high
                    if flagged == 0 {
                        i += 8
                        continue
                    }
                    // ASCII with a control byte, usually a line end (every ~100 bytes of a results
                    // file): only the bytes flagged below 0x20 are looked at (a byte after a real one
                    // may be flagged too, by the borrow, and is then checked and passes).
                    while flagged != 0 {
                        let b = UInt8(truncatingIfNeeded: w >> UInt64(flagged.trailingZeroBitCount - 7))
                        if isBinaryControl(b) { return .binary }
                        flagged &= flagged &- 1
                    }
                    i += 8
                    continue
                }
            }
            let b = base[i]
            if b < 0x80 {
                if isBinaryControl(b) { return .binary }
                i += 1
                continue
            }
            if !valid { i += 1; continue }
            // Multi-byte sequence.
            var need = 0
            var minNext: UInt8 = 0x80, maxNext: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; minNext = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; maxNext = 0x9F
            case 0xF0: need = 3; minNext = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; maxNext = 0x8F
            default: valid = false; i += 1; continue
            }
            if i + need >= n { valid = false; i += 1; continue }
            let b1 = base[i + 1]
            if b1 < minNext || b1 > maxNext { valid = false; i += 1; continue }
            var ok = true
            var k = 2
            while k <= need {
                let c = base[i + k]
                if c < 0x80 || c > 0xBF { ok = false; break }
                k += 1
            }
            if !ok { valid = false; i += 1; continue }
            i += need + 1
        }
        return valid ? .utf8 : .notUTF8
    }

    /// Unicode scalars of Windows-1251 bytes 0x80–0xFF (0x98 is unassigned: U+FFFD).
    static let cp1251High: [UInt32] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ] + (0x0410...0x044F).map { UInt32($0) }

    /// The UTF-8 encoding of each of the 128 high bytes, packed: up to 3 bytes, length in the top byte.
    static let cp1251UTF8: [UInt32] = cp1251High.map { s in
        if s < 0x800 {
            let b0 = 0xC0 | (s >> 6), b1 = 0x80 | (s & 0x3F)
            return (2 << 24) | (b0 << 8) | b1
        }
        let b0 = 0xE0 | (s >> 12), b1 = 0x80 | ((s >> 6) & 0x3F), b2 = 0x80 | (s & 0x3F)
        return (3 << 24) | (b0 << 16) | (b1 << 8) | b2
    }

    static func transcode1251(_ p: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let table = cp1251UTF8
        var out = [UInt8]()
        out.reserveCapacity(p.count * 2)
        for b in p {
            if b < 0x80 {
                out.append(b)
            } else {
                let e = table[Int(b) - 0x80]
                if e >> 24 == 2 {
                    out.append(UInt8((e >> 8) & 0xFF)); out.append(UInt8(e & 0xFF))
                } else {
                    out.append(UInt8((e >> 16) & 0xFF)); out.append(UInt8((e >> 8) & 0xFF)); out.append(UInt8(e & 0xFF))
                }
            }
        }
        return out
    }
}

/// A file-level refusal carrying its message.
struct LocalizedTextError: Error {
    var message: LocalizedText
    init(_ message: LocalizedText) { self.message = message }
}
