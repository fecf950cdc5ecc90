import Foundation
import OporaCore
import OporaImport
import Testing

/// A release-mode speed check, not a unit test: it runs only with OPORA_IMPORT_SPEED=1.
///
///     OPORA_IMPORT_SPEED=1 swift test -c release -Xswiftc -enable-testing --filter SpeedCheck
///
/// Generates a 1,000,000-row results.csv (9 columns + 10 task columns) and prints the time
/// `Importer.validate` takes. No timing assertion: machines differ.
@Suite struct SpeedCheck {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["OPORA_IMPORT_SPEED"] == "1"))
    func millionRows() throws {
        let folder = NSTemporaryDirectory() + "opora-speed-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows = 1_000_000
        let schools = 500
        let context = ImportContext(knownSchools: Set((0..<schools).map { String(format: "%04d", $0) }))
        if let given = ProcessInfo.processInfo.environment["OPORA_IMPORT_SPEED_FILE"] {
            // A file made beforehand (same shape), to profile the import alone.
            try measure(given, context: context, rows: rows)
            return
        }
        let path = folder + "/results.csv"
        var text = "year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark"
        for t in 1...10 { text += ",task_\(t)" }
        text += "\n"
        var data = Data(text.utf8)
        let subjects = ["russian", "math"]
        var chunk = ""
        for i in 0..<rows {
            let school = i / (rows / schools)
            let grade = 4 + (i / 1000) % 5
            let score = i % 20
            chunk += "2025,ВПР,\(subjects[(i / 100) % 2]),\(grade),\(String(format: "%04d", school)),P\(i),\(score),\(2 + i % 4),\(2 + (i / 3) % 4)"
            for t in 0..<10 { chunk += ",\((i + t) % 3 == 0 ? "" : String((i + t) % 2))" }
            chunk += "\n"
            if i % 10_000 == 9_999 {
                data.append(contentsOf: chunk.utf8)
                chunk = ""
            }
        }
        data.append(contentsOf: chunk.utf8)
        try data.write(to: URL(fileURLWithPath: path))
        try measure(path, context: context, rows: rows)
    }

    private func measure(_ path: String, context: ImportContext, rows: Int) throws {
        let start = ContinuousClock.now
        let batch = try Importer.validate(paths: [path], context: context)
        let elapsed = ContinuousClock.now - start
        print("SpeedCheck: \(batch.results.count) rows in \(elapsed)")
        #expect(batch.results.count == rows)
    }
}
