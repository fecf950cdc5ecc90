import NIOCore
import OporaCore
import PostgresNIO
import SQLiteNIO

/// The fast path for results, the one table that gets millions of rows. SQLKit's builders box every
/// bind; here SQLite gets multi-row statements with native binds, and PostgreSQL gets `COPY FROM STDIN`.
enum BulkLoader {
    static let resultColumns = ["procedure_id", "school_id", "participant", "score", "mark", "journal_mark", "task_scores"]

    static func insertResults(_ results: [StudentResult], procedureIDs: [Procedure: Int], _ conn: Connection) async throws {
        switch conn.native {
        case .sqlite(let sqlite):
            try await insertSQLite(results, procedureIDs, sqlite)
        case .postgres(let postgres):
            try await copyPostgres(results, procedureIDs, postgres, conn.logger)
        }
    }

    private static func insertSQLite(_ results: [StudentResult], _ ids: [Procedure: Int], _ connection: SQLiteConnection) async throws {
        let rowsPerStatement = 4_000
        let row = "(" + Array(repeating: "?", count: resultColumns.count).joined(separator: ",") + ")"
        let fullSQL = statement(rows: rowsPerStatement, row: row)
        for chunk in results.chunked(rowsPerStatement) {
            var binds: [SQLiteData] = []
            binds.reserveCapacity(chunk.count * resultColumns.count)
            for r in chunk {
                binds.append(.integer(ids[r.procedure]!))
                binds.append(.text(r.schoolID))
                binds.append(.text(r.participant))
                binds.append(r.score.map { .float($0) } ?? .null)
                binds.append(r.mark.map { .integer($0) } ?? .null)
                binds.append(r.journalMark.map { .integer($0) } ?? .null)
                binds.append(TaskScoreCodec.encode(r.taskScores).map { .text($0) } ?? .null)
            }
            let sql = chunk.count == rowsPerStatement ? fullSQL : statement(rows: chunk.count, row: row)
            try await connection.query(sql, binds) { _ in }
        }
    }

    private static func statement(rows: Int, row: String) -> String {
        "INSERT INTO results (" + resultColumns.joined(separator: ",") + ") VALUES "
            + Array(repeating: row, count: rows).joined(separator: ",")
    }

    private static func copyPostgres(_ results: [StudentResult], _ ids: [Procedure: Int], _ connection: PostgresConnection, _ logger: Logger) async throws {
        try await connection.copyFrom(table: "results", columns: resultColumns, logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(1 << 20)
            for r in results {
                buffer.writeString(String(ids[r.procedure]!))
                buffer.writeInteger(UInt8(ascii: "\t"))
                writeCopyText(r.schoolID, into: &buffer)
                buffer.writeInteger(UInt8(ascii: "\t"))
                writeCopyText(r.participant, into: &buffer)
                buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(r.score.map { TaskScoreCodec.format($0) } ?? "\\N")
                buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(r.mark.map { String($0) } ?? "\\N")
                buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(r.journalMark.map { String($0) } ?? "\\N")
                buffer.writeInteger(UInt8(ascii: "\t"))
                if let tasks = TaskScoreCodec.encode(r.taskScores) { writeCopyText(tasks, into: &buffer) } else { buffer.writeString("\\N") }
                buffer.writeInteger(UInt8(ascii: "\n"))
                if buffer.readableBytes >= 1 << 20 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    static func insertPacked(_ rows: PackedResults, tables: PackedResultTables, procedureIDs: [Procedure: Int], _ conn: Connection) async throws {
        guard rows.count > 0 else { return }
        let ids = tables.procedures.map { procedureIDs[$0]! }
        switch conn.native {
        case .sqlite(let sqlite):
            let rowsPerStatement = 4_000
            let row = "(" + Array(repeating: "?", count: resultColumns.count).joined(separator: ",") + ")"
            let fullSQL = statement(rows: rowsPerStatement, row: row)
            var start = 0
            while start < rows.count {
                let end = min(start + rowsPerStatement, rows.count)
                var binds: [SQLiteData] = []
                binds.reserveCapacity((end - start) * resultColumns.count)
                rows.participantBytes.withUnsafeBufferPointer { participants in
                    rows.taskBytes.withUnsafeBufferPointer { tasks in
                        for i in start..<end {
                            binds.append(.integer(ids[Int(rows.procedureIndex[i])]))
                            binds.append(.text(tables.schools[Int(rows.schoolIndex[i])]))
                            binds.append(.text(String(decoding: participants[rows.range(rows.participantEnds, i)], as: UTF8.self)))
                            binds.append(rows.scores[i].isNaN ? .null : .float(rows.scores[i]))
                            binds.append(rows.marks[i] == 0 ? .null : .integer(Int(rows.marks[i])))
                            binds.append(rows.journalMarks[i] == 0 ? .null : .integer(Int(rows.journalMarks[i])))
                            let taskRange = rows.range(rows.taskEnds, i)
                            binds.append(taskRange.isEmpty ? .null : .text(String(decoding: tasks[taskRange], as: UTF8.self)))
                        }
                    }
                }
                let sql = end - start == rowsPerStatement ? fullSQL : statement(rows: end - start, row: row)
                try await sqlite.query(sql, binds) { _ in }
                start = end
            }
        case .postgres(let postgres):
            let procedureText = ids.map { Array(String($0).utf8) }
            var schoolText: [[UInt8]] = []
            schoolText.reserveCapacity(tables.schools.count)
            for school in tables.schools {
                var escaped = ByteBuffer()
                writeCopyText(school, into: &escaped)
                schoolText.append(Array(escaped.readableBytesView))
            }
            try await postgres.copyFrom(table: "results", columns: resultColumns, logger: conn.logger) { writer in
                var buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
                for i in 0..<rows.count {
                    buffer.writeBytes(procedureText[Int(rows.procedureIndex[i])])
                    buffer.writeInteger(UInt8(ascii: "\t"))
                    buffer.writeBytes(schoolText[Int(rows.schoolIndex[i])])
                    buffer.writeInteger(UInt8(ascii: "\t"))
                    writeCopyBytes(rows.participantBytes[rows.range(rows.participantEnds, i)], into: &buffer)
                    buffer.writeInteger(UInt8(ascii: "\t"))
                    buffer.writeString(rows.scores[i].isNaN ? "\\N" : TaskScoreCodec.format(rows.scores[i]))
                    buffer.writeInteger(UInt8(ascii: "\t"))
                    buffer.writeString(rows.marks[i] == 0 ? "\\N" : String(rows.marks[i]))
                    buffer.writeInteger(UInt8(ascii: "\t"))
                    buffer.writeString(rows.journalMarks[i] == 0 ? "\\N" : String(rows.journalMarks[i]))
                    buffer.writeInteger(UInt8(ascii: "\t"))
                    let taskRange = rows.range(rows.taskEnds, i)
                    if taskRange.isEmpty { buffer.writeString("\\N") } else { writeCopyBytes(rows.taskBytes[taskRange], into: &buffer) }
                    buffer.writeInteger(UInt8(ascii: "\n"))
                    if buffer.readableBytes >= 1 << 20 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        }
    }

    /// COPY's text format: backslash, tab, newline and carriage return must be escaped.
    private static func writeCopyText(_ text: String, into buffer: inout ByteBuffer) {
        writeCopyBytes(text.utf8, into: &buffer)
    }

    private static func writeCopyBytes(_ bytes: some Sequence<UInt8>, into buffer: inout ByteBuffer) {
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeString("\\t")
            case UInt8(ascii: "\n"): buffer.writeString("\\n")
            case UInt8(ascii: "\r"): buffer.writeString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }
}
