import Foundation
import OporaCore
import PostgresNIO
import SQLKit
import SQLiteNIO

/// What one write changed, for the import summary.
public struct StoreSummary: Sendable, Equatable {
    public var schools = 0
    public var indicatorValues = 0
    public var tasks = 0
    public var results = 0
    public var aggregates = 0
    /// Slices (procedure × school) whose earlier results were replaced.
    public var replacedSlices = 0
}

extension OporaDatabase {
    /// Writes a validated dataset in one transaction. Schools, tasks and indicator values are upserted
    /// by key; results and aggregates replace their slice (procedure × school), so importing the same
    /// file twice leaves one copy.
    @discardableResult
    public func store(_ dataset: Dataset, source: String) async throws -> StoreSummary {
        try await store(dataset, packed: [], tables: PackedResultTables(procedures: [], schools: []), source: source)
    }

    /// The same, with the bulk of the student results packed (see `PackedResults`). With an `actor`
    /// (a web upload), who imported is recorded in the audit log, in the same transaction.
    @discardableResult
    public func store(_ dataset: Dataset, packed: [PackedResults], tables: PackedResultTables, source: String,
                      actor: Actor? = nil) async throws -> StoreSummary {
        try await transaction { conn in
            var summary = StoreSummary()
            try await Self.upsertTerritory(dataset.schools, conn)
            summary.schools = dataset.schools.count

            let procedures = try await Self.ensureProcedures(for: dataset, extra: tables.procedures, conn)
            try await Self.upsertTasks(dataset.tasks, procedures, conn)
            summary.tasks = dataset.tasks.count

            var slices = Set<SliceKey>()
            for result in dataset.results { slices.insert(SliceKey(procedureID: procedures[result.procedure]!, schoolID: result.schoolID)) }
            for (procedure, school) in Self.slices(packed, tables) {
                slices.insert(SliceKey(procedureID: procedures[procedure]!, schoolID: school))
            }
            summary.replacedSlices = try await Self.deleteStale(slices, conn)
            try await BulkLoader.insertResults(dataset.results, procedureIDs: procedures, conn)
            for part in packed {
                try await BulkLoader.insertPacked(part, tables: tables, procedureIDs: procedures, conn)
            }
            summary.results = dataset.results.count + packed.reduce(0) { $0 + $1.count }
            try await Self.replaceAggregates(dataset.aggregates, procedures, conn)
            summary.aggregates = dataset.aggregates.count

            try await Self.upsertIndicators(dataset.indicators, conn)
            summary.indicatorValues = dataset.indicators.count

            let text = "schools=\(summary.schools) indicators=\(summary.indicatorValues) tasks=\(summary.tasks) "
                + "results=\(summary.results) aggregates=\(summary.aggregates) replaced_slices=\(summary.replacedSlices)"
            let nextID = try await conn.sql.raw("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM import_log")
                .first()?.decode(column: "next", as: Int.self) ?? 1
            try await conn.sql.insert(into: "import_log")
                .columns("id", "imported_at", "source", "summary")
                .values(SQLBind(nextID), SQLBind(Timestamp.now()), SQLBind(source), SQLBind(text))
                .run()
            if let actor {
                try await Self.audit(conn, actor: actor, action: "data.import", entity: "import_log", entityID: String(nextID),
                                     before: nil, after: ["source": source, "summary": text])
            }
            return summary
        }
    }

    // MARK: - Steps

    /// Rows per multi-row statement, keeping binds under SQLite's 32,766 and PostgreSQL's 65,535.
    static func chunkSize(columns: Int) -> Int { max(1, 30_000 / columns) }

    private static func upsertTerritory(_ schools: [School], _ conn: Connection) async throws {
        var municipalities: [String: String] = [:]
        for school in schools { municipalities[school.municipality] = school.region }
        let rows = municipalities.sorted { $0.key < $1.key }
        for chunk in rows.chunked(chunkSize(columns: 2)) {
            let insert = conn.sql.insert(into: "municipalities").columns("name", "region")
            for (name, region) in chunk { insert.values(SQLBind(name), SQLBind(region)) }
            try await insert.onConflict(with: ["name"]) { $0.set(excludedValueOf: "region") }.run()
        }
        for chunk in schools.chunked(chunkSize(columns: 8)) {
            let insert = conn.sql.insert(into: "schools")
                .columns("id", "name", "municipality", "region", "settlement", "kind", "students", "distance_km")
            for s in chunk {
                insert.values(SQLBind(s.id), SQLBind(s.name), SQLBind(s.municipality), SQLBind(s.region),
                              SQLBind(s.settlement.rawValue), SQLBind(s.kind.rawValue), SQLBind(s.students), SQLBind(s.distanceKm))
            }
            try await insert.onConflict(with: ["id"]) {
                $0.set(excludedValueOf: "name").set(excludedValueOf: "municipality").set(excludedValueOf: "region")
                    .set(excludedValueOf: "settlement").set(excludedValueOf: "kind").set(excludedValueOf: "students")
                    .set(excludedValueOf: "distance_km")
            }.run()
        }
    }

