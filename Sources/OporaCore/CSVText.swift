/// Cells of the CSV files Opora writes (identification runs, value added; web, API and CLI alike):
/// RFC 4180 quoting, and text that a spreadsheet would read as a formula neutralised.
///
/// OWASP "CSV injection": Excel and LibreOffice evaluate a cell that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return, so a school named `=HYPERLINK(…)` in an uploaded schools.csv would
/// become a live formula in every export. Such a text cell gets a leading `'` (shown by spreadsheets
/// as text, and visible to a script reading the file as plain text).
///
/// Only `text` neutralises: it is for what people typed or uploaded (names, municipalities, codes,
/// free text). Numbers that Opora formats itself (a residual of -0.25, a threshold) go through
/// `number`, unneutralised, so they stay numbers in a spreadsheet: they can never hold a formula.
public enum CSVText {
    /// A text cell: neutralised, then quoted when it holds `,` `"` CR or LF.
    @inline(__always)
    public static func text(_ s: String) -> String { quote(neutralised(s)) }

    /// A number Opora formatted itself: quoted only if needed (never, for plain digits).
    public static func number(_ s: String) -> String { quote(s) }

    /// `s` with a `'` in front when it starts like a formula.
    public static func neutralised(_ s: String) -> String {
        guard let first = s.utf8.first else { return s }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return "'" + s
        default: return s
        }
    }

    /// RFC 4180: a field with `,` `"` CR or LF in double quotes, each `"` doubled.
    public static func quote(_ s: String) -> String {
        // Byte checks first (tens of thousands of long texts): without any of these bytes no
        // character can match, and without a `"` byte there is nothing to double.
        let utf8 = s.utf8
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }),
              plainSpecialCharacter(s) ?? s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        guard utf8.contains(0x22) else { return "\"" + s + "\"" }
        // Each `"` byte doubled: the byte is always the character (as Foundation's replacing, which
        // bridged every text with a quote through NSString).
        var bytes: [UInt8] = [0x22]
        bytes.reserveCapacity(utf8.count + 8)
        for b in utf8 {
            bytes.append(b)
            if b == 0x22 { bytes.append(0x22) }
        }
        bytes.append(0x22)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `true` when one of the bytes `,` `"` LF CR of `s` is certainly a `Character` of its own (so
    /// `s` contains that character), decided on the bytes; `nil` when it takes the characters.
    /// Such a byte with an ASCII byte (or the text's end) on both sides is its own grapheme cluster:
    /// only a Prepend scalar joins the next one, and only an Extend, ZWJ or SpacingMark scalar joins
    /// the one before, none of them ASCII; apart from CR LF, which is one `Character` (neither "\r"
    /// nor "\n"). Comparing `Character`s of Russian texts cost more than the rest of the row.
    public static func plainSpecialCharacter(_ s: String) -> Bool? {
        s.utf8.withContiguousStorageIfAvailable { b -> Bool? in
            let n = b.count
            for i in 0..<n {
                let c = b[i]
                guard c == 0x2C || c == 0x22 || c == 0x0A || c == 0x0D else { continue }
                if c == 0x0D, i + 1 < n, b[i + 1] == 0x0A { continue }
                if c == 0x0A, i > 0, b[i - 1] == 0x0D { continue }
                if (i == 0 || b[i - 1] < 0x80) && (i + 1 == n || b[i + 1] < 0x80) { return true }
            }
            return nil
        } ?? nil
    }
}
