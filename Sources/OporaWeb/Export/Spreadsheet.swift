import Foundation
import OporaCore
import ZIPFoundation

/// A one-sheet .xlsx for people who continue in Excel: a bold, frozen header row, text as text
/// (codes keep their leading zeros), numbers as numbers, column widths from the content.
/// Hand-written: none of the packages this build may use writes XLSX (ZIPFoundation makes the
/// container; the parts are the minimum SpreadsheetML that Excel, LibreOffice and openpyxl open).
struct Spreadsheet {
    enum Cell {
        case text(String)
        case number(Double)
        case empty
    }

    var sheetName: String
    var header: [String]
    var rows: [[Cell]] = []

    static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        try add("[Content_Types].xml", declaration + """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """)
        try add("_rels/.rels", declaration + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        try add("xl/workbook.xml", declaration + """
            <workbook xmlns="\(main)" xmlns:r="\(relationships)"><sheets>\
            <sheet name="\(Self.escape(Self.validSheetName(sheetName)))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", declaration + """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="\(relationships)/styles" Target="styles.xml"/></Relationships>
            """)
        // Style 1: bold (the header); style 2: wrapped text (long titles and evidence).
        try add("xl/styles.xml", declaration + """
            <styleSheet xmlns="\(main)"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
            <font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
            <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf></cellXfs>\
            </styleSheet>
            """)
        try add("xl/worksheets/sheet1.xml", sheetXML(main: main))
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    func sheetXML(main: String) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        xml += "<worksheet xmlns=\"\(main)\"><sheetViews><sheetView workbookViewId=\"0\">"
        xml += "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews><cols>"
        for (i, width) in columnWidths().enumerated() {
            xml += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        xml += "</cols><sheetData>"
        xml += row(1, header.map(Cell.text), style: 1)
        for (i, r) in rows.enumerated() { xml += row(i + 2, r, style: 2) }
        xml += "</sheetData></worksheet>"
        return xml
    }

    func row(_ number: Int, _ cells: [Cell], style: Int) -> String {
        var xml = "<row r=\"\(number)\">"
        for (i, cell) in cells.enumerated() {
            let ref = SpreadsheetColumn.name(i) + String(number)
            switch cell {
            case .text(let s): xml += "<c r=\"\(ref)\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(Self.escape(s))</t></is></c>"
            case .number(let v) where v.isFinite: xml += "<c r=\"\(ref)\"><v>\(v)</v></c>"
            case .number, .empty: continue
            }
        }
        return xml + "</row>"
    }

    /// Characters wide, from the longest line in the column, within 8…60.
    func columnWidths() -> [Int] {
        header.indices.map { i in
            let lengths = ([Cell.text(header[i])] + rows.compactMap { $0.indices.contains(i) ? $0[i] : nil }).map { cell -> Int in
                switch cell {
                case .text(let s): s.split(separator: "\n").map(\.count).max() ?? 0
                case .number(let v): String(v).count
                case .empty: 0
                }
            }
            return min(60, max(8, (lengths.max() ?? 0) + 2))
        }
    }

    /// XML text: the entities, and characters XML 1.0 forbids dropped (a pasted control character
    /// would make Excel refuse the whole file) — the same rules as the charts' SVG.
    static func escape(_ s: String) -> String { ChartSVG.escape(s) }

    /// Excel's rules for a sheet name: at most 31 characters, none of : \ / ? * [ ].
    static func validSheetName(_ name: String) -> String {
        let cleaned = String(name.filter { !":\\/?*[]".contains($0) }.prefix(31))
        return cleaned.isEmpty ? "Sheet1" : cleaned
    }
}
