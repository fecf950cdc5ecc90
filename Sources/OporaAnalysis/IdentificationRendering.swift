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
        var lines = [Self.csvHeader.joined(separator: ",")]
        for s in schools {
            for f in s.flags {
                lines.append([s.schoolID, s.name, s.municipality, f.category, f.criterion, String(f.year), f.procedures.joined(separator: ";"),
                              Self.number(f.value), Self.number(f.threshold), String(f.n), f.strength?.rawValue ?? "",
                              f.qValue.map(Self.number) ?? "", f.textRU, f.textEN].map(Self.quote).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
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

    static func quote(_ s: String) -> String {
        // Byte checks first (tens of thousands of long texts): without any of these bytes no
        // character can match, and without a `"` byte there is nothing to double.
        let utf8 = s.utf8
        guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }),
              s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        guard utf8.contains(0x22) else { return "\"" + s + "\"" }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
