import Foundation
import OporaCore

/// Output formats of an identification run.
public enum IdentificationFormat: String, Sendable, CaseIterable {
    case json, csv, table
}

extension IdentificationResult {
    /// Pretty JSON with sorted keys: byte-identical for the same input.
    public func json() -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try e.encode(self), as: UTF8.self) + "\n"
        } catch {
            preconditionFailure("identification result not encodable: \(error)")
        }
    }

    public static let csvHeader = ["school_id", "name", "municipality", "category", "criterion", "year", "procedures", "value",
                                   "threshold", "n", "strength", "q_value", "text_ru", "text_en"]

    /// One row per flag (RFC 4180 quoting, UTF-8, comma-separated).
    public func csv() -> String {
        // The schools' rows in consecutive ranges on all cores (tens of thousands of long texts),
        // each range one text of "\n"-led rows, joined in order.
        let parts = Chunked.map(schools.count, minimumPerRange: 500) { range -> [String] in
            var rows = [""] // joined: every row after a line end
            for s in schools[range] {
                for f in s.flags {
                    // Text through `CSVText.text` (neutralised: a school named «=HYPERLINK(…)» stays text in
                    // Excel); the numbers Opora formats itself through `CSVText.number`, so a negative
                    // value stays a number.
                    let fields = [CSVText.text(s.schoolID), CSVText.text(s.name), CSVText.text(s.municipality), CSVText.text(f.category),
                                  CSVText.text(f.criterion), String(f.year), CSVText.text(f.procedures.joined(separator: ";")),
                                  Self.number(f.value), Self.number(f.threshold), String(f.n), CSVText.text(f.strength?.rawValue ?? ""),
                                  f.qValue.map(Self.number) ?? "", CSVText.text(f.textRU), CSVText.text(f.textEN)]
                    rows.append(fields.joined(separator: ","))
                }
            }
            return [rows.joined(separator: "\n")]
        }
        // One buffer of the final size (growing a 30 MB text by doubling copied it into fresh,
        // page-faulted memory each time), with room for the line end a caller prints after it.
        let header = Self.csvHeader.joined(separator: ",")
        var out = ""
        out.reserveCapacity(header.utf8.count + parts.reduce(0) { $0 + $1.utf8.count } + 2)
        out += header
        for part in parts { out += part }
        out += "\n"
        return out
    }

    /// A plain text table, one row per flag, in one language.
    public func table(_ language: Language = .ru) -> String {
        let header = language == .ru ? ["Школа", "Категория", "Критерий", "Год", "Значение", "Порог", "n", "Сила"]
            : ["School", "Category", "Criterion", "Year", "Value", "Threshold", "n", "Strength"]
        var rows: [[String]] = []
        for s in schools {
            for f in s.flags {
                rows.append([s.schoolID, f.category, f.criterion, String(f.year), NumberFormat.decimal(f.value, digits: 3, language),
                             NumberFormat.decimal(f.threshold, digits: 3, language), String(f.n), f.strength?.rawValue ?? "—"])
            }
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max()! }
        func line(_ r: [String]) -> String {
            r.enumerated().map { $1 + String(repeating: " ", count: widths[$0] - $1.count) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        let flagged = run.schoolsFlagged
        out.append(language == .ru
            ? "Школ: \(run.schools), с признаками: \(flagged). Правила: \(run.rules) \(run.rulesVersion), год \(run.year)."
            : "Schools: \(run.schools), flagged: \(flagged). Rules: \(run.rules) \(run.rulesVersion), year \(run.year).")
        return out.joined(separator: "\n") + "\n"
    }

    public func render(_ format: IdentificationFormat, language: Language = .ru) -> String {
        switch format {
        case .json: json()
        case .csv: csv()
        case .table: table(language)
        }
    }

    static func number(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
