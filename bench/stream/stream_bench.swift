// Streaming import benchmark: `Importer.stream` with a trivial consumer (per school × procedure:
// count, score sum, number of marks 2) over a data folder, e.g. one made by `opora generate`.
// Built and run by bench/stream_vs_duckdb.sh (a private package; Package.swift is not touched).
//
//     stream-bench DIR [stream|validate]
import Foundation
import OporaCore
import OporaImport

struct SchoolCounts: ResultConsumer {
    /// Keyed by school index × procedure index.
    var cells: [Int: (n: Int, sum: Double, twos: Int)] = [:]
    var rows = 0
    mutating func consume(_ row: borrowing ResultRow) {
        rows += 1
        let key = row.schoolIndex << 16 | row.procedureIndex
        var c = cells[key] ?? (0, 0, 0)
        c.n += 1
        if let s = row.score { c.sum += s }
        if row.mark == 2 { c.twos += 1 }
        cells[key] = c
    }
}

let args = CommandLine.arguments
guard args.count >= 2 else { print("usage: stream-bench DIR [stream|validate]"); exit(2) }
let dir = args[1]
let mode = args.count > 2 ? args[2] : "stream"
let results = dir + "/results.csv"
let bytes = (try? FileManager.default.attributesOfItem(atPath: results)[.size] as? Int) ?? 0
let start = ContinuousClock.now
do {
    var rows = 0, groups = 0, tableBytes = 0
    if mode == "validate" {
        let batch = try Importer.validate(paths: [dir])
        rows = batch.results.count
    } else {
        let outcome = try Importer.stream(paths: [dir]) { _ in SchoolCounts() }
        var merged: [Int: (n: Int, sum: Double, twos: Int)] = [:]
        for c in outcome.consumers {
            rows += c.rows
            for (k, v) in c.cells {
                let m = merged[k] ?? (0, 0, 0)
                merged[k] = (m.n + v.n, m.sum + v.sum, m.twos + v.twos)
            }
        }
        groups = merged.count
        tableBytes = outcome.participantTableBytes
    }
    let d = ContinuousClock.now - start
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    print(String(format: "%@: %d rows, %d groups in %.2f s: %.2f M rows/s, %.0f MB/s (results.csv %.0f MB); duplicate table %.0f MB",
                 mode, rows, groups, s, Double(rows) / s / 1e6, Double(bytes) / s / 1e6, Double(bytes) / 1e6, Double(tableBytes) / 1e6))
} catch {
    print("import failed:\n\(error)")
    exit(1)
}
