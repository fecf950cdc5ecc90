import Foundation
import OporaCore
import SQLKit

extension OporaDatabase {
    /// Hands every stored student result to `body`, one at a time, without collecting them: the
    /// analysis of a national-scale database needs its summaries, not 20 million values in memory.
    /// Rows arrive ordered by procedure, school and participant.
    public func forEachResult(_ body: @escaping @Sendable (StudentResult) -> Void) async throws {
        let procedures = try await withConnection { conn in try await Self.procedureIDs(conn) }
        let byID = Dictionary(uniqueKeysWithValues: procedures.map { ($1, $0) })
        try await withConnection { conn in
            try await conn.sql.execute(sql: SQLRaw("""
                SELECT procedure_id, school_id, participant, score, mark, journal_mark, task_scores
                FROM results ORDER BY procedure_id, school_id, participant
                """)) { row in
                guard let id = try? row.decode(column: "procedure_id", as: Int.self), let procedure = byID[id] else { return }
                body(StudentResult(
                    procedure: procedure,
                    schoolID: (try? row.decode(column: "school_id", as: String.self)) ?? "",
                    participant: (try? row.decode(column: "participant", as: String.self)) ?? "",
                    score: try? row.decode(column: "score", as: Double?.self),
                    mark: try? row.decode(column: "mark", as: Int?.self),
                    journalMark: try? row.decode(column: "journal_mark", as: Int?.self),
                    taskScores: TaskScoreCodec.decode(try? row.decode(column: "task_scores", as: String?.self))))
            }
        }
    }
}
