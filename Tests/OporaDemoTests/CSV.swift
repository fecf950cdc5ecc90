import Foundation

/// A tiny RFC 4180 reader for the tests (quoted fields, doubled quotes, commas inside quotes).
enum CSV {
    static func read(_ url: URL) throws -> [[String]] {
        let data = try Data(contentsOf: url)
        return parse(Array(data))
    }

    static func parse(_ bytes: [UInt8]) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 {
                        field.append(0x22)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(b)
                }
            } else if b == 0x22 && field.isEmpty {
                quoted = true
            } else if b == 0x2C {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            } else if b == 0x0A {
                row.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                rows.append(row)
                row = []
            } else if b != 0x0D {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(String(decoding: field, as: UTF8.self))
            rows.append(row)
        }
        return rows
    }

    /// Rows as dictionaries keyed by the header.
    static func records(_ url: URL) throws -> [[String: String]] {
        let rows = try read(url)
        guard let header = rows.first else { return [] }
        return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}

/// One row of results.csv, parsed compactly (the file has no quoted fields).
struct ResultRow {
    var year: Int
    var assessment: String
    var subject: String
    var grade: Int
    var school: String
    var student: String
    var score: Int?
    var mark: Int?
    var journal: Int?
    /// Task cells in header order; `nil` = empty cell.
    var tasks: [Int?]
    /// Number of fields in the row (to check it matches the header).
    var fieldCount: Int

    var procedureKey: String { "\(assessment):\(subject):\(grade)" }
}

struct ResultsTable {
    var taskColumns: [String]
    var rows: [ResultRow]

    static func load(_ url: URL) throws -> ResultsTable {
        let bytes = Array(try Data(contentsOf: url))
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            lines.append(bytes[start..<i])
            start = i + 1
        }
        let header = lines[0].split(separator: 0x2C, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        let taskColumns = header.dropFirst(9).map { String($0.dropFirst("task_".count)) }
        var rows: [ResultRow] = []
        rows.reserveCapacity(lines.count)
        for line in lines.dropFirst() {
            let f = line.split(separator: 0x2C, omittingEmptySubsequences: false)
            func int(_ s: ArraySlice<UInt8>) -> Int? {
                guard !s.isEmpty else { return nil }
                var v = 0
                for b in s { v = v * 10 + Int(b - 0x30) }
                return v
            }
            func str(_ s: ArraySlice<UInt8>) -> String { String(decoding: s, as: UTF8.self) }
            rows.append(ResultRow(
                year: int(f[0])!, assessment: str(f[1]), subject: str(f[2]), grade: int(f[3])!,
                school: str(f[4]), student: str(f[5]), score: int(f[6]), mark: int(f[7]), journal: int(f[8]),
                tasks: f.dropFirst(9).map(int), fieldCount: f.count))
        }
        return ResultsTable(taskColumns: taskColumns, rows: rows)
    }
}

func correlation(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for (a, b) in zip(x, y) {
        sxy += (a - mx) * (b - my)
        sxx += (a - mx) * (a - mx)
        syy += (b - my) * (b - my)
    }
    return sxy / (sxx * syy).squareRoot()
}