    /// Returns the id of every procedure the dataset mentions, creating the missing ones.
    private static func ensureProcedures(for dataset: Dataset, extra: [Procedure], _ conn: Connection) async throws -> [Procedure: Int] {
        var ids = try await procedureIDs(conn)
        var wanted = Set<Procedure>(extra)
        dataset.tasks.forEach { wanted.insert($0.procedure) }
        dataset.results.forEach { wanted.insert($0.procedure) }
        dataset.aggregates.forEach { wanted.insert($0.procedure) }
        var next = (ids.values.max() ?? 0) + 1
        for procedure in wanted.subtracting(ids.keys).sorted() {
            try await conn.sql.insert(into: "procedures")
                .columns("id", "year", "assessment", "subject", "grade")
                .values(SQLBind(next), SQLBind(procedure.year), SQLBind(procedure.assessment.rawValue),
                        SQLBind(procedure.subject), SQLBind(procedure.grade))
                .run()
            ids[procedure] = next
            next += 1
        }
        return ids
    }

    static func procedureIDs(_ conn: Connection) async throws -> [Procedure: Int] {
        let rows = try await conn.sql.raw("SELECT id, year, assessment, subject, grade FROM procedures").all()
        var ids: [Procedure: Int] = [:]
        for row in rows {
            ids[try decodeProcedure(row)] = try row.decode(column: "id", as: Int.self)
        }
        return ids
    }

    private static func upsertTasks(_ tasks: [TaskInfo], _ ids: [Procedure: Int], _ conn: Connection) async throws {
        var position: [Procedure: Int] = [:]
        for chunk in tasks.chunked(chunkSize(columns: 5)) {
            let insert = conn.sql.insert(into: "tasks").columns("procedure_id", "task", "position", "max_score", "level")
            for task in chunk {
                let index = position[task.procedure, default: 0]
                position[task.procedure] = index + 1
                insert.values(SQLBind(ids[task.procedure]!), SQLBind(task.task), SQLBind(index),
                              SQLBind(task.maxScore), SQLBind(task.level?.rawValue))
            }
            try await insert.onConflict(with: ["procedure_id", "task"]) {
                $0.set(excludedValueOf: "position").set(excludedValueOf: "max_score").set(excludedValueOf: "level")
            }.run()
        }
    }

    /// Deletes the stored results of the slices the new results replace; returns how many there were.
    /// One query per procedure finds them (a query per slice would be tens of thousands of round trips).
    private static func deleteStale(_ slices: Set<SliceKey>, _ conn: Connection) async throws -> Int {
        var replaced = 0
        let byProcedure = Dictionary(grouping: slices, by: \.procedureID)
        for procedureID in byProcedure.keys.sorted() {
            let incoming = Set(byProcedure[procedureID]!.map(\.schoolID))
            let existing = try await conn.sql.raw("""
                SELECT DISTINCT school_id FROM results WHERE procedure_id = \(bind: procedureID)
                """).all().map { try $0.decode(column: "school_id", as: String.self) }
            let stale = existing.filter(incoming.contains).sorted()
            replaced += stale.count
            for chunk in stale.chunked(chunkSize(columns: 1)) {
                try await conn.sql.delete(from: "results")
                    .where("procedure_id", .equal, procedureID)
                    .where("school_id", .in, Array(chunk))
                    .run()
            }
        }
        return replaced
    }

    private static func replaceAggregates(_ aggregates: [SchoolAggregate], _ ids: [Procedure: Int], _ conn: Connection) async throws {
        for chunk in aggregates.chunked(chunkSize(columns: 8)) {
            let insert = conn.sql.insert(into: "school_results")
                .columns("procedure_id", "school_id", "participants", "mean_score", "share_2", "share_3", "share_4", "share_5")
            for a in chunk {
                insert.values(SQLBind(ids[a.procedure]!), SQLBind(a.schoolID), SQLBind(a.participants), SQLBind(a.meanScore),
                              SQLBind(a.share2), SQLBind(a.share3), SQLBind(a.share4), SQLBind(a.share5))
            }
            try await insert.onConflict(with: ["procedure_id", "school_id"]) {
                $0.set(excludedValueOf: "participants").set(excludedValueOf: "mean_score")
                    .set(excludedValueOf: "share_2").set(excludedValueOf: "share_3")
                    .set(excludedValueOf: "share_4").set(excludedValueOf: "share_5")
            }.run()
        }
    }

    private static func upsertIndicators(_ values: [IndicatorValue], _ conn: Connection) async throws {
        for chunk in values.chunked(chunkSize(columns: 4)) {
            let insert = conn.sql.insert(into: "indicator_values").columns("year", "school_id", "indicator", "value")
            for v in chunk { insert.values(SQLBind(v.year), SQLBind(v.schoolID), SQLBind(v.indicator), SQLBind(v.value)) }
            try await insert.onConflict(with: ["year", "school_id", "indicator"]) { $0.set(excludedValueOf: "value") }.run()
        }
    }

    static func decodeProcedure(_ row: any SQLRow, prefix: String = "") throws -> Procedure {
        Procedure(
            year: try row.decode(column: prefix + "year", as: Int.self),
            assessment: Assessment(try row.decode(column: prefix + "assessment", as: String.self)),
            subject: try row.decode(column: prefix + "subject", as: String.self),
            grade: try row.decode(column: prefix + "grade", as: Int.self)
        )
    }
}

struct SliceKey: Hashable, Comparable {
    var procedureID: Int
    var schoolID: String
    static func < (a: SliceKey, b: SliceKey) -> Bool { (a.procedureID, a.schoolID) < (b.procedureID, b.schoolID) }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
