import Foundation
import OporaCore

/// Turns the first worksheet of an Excel workbook (.xlsx, Office Open XML) into CSV bytes (UTF-8,
/// comma-separated, RFC 4180 quoting) that the ordinary CSV pipeline reads.
///
/// Spreadsheet rows become CSV records one for one (missing rows become blank lines, which keep
/// the row numbers), so row numbers in messages are spreadsheet row numbers when the table starts
/// in row 1; empty rows above the table are left out. Cell references place values in their
/// columns; missing cells are empty. Cell values are taken as stored: shared strings, inline
/// strings, formula results and numbers (written without exponents). Formatting is not applied,
/// so a date is its serial number and a code stored as a number has lost its leading zeros.
///
/// Any input is safe to give: the archive is read by `ZIPReader` (checked offsets, inflating
/// capped as it goes), the XML by libxml2's streaming reader (`XMLStream`), and rows, columns,
/// shared strings and the CSV are capped by `XLSXLimits` (Excel's own row and column limits by
/// default). A file beyond them is refused with a message saying why.
enum XLSXReader {
    /// ZIP local-file or empty-archive signature.
    static func looksLikeZIP(_ data: Data) -> Bool {
        guard data.count >= 4 else { return false }
        let s = data.startIndex
        return data[s] == 0x50 && data[s + 1] == 0x4B && (data[s + 2] == 0x03 || data[s + 2] == 0x05)
            && (data[s + 3] == 0x04 || data[s + 3] == 0x06)
    }

    /// The first worksheet as CSV bytes, or a refusal saying why the workbook cannot be read.
    static func csv(from data: Data, limits: XLSXLimits = .standard) -> Result<[UInt8], LocalizedTextError> {
        do {
            return .success(try convert(data, limits: limits))
        } catch let e as Failure {
            return .failure(.init(Messages.xlsxUnreadable(e.reason)))
        } catch {
            return .failure(.init(Messages.xlsxUnreadable(Messages.xlsxDamaged)))
        }
    }

    struct Failure: Error {
        var reason: LocalizedText
    }

    static func convert(_ data: Data, limits: XLSXLimits = .standard) throws -> [UInt8] {
        var archive = try ZIPReader(data, limits: limits)
        guard archive.contains("xl/workbook.xml") else { throw Failure(reason: Messages.xlsxNoWorkbook) }
        let sheetPath = try firstSheetPath(&archive) ?? "xl/worksheets/sheet1.xml"
        guard archive.contains(sheetPath) else { throw Failure(reason: Messages.xlsxMissingPart(sheetPath)) }
        var shared: [String] = []
        if archive.contains("xl/sharedStrings.xml") {
            var p = SharedStringsParser(limit: limits.maxSharedStrings)
            try XMLStream.read(try archive.read("xl/sharedStrings.xml"), part: "xl/sharedStrings.xml", into: &p)
            shared = p.strings
        }
        var sheet = SheetParser(shared: shared, limits: limits)
        try XMLStream.read(try archive.read(sheetPath), part: sheetPath, into: &sheet)
        if let bad = sheet.badSharedIndex { throw Failure(reason: Messages.xlsxBadSharedString(clip(bad))) }
        return sheet.output
    }

    /// The file of the first sheet in workbook order, via the workbook's relationships; nil when
    /// the workbook names no sheet or the relationships are missing or do not name it. A damaged
    /// workbook or relationships part refuses the file.
    static func firstSheetPath(_ archive: inout ZIPReader) throws -> String? {
        var w = WorkbookParser()
        try XMLStream.read(try archive.read("xl/workbook.xml"), part: "xl/workbook.xml", into: &w)
        guard let id = w.firstSheetID, archive.contains("xl/_rels/workbook.xml.rels") else { return nil }
        var r = RelationshipsParser()
        try XMLStream.read(try archive.read("xl/_rels/workbook.xml.rels"), part: "xl/_rels/workbook.xml.rels", into: &r)
        guard let target = r.targets[id] else { return nil }
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for component in target.split(separator: "/") {
            if component == ".." { if !parts.isEmpty { parts.removeLast() } } else if component != "." { parts.append(String(component)) }
        }
        return parts.joined(separator: "/")
    }

    /// A value from the file as it may appear in a message: at most 24 characters.
    static func clip(_ s: String) -> String {
        s.count <= 24 ? s : String(s.prefix(24)) + "…"
    }

    /// An element or attribute name without its namespace prefix.
    static func local(_ name: String) -> Substring {
        if let i = name.lastIndex(of: ":") { return name[name.index(after: i)...] }
        return name[...]
    }

    /// OOXML escapes characters that XML cannot hold as `_xHHHH_`.
    static func unescape(_ s: String) -> String {
        guard s.contains("_x") else { return s }
        var out = ""
        var rest = s[...]
        while let r = rest.range(of: "_x") {
            out += rest[..<r.lowerBound]
            let after = rest[r.upperBound...]
            let hex = after.prefix(4)
            if hex.count == 4, after.dropFirst(4).first == "_", let v = UInt32(hex, radix: 16), let u = Unicode.Scalar(v) {
                out.unicodeScalars.append(u)
                rest = after.dropFirst(5)
            } else {
                out += "_x"
                rest = after
            }
        }
        return out + rest
    }

