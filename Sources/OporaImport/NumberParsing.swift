/// The result of reading a number cell.
enum ParsedNumber: Equatable {
    /// The cell is empty: a missing value, never zero.
    case missing
    case value(Double, percent: Bool)
    case invalid
    /// A number, but beyond what a Double holds (`1e400`).
    case tooLarge
}

/// Reads numbers straight from UTF-8 bytes, without making a `String`.
///
/// Accepted: an optional sign, digits with optional space / no-break-space thousands separators,
/// a decimal point or a decimal comma, an optional exponent, and an optional trailing `%`.
enum NumberParsing {
    private static let powersOf10: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// A cell of 1–15 plain digits read directly (most scores, marks and task points); `nil` for
    /// anything else. The general path of `parse` gives the same value for them (an exact integer, no scaling).
    @inline(__always)
    static func plainDigits(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard end > start, end - start <= 15 else { return nil }
        var v: UInt64 = 0
        for i in start..<end {
            let d = base[i] &- 0x30
            guard d <= 9 else { return nil }
            v = v &* 10 &+ UInt64(d)
        }
        return Double(v)
    }

    static func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> ParsedNumber {
        if let v = plainDigits(base, start, end) { return .value(v, percent: false) }
        var (i, e) = CSVScanner.trimmed(base, start, end)
        if i == e { return .missing }
        var percent = false
        if base[e - 1] == 0x25 { // %
            percent = true
            e -= 1
            (i, e) = CSVScanner.trimmed(base, i, e)
            if i == e { return .invalid }
        }
        var negative = false
        if base[i] == 0x2D || base[i] == 0x2B { // - +
            negative = base[i] == 0x2D
            i += 1
        } else if e - i >= 3, base[i] == 0xE2, base[i + 1] == 0x88, base[i + 2] == 0x92 { // U+2212 minus
            negative = true
            i += 3
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var significant = 0
        var dropped = 0
        // Integer part (with thousands separators between digits).
        while i < e {
            let c = base[i]
            if c >= 0x30 && c <= 0x39 {
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c - 0x30)
                    if mantissa != 0 { significant += 1 }
                } else {
                    dropped += 1 // an integer digit beyond precision scales the value
                }
                digits += 1
                i += 1
            } else if digits > 0, c == 0x20, i + 1 < e, base[i + 1] >= 0x30, base[i + 1] <= 0x39 {
                i += 1
            } else if digits > 0, c == 0xC2, i + 2 < e, base[i + 1] == 0xA0, base[i + 2] >= 0x30, base[i + 2] <= 0x39 {
                i += 2
            } else {
                break
            }
        }
        if i < e, base[i] == 0x2E || base[i] == 0x2C { // . ,
            i += 1
            while i < e {
                let c = base[i]
                guard c >= 0x30 && c <= 0x39 else { break }
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c - 0x30)
                    if mantissa != 0 { significant += 1 }
                    fractionDigits += 1
                }
                digits += 1
                i += 1
            }
        }
        if digits == 0 { return .invalid }
        var exponent = 0
        if i < e, base[i] == 0x65 || base[i] == 0x45 { // e E
            i += 1
            var expNegative = false
            if i < e, base[i] == 0x2D || base[i] == 0x2B {
                expNegative = base[i] == 0x2D
                i += 1
            }
            var expDigits = 0
            while i < e, base[i] >= 0x30, base[i] <= 0x39, expDigits < 4 {
                exponent = exponent * 10 + Int(base[i] - 0x30)
                expDigits += 1
                i += 1
            }
            if expDigits == 0 { return .invalid }
            if expNegative { exponent = -exponent }
        }
        if i != e { return .invalid }
        var value = Double(mantissa)
        let scale = exponent + dropped - fractionDigits
        if scale < 0 {
            value = -scale <= 22 ? value / powersOf10[-scale] : value / pow10(-scale)
        } else if scale > 0 {
            value = scale <= 22 ? value * powersOf10[scale] : value * pow10(scale)
        }
        if !value.isFinite { return .tooLarge }
        return .value(negative ? -value : value, percent: percent)
    }

    private static func pow10(_ e: Int) -> Double {
        var v = 1.0
        for _ in 0..<min(e, 400) { v *= 10 }
        return v
    }

    static func parse(_ text: String) -> ParsedNumber {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return .missing }
        return bytes.withUnsafeMutableBufferPointer { p in parse(UnsafePointer(p.baseAddress!), 0, p.count) }
    }
}
