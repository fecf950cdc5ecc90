import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import OporaCore
import ZIPFoundation

/// Turns the first worksheet of an Excel workbook (.xlsx, Office Open XML) into CSV bytes (UTF-8,
/// comma-separated, RFC 4180 quoting) that the ordinary CSV pipeline reads.
///
/// Spreadsheet rows become CSV records one for one (missing rows become blank lines, which keep
/// the row numbers), so row numbers in messages are spreadsheet row numbers when the table starts
/// in row 1; empty rows above the table are left out. Cell references place values in their
/// columns; missing cells are empty. Cell values are taken as stored: shared strings, inline
/// strings, formula results and numbers (written without exponents). Formatting is not applied,
/// so a date is its serial number and a code stored as a number has lost its leading zeros.
enum XLSXReader {
    /// ZIP local-file or empty-archive signature.
    static func looksLikeZIP(_ data: Data) -> Bool {
        guard data.count >= 4 else { return false }
        let s = data.startIndex
        return data[s] == 0x50 && data[s + 1] == 0x4B && (data[s + 2] == 0x03 || data[s + 2] == 0x05)
            && (data[s + 3] == 0x04 || data[s + 3] == 0x06)
    }

    /// The first worksheet as CSV bytes, or a refusal saying why the workbook cannot be read.
    static func csv(from data: Data) -> Result<[UInt8], LocalizedTextError> {
        do {
            return .success(try convert(data))
        } catch let e as Failure {
            return .failure(.init(Messages.xlsxUnreadable(e.reason)))
        } catch {
            return .failure(.init(Messages.xlsxUnreadable(Messages.xlsxDamaged)))
        }
    }

    struct Failure: Error {
        var reason: LocalizedText
    }

    static func convert(_ data: Data) throws -> [UInt8] {
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw Failure(reason: Messages.xlsxDamaged)
        }
        guard archive["xl/workbook.xml"] != nil else { throw Failure(reason: Messages.xlsxNoWorkbook) }
        let sheetPath = firstSheetPath(archive) ?? "xl/worksheets/sheet1.xml"
        guard archive[sheetPath] != nil else { throw Failure(reason: Messages.xlsxMissingPart(sheetPath)) }
        var shared: [String] = []
        if archive["xl/sharedStrings.xml"] != nil {
            let p = SharedStringsParser()
            try parse(try read(archive, "xl/sharedStrings.xml"), part: "xl/sharedStrings.xml", delegate: p)
            shared = p.strings
        }
        let sheet = SheetParser(shared: shared)
        try parse(try read(archive, sheetPath), part: sheetPath, delegate: sheet)
        if let bad = sheet.badSharedIndex { throw Failure(reason: Messages.xlsxBadSharedString(bad)) }
        return sheet.output
    }

    /// The file of the first sheet in workbook order, via the workbook's relationships.
    static func firstSheetPath(_ archive: Archive) -> String? {
        guard let workbook = try? read(archive, "xl/workbook.xml"),
              let rels = try? read(archive, "xl/_rels/workbook.xml.rels") else { return nil }
        let w = WorkbookParser()
        guard (try? parse(workbook, part: "xl/workbook.xml", delegate: w)) != nil, let id = w.firstSheetID else { return nil }
        let r = RelationshipsParser()
        guard (try? parse(rels, part: "xl/_rels/workbook.xml.rels", delegate: r)) != nil,
              let target = r.targets[id] else { return nil }
        if target.hasPrefix("/") { return String(target.dropFirst()) }
        var parts = ["xl"]
        for component in target.split(separator: "/") {
            if component == ".." { if !parts.isEmpty { parts.removeLast() } } else if component != "." { parts.append(String(component)) }
        }
        return parts.joined(separator: "/")
    }

    static func read(_ archive: Archive, _ path: String) throws -> Data {
        guard let entry = archive[path] else { throw Failure(reason: Messages.xlsxMissingPart(path)) }
        var data = Data()
        do {
            _ = try archive.extract(entry) { data.append($0) }
        } catch {
            throw Failure(reason: Messages.xlsxDamagedPart(path))
        }
        return data
    }

    static func parse(_ data: Data, part: String, delegate: PartParser) throws {
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        // Some XMLParser versions recover from malformed XML and still return true: the delegate
        // also records reported errors.
        if !parser.parse() || delegate.failed {
            throw Failure(reason: Messages.xlsxDamagedPart(part))
        }
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

/// A delegate that notes XML errors.
/// (Subclasses override these methods: on Linux the protocol's witnesses are bound here.)
class PartParser: NSObject, XMLParserDelegate {
    var failed = false
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { failed = true }
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {}
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {}
    func parser(_ parser: XMLParser, foundCharacters string: String) {}
}

private final class SharedStringsParser: PartParser {
    var strings: [String] = []
    private var current = ""
    private var inItem = false, inText = false, phonetic = 0

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch XLSXReader.local(name) {
        case "si": inItem = true; current = ""
        case "rPh": phonetic += 1
        case "t": inText = inItem && phonetic == 0
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch XLSXReader.local(name) {
        case "si": strings.append(XLSXReader.unescape(current)); inItem = false
        case "rPh": phonetic -= 1
        case "t": inText = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }
}

private final class WorkbookParser: PartParser {
    var firstSheetID: String?

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard firstSheetID == nil, XLSXReader.local(name) == "sheet" else { return }
        firstSheetID = attributes.first { $0.key.contains(":") && XLSXReader.local($0.key) == "id" }?.value
    }
}

private final class RelationshipsParser: PartParser {
    var targets: [String: String] = [:]

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        guard XLSXReader.local(name) == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
        targets[id] = target
    }
}

/// Reads `<sheetData>` and writes CSV as it goes.
private final class SheetParser: PartParser {
    let shared: [String]
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

    init(shared: [String]) { self.shared = shared }

    override func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch XLSXReader.local(name) {
        case "row":
            rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
            cells.removeAll(keepingCapacity: true)
            column = -1
        case "c":
            column = attributes["r"].flatMap(Self.columnIndex) ?? column + 1
            type = attributes["t"] ?? "n"
            value = ""
            inlineText = ""
        case "v": inValue = true
        case "is": inInline = true
        case "rPh": phonetic += 1
        case "t": inText = inInline && phonetic == 0
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch XLSXReader.local(name) {
        case "v": inValue = false
        case "is": inInline = false
        case "rPh": phonetic -= 1
        case "t": inText = false
        case "c": cells.append((column, cellText()))
        case "row": writeRow()
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string } else if inText { inlineText += string }
    }

    private func cellText() -> String {
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

    private func writeRow() {
        let nonEmpty = cells.contains { !$0.value.isEmpty }
        if !nonEmpty { return } // blank rows are written only as the gap before a later row
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

    /// "B12" → 1 (column letters, zero-based).
    static func columnIndex(_ reference: String) -> Int? {
        var n = 0, letters = 0
        for u in reference.utf8 {
            switch u {
            case 0x41...0x5A: n = n * 26 + Int(u - 0x40); letters += 1
            case 0x61...0x7A: n = n * 26 + Int(u - 0x60); letters += 1
            default:
                guard letters > 0, letters <= 3 else { return nil }
                return n - 1
            }
        }
        return letters > 0 && letters <= 3 ? n - 1 : nil
    }
}
