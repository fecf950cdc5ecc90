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
                    let fields = [s.schoolID, s.name, s.municipality, f.category, f.criterion, String(f.year), f.procedures.joined(separator: ";"),
                                  Self.number(f.value), Self.number(f.threshold), String(f.n), f.strength?.rawValue ?? "",
                                  f.qValue.map(Self.number) ?? "", f.textRU, f.textEN]
                    rows.append(fields.map(Self.quote).joined(separator: ","))
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

    static func quote(_ s: String) -> String {
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
    static func plainSpecialCharacter(_ s: String) -> Bool? {
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

    static func number(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}
