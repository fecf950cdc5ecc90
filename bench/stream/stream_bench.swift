// Streaming import benchmark: `Importer.stream` with a trivial consumer (per school × procedure:
// count, score sum, number of marks 2) over a data folder, e.g. one made by `opora generate`.
// Built and run by bench/stream_vs_duckdb.sh (a private package; Package.swift is not touched).
//
//     stream-bench DIR [stream|validate]
// The consumer keeps dense arrays per part (schools × 256 procedures), merged at the end.
import Foundation
import OporaCore
import OporaImport

struct SchoolCounts: ResultConsumer {
    /// (count, score sum, marks 2) per school × procedure: flat arrays, index school * 256 + procedure.
    var n: [Int32] = []
    var sum: [Double] = []
    var twos: [Int32] = []
    var rows = 0
    init(schools: Int) {
        n = Array(repeating: 0, count: schools * 256)
        sum = Array(repeating: 0, count: schools * 256)
        twos = Array(repeating: 0, count: schools * 256)
    }
    mutating func consume(_ row: borrowing ResultRow) {
        rows += 1
        let i = row.schoolIndex &* 256 &+ row.procedureIndex // demo data: < 256 procedures
        n[i] &+= 1
        if let s = row.score { sum[i] += s }
        if row.mark == 2 { twos[i] &+= 1 }
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
        // Schools: count the lines of schools.csv (the consumer needs the number up front).
        let schools = (try String(contentsOfFile: dir + "/schools.csv", encoding: .utf8)).split(separator: "\n").count
        let outcome = try Importer.stream(paths: [dir]) { _ in SchoolCounts(schools: schools) }
        var total = SchoolCounts(schools: schools)
        for c in outcome.consumers {
            rows += c.rows
            for i in 0..<c.n.count where c.n[i] > 0 {
                total.n[i] += c.n[i]
                total.sum[i] += c.sum[i]
                total.twos[i] += c.twos[i]
            }
        }
        groups = total.n.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
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
