import Foundation
import OporaCore
import SQLKit

/// One import, as `import_log` keeps it; `importedBy` comes from the audit log (web uploads), `nil`
/// for imports from the command line.
public struct ImportRecord: Sendable, Equatable {
    public var id: Int
    public var importedAt: String
    public var importedBy: String?
    public var source: String
    /// `schools=… indicators=… tasks=… results=… aggregates=… replaced_slices=…`
    public var summary: String

    /// The counts of `summary` by name.
    public var counts: [String: Int] {
        var out: [String: Int] = [:]
        for pair in summary.split(separator: " ") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2, let n = Int(kv[1]) { out[String(kv[0])] = n }
        }
        return out
    }
}

extension OporaDatabase {
    /// The newest imports first.
    public func importLog(limit: Int = 50) async throws -> [ImportRecord] {
        try await withConnection { conn in
            let rows = try await conn.sql.raw("""
                SELECT i.id, i.imported_at, i.source, i.summary, a.actor FROM import_log i
                LEFT JOIN audit_log a ON a.entity = 'import_log' AND a.action = 'data.import' AND a.entity_id = CAST(i.id AS TEXT)
                ORDER BY i.id DESC LIMIT \(bind: limit)
                """).all()
            return try rows.map { row in
                ImportRecord(id: try row.decode(column: "id", as: Int.self), importedAt: try row.decode(column: "imported_at", as: String.self),
                             importedBy: try row.decode(column: "actor", as: String?.self), source: try row.decode(column: "source", as: String.self),
                             summary: try row.decode(column: "summary", as: String.self))
            }
        }
    }

    /// How many slices (school × procedure) already holding results `store` would replace with these.
    public func slicesToReplace(packed: [PackedResults], tables: PackedResultTables) async throws -> Int {
        let incoming = Dictionary(grouping: Self.slices(packed, tables), by: \.procedure).mapValues { Set($0.map(\.school)) }
        guard !incoming.isEmpty else { return 0 }
        return try await withConnection { conn in
            let ids = try await Self.procedureIDs(conn)
            var replaced = 0
            for (procedure, schools) in incoming {
                guard let id = ids[procedure] else { continue }
                let stored = try await conn.sql.raw("SELECT DISTINCT school_id FROM results WHERE procedure_id = \(bind: id)")
                    .all().map { try $0.decode(column: "school_id", as: String.self) }
                replaced += stored.filter(schools.contains).count
            }
            return replaced
        }
    }

    /// The distinct (procedure, school) pairs of packed results.
    static func slices(_ packed: [PackedResults], _ tables: PackedResultTables) -> [(procedure: Procedure, school: String)] {
        var seen = Set<Int64>()
        var out: [(procedure: Procedure, school: String)] = []
        for part in packed {
            for i in 0..<part.count where seen.insert(Int64(part.procedureIndex[i]) << 32 | Int64(part.schoolIndex[i])).inserted {
                out.append((tables.procedures[Int(part.procedureIndex[i])], tables.schools[Int(part.schoolIndex[i])]))
            }
        }
        return out
    }
}