    /// A stored number as text: kept as written when it is a plain decimal of at most 15
    /// significant digits; otherwise rounded to 15 significant digits (as Excel shows it) and
    /// written without an exponent.
    static func formatNumber(_ raw: String) -> String {
        let s = raw.trimmingCharacters(in: .whitespaces)
        var digits = 0, plain = !s.isEmpty
        for (i, c) in s.enumerated() {
            if c.isASCII, c.isNumber { digits += 1 } else if c == "." || (c == "-" && i == 0) { continue } else { plain = false; break }
        }
        if plain, digits <= 15 { return s }
        guard let d = Double(s), d.isFinite else { return s }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        let g = String(format: "%.15g", d)
        guard g.contains("e") || g.contains("E") else { return g }
        return Decimal(string: g)?.description ?? g
    }
}


// MARK: - Parsers

private func attribute(_ attributes: [(name: String, value: String)], _ name: String) -> String? {
    attributes.first { $0.name == name }?.value
}

private struct SharedStringsParser: XMLPartHandler {
    let limit: Int
    var strings: [String] = []
    private var current = ""
    private var inItem = false, inText = false, phonetic = 0

    init(limit: Int) { self.limit = limit }

    var wantsText: Bool { inText }

    mutating func start(_ name: String, _ attributes: [(name: String, value: String)]) throws {
        switch name {
        case "si": inItem = true; current = ""
        case "rPh": phonetic += 1
        case "t": inText = inItem && phonetic == 0
        default: break
        }
    }

    mutating func end(_ name: String) throws {
        switch name {
        case "si":
            guard strings.count < limit else { throw XLSXReader.Failure(reason: Messages.xlsxTooManySharedStrings(limit)) }
            strings.append(XLSXReader.unescape(current)); inItem = false
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }

    mutating func text(_ text: String) throws { current += text }
}

private struct WorkbookParser: XMLPartHandler {
    var firstSheetID: String?
    var wantsText: Bool { false }

    mutating func start(_ name: String, _ attributes: [(name: String, value: String)]) throws {
        guard firstSheetID == nil, name == "sheet" else { return }
        firstSheetID = attributes.first { $0.name.contains(":") && XLSXReader.local($0.name) == "id" }?.value
    }

    mutating func end(_ name: String) throws {}
    mutating func text(_ text: String) throws {}
}

private struct RelationshipsParser: XMLPartHandler {
    var targets: [String: String] = [:]
    var wantsText: Bool { false }

    mutating func start(_ name: String, _ attributes: [(name: String, value: String)]) throws {
        guard name == "Relationship", let id = attribute(attributes, "Id"), let target = attribute(attributes, "Target") else { return }
        targets[id] = target
    }

    mutating func end(_ name: String) throws {}
    mutating func text(_ text: String) throws {}
}

/// Reads `<sheetData>` and writes CSV as it goes.
struct SheetParser: XMLPartHandler {
    typealias Failure = XLSXReader.Failure
    let shared: [String]
    let limits: XLSXLimits
    var output: [UInt8] = []
    var badSharedIndex: String?

    private var rowNumber = 0
    private var lastWrittenRow = 0
    private var started = false
    private var cells: [(column: Int, value: String)] = []
    private var column = -1
    private var type = "n"
    private var value = ""
    private var inlineText = ""
    private var inValue = false, inInline = false, inText = false, phonetic = 0

    init(shared: [String], limits: XLSXLimits) {
        self.shared = shared
        self.limits = limits
    }

    var wantsText: Bool { inValue || inText }

    mutating func start(_ name: String, _ attributes: [(name: String, value: String)]) throws {
        switch name {
        case "row":
            if let r = attribute(attributes, "r") {
                rowNumber = try Self.rowNumber(r, limits: limits)
            } else {
                guard rowNumber < limits.maxRows else { throw Failure(reason: Messages.xlsxRowBeyondLimit(String(rowNumber + 1), limits.maxRows)) }
                rowNumber += 1
            }
            cells.removeAll(keepingCapacity: true)
            column = -1
        case "c":
            if let r = attribute(attributes, "r") {
                column = try Self.columnIndex(r, limits: limits)
            } else {
                guard column + 1 < limits.maxColumns else {
                    throw Failure(reason: Messages.xlsxColumnBeyondLimit(SpreadsheetColumn.name(column + 1), limits.maxColumns, SpreadsheetColumn.name(limits.maxColumns - 1)))
                }
                column += 1
            }
            type = attribute(attributes, "t") ?? "n"
            value = ""
            inlineText = ""
        case "v": inValue = true
        case "is": inInline = true
        case "rPh": phonetic += 1
        case "t": inText = inInline && phonetic == 0
        default: break
        }
    }

    mutating func end(_ name: String) throws {
        switch name {
        case "v": inValue = false
        case "is": inInline = false
        case "rPh": phonetic -= 1
        case "t": inText = false
        case "c":
            // A row holds at most one cell per column; more (repeated references) is not a sheet Excel writes.
            guard cells.count < limits.maxColumns else { throw Failure(reason: Messages.xlsxTooManyCells(rowNumber, limits.maxColumns)) }
            cells.append((column, cellText()))
        case "row": try writeRow()
        default: break
        }
    }

