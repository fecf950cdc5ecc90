/// A spreadsheet's column letters, as Excel and LibreOffice name them: read in import messages
/// («столбец XFE») and written in the cell references of the .xlsx downloads.
public enum SpreadsheetColumn {
    /// 0 → "A", 25 → "Z", 26 → "AA", 16383 → "XFD".
    public static func name(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }
}