    mutating func text(_ text: String) throws {
        if inValue { value += text } else if inText { inlineText += text }
    }

    private mutating func cellText() -> String {
        switch type {
        case "s":
            guard let i = Int(value.trimmingCharacters(in: .whitespaces)), shared.indices.contains(i) else {
                if !value.isEmpty, badSharedIndex == nil { badSharedIndex = value }
                return ""
            }
            return shared[i]
        case "inlineStr": return XLSXReader.unescape(inlineText)
        case "str", "e", "d": return XLSXReader.unescape(value)
        case "b": return value == "1" ? "TRUE" : value == "0" ? "FALSE" : value
        default: return value.isEmpty ? "" : XLSXReader.formatNumber(value)
        }
    }

    private mutating func writeRow() throws {
        let nonEmpty = cells.contains { !$0.value.isEmpty }
        if !nonEmpty { return } // blank rows are written only as the gap before a later row
        // Row numbers are at most limits.maxRows, so a gap is at most that many blank lines.
        if started, rowNumber > lastWrittenRow + 1 {
            output.append(contentsOf: repeatElement(0x0A, count: rowNumber - lastWrittenRow - 1))
        }
        started = true
        lastWrittenRow = max(rowNumber, lastWrittenRow + 1)
        cells.sort { $0.column < $1.column }
        var next = 0 // fields written so far
        for (c, v) in cells where c >= next { // a repeated reference: one value is kept
            while next < c {
                if next > 0 { output.append(0x2C) }
                next += 1
            }
            if next > 0 { output.append(0x2C) }
            Self.appendField(v, to: &output)
            next = c + 1
        }
        output.append(0x0A)
        if output.count > limits.maxOutputBytes { throw Failure(reason: Messages.xlsxOutputTooLarge(limits.maxOutputBytes)) }
    }

    private static func appendField(_ v: String, to out: inout [UInt8]) {
        let needsQuotes = v.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x3B || $0 == 0x09 }
        if !needsQuotes { out.append(contentsOf: v.utf8); return }
        out.append(0x22)
        for b in v.utf8 {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    /// A row's `r`: 1…maxRows. Digits are read without overflow: past the limit they are only checked.
    static func rowNumber(_ r: String, limits: XLSXLimits) throws -> Int {
        switch digits(r.utf8[...], limit: limits.maxRows) {
        case .number(let n): return n
        case .beyond: throw Failure(reason: Messages.xlsxRowBeyondLimit(XLSXReader.clip(r), limits.maxRows))
        case .invalid: throw Failure(reason: Messages.xlsxBadRowNumber(XLSXReader.clip(r)))
        }
    }

    enum Digits: Equatable { case number(Int), beyond, invalid }

    /// Decimal digits as a number 1…limit, `.beyond` for a larger one, `.invalid` for anything
    /// else (empty, 0, signs, letters). No arithmetic can overflow: accumulation stops past limit.
    static func digits(_ s: Substring.UTF8View, limit: Int) -> Digits {
        guard !s.isEmpty else { return .invalid }
        var n = 0, beyond = false
        for u in s {
            guard u >= 0x30, u <= 0x39 else { return .invalid }
            if !beyond {
                n = n * 10 + Int(u - 0x30) // n <= limit here, so no overflow for any sane limit
                if n > limit { beyond = true }
            }
        }
        if beyond { return .beyond }
        return n >= 1 ? .number(n) : .invalid
    }

    /// "B12" → 1 (column letters, zero-based), checked against the column and row limits.
    static func columnIndex(_ reference: String, limits: XLSXLimits) throws -> Int {
        let u = reference.utf8
        var n = 0, letters = 0
        var i = u.startIndex
        while i < u.endIndex {
            let c = u[i]
            let v: Int
            switch c {
            case 0x41...0x5A: v = Int(c - 0x40)
            case 0x61...0x7A: v = Int(c - 0x60)
            default: v = 0
            }
            if v == 0 { break }
            if n <= limits.maxColumns { n = n * 26 + v } // stops growing once past the limit
            letters += 1
            i = u.index(after: i)
        }
        guard letters > 0 else { throw Failure(reason: Messages.xlsxBadCellReference(XLSXReader.clip(reference))) }
        let letterText = String(reference[..<i])
        if n > limits.maxColumns {
            throw Failure(reason: Messages.xlsxColumnBeyondLimit(XLSXReader.clip(letterText), limits.maxColumns, SpreadsheetColumn.name(limits.maxColumns - 1)))
        }
        if i < u.endIndex { // the row part, when present, must be a row number within the limit
            switch digits(u[i...], limit: limits.maxRows) {
            case .number: break
            case .beyond: throw Failure(reason: Messages.xlsxRowBeyondLimit(XLSXReader.clip(String(reference[i...])), limits.maxRows))
            case .invalid: throw Failure(reason: Messages.xlsxBadCellReference(XLSXReader.clip(reference)))
            }
        }
        return n - 1
    }
}
