import OporaCore
import SQLKit

/// How much the database holds, for summaries and the status page.
public struct StoreCounts: Sendable, Equatable {
    public var municipalities: Int
    public var schools: Int
    public var procedures: Int
    public var results: Int
    public var aggregates: Int
    public var indicatorValues: Int
}

extension OporaDatabase {
    public func counts() async throws -> StoreCounts {
        try await withConnection { conn in
            func count(_ table: String) async throws -> Int {
                try await conn.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            return StoreCounts(
                municipalities: try await count("municipalities"), schools: try await count("schools"),
                procedures: try await count("procedures"), results: try await count("results"),
                aggregates: try await count("school_results"), indicatorValues: try await count("indicator_values"))
        }
    }

    public func municipalities() async throws -> [Municipality] {
        try await withConnection { conn in
            try await conn.sql.raw("SELECT name, region FROM municipalities ORDER BY name").all().map {
                Municipality(name: try $0.decode(column: "name", as: String.self), region: try $0.decode(column: "region", as: String.self))
            }
        }
    }

    /// Schools, all or of one municipality, ordered by municipality and id.
    public func schools(municipality: String? = nil) async throws -> [School] {
        try await withConnection { conn in
            let query = conn.sql.select().column("*").from("schools").orderBy("municipality").orderBy("id")
            if let municipality { query.where("municipality", .equal, municipality) }
            return try await query.all().map(Self.decodeSchool)
        }
    }

    public func school(id: String) async throws -> School? {
        try await withConnection { conn in
            try await conn.sql.select().column("*").from("schools").where("id", .equal, id).first().map(Self.decodeSchool)
        }
    }

    public func schoolIDs() async throws -> Set<String> {
        try await withConnection { conn in
            Set(try await conn.sql.raw("SELECT id FROM schools").all().map { try $0.decode(column: "id", as: String.self) })
        }
    }

    public func procedures() async throws -> [Procedure] {
        try await withConnection { conn in try await Self.procedureIDs(conn).keys.sorted() }
    }

    /// Task metadata of every procedure, in position order.
    public func taskCatalogue() async throws -> [Procedure: [TaskInfo]] {
        try await withConnection { conn in
            let rows = try await conn.sql.raw("""
                SELECT p.year, p.assessment, p.subject, p.grade, t.task, t.max_score, t.level
                FROM tasks t JOIN procedures p ON p.id = t.procedure_id
                ORDER BY p.id, t.position
                """).all()
            var catalogue: [Procedure: [TaskInfo]] = [:]
            for row in rows {
                let procedure = try Self.decodeProcedure(row)
                let level = try row.decodeNil(column: "level") ? nil : TaskLevel(rawValue: try row.decode(column: "level", as: String.self))
                catalogue[procedure, default: []].append(TaskInfo(
                    procedure: procedure, task: try row.decode(column: "task", as: String.self),
                    maxScore: try row.decode(column: "max_score", as: Double.self), level: level))
            }
            return catalogue
        }
    }

    /// Student results, optionally of one procedure and/or one school, ordered by school and participant.
    public func results(procedure: Procedure? = nil, schoolID: String? = nil) async throws -> [StudentResult] {
        try await withConnection { conn in
            var sql = SQLQueryString("""
                SELECT p.year, p.assessment, p.subject, p.grade, r.school_id, r.participant,
                       r.score, r.mark, r.journal_mark, r.task_scores
                FROM results r JOIN procedures p ON p.id = r.procedure_id WHERE 1 = 1
                """)
            if let procedure {
                sql.appendInterpolation(unsafeRaw: " AND p.year = ")
                sql.appendInterpolation(bind: procedure.year)
                sql.appendInterpolation(unsafeRaw: " AND p.assessment = ")
                sql.appendInterpolation(bind: procedure.assessment.rawValue)
                sql.appendInterpolation(unsafeRaw: " AND p.subject = ")
                sql.appendInterpolation(bind: procedure.subject)
                sql.appendInterpolation(unsafeRaw: " AND p.grade = ")
                sql.appendInterpolation(bind: procedure.grade)
            }
            if let schoolID {
                sql.appendInterpolation(unsafeRaw: " AND r.school_id = ")
                sql.appendInterpolation(bind: schoolID)
            }
            sql.appendInterpolation(unsafeRaw: " ORDER BY p.id, r.school_id, r.participant")
            let query = conn.sql.raw(sql)
            return try await query.all().map { row in
                StudentResult(
                    procedure: try Self.decodeProcedure(row),
                    schoolID: try row.decode(column: "school_id", as: String.self),
                    participant: try row.decode(column: "participant", as: String.self),
                    score: try row.decode(column: "score", as: Double?.self),
                    mark: try row.decode(column: "mark", as: Int?.self),
                    journalMark: try row.decode(column: "journal_mark", as: Int?.self),
                    taskScores: TaskScoreCodec.decode(try row.decode(column: "task_scores", as: String?.self)))
            }
        }
    }

    public func aggregates() async throws -> [SchoolAggregate] {
        try await withConnection { conn in
            try await conn.sql.raw("""
                SELECT p.year, p.assessment, p.subject, p.grade, a.school_id, a.participants, a.mean_score,
                       a.share_2, a.share_3, a.share_4, a.share_5
                FROM school_results a JOIN procedures p ON p.id = a.procedure_id
                ORDER BY p.id, a.school_id
                """).all().map { row in
                SchoolAggregate(
                    procedure: try Self.decodeProcedure(row),
                    schoolID: try row.decode(column: "school_id", as: String.self),
                    participants: try row.decode(column: "participants", as: Int.self),
                    meanScore: try row.decode(column: "mean_score", as: Double?.self),
                    share2: try row.decode(column: "share_2", as: Double?.self),
                    share3: try row.decode(column: "share_3", as: Double?.self),
                    share4: try row.decode(column: "share_4", as: Double?.self),
                    share5: try row.decode(column: "share_5", as: Double?.self))
            }
        }
    }

    public func indicatorValues(schoolID: String? = nil) async throws -> [IndicatorValue] {
        try await withConnection { conn in
            let query = conn.sql.select().columns("year", "school_id", "indicator", "value").from("indicator_values")
                .orderBy("year").orderBy("school_id").orderBy("indicator")
            if let schoolID { query.where("school_id", .equal, schoolID) }
            return try await query.all().map { row in
                IndicatorValue(
                    year: try row.decode(column: "year", as: Int.self),
                    schoolID: try row.decode(column: "school_id", as: String.self),
                    indicator: try row.decode(column: "indicator", as: String.self),
                    value: try row.decode(column: "value", as: Double.self))
            }
        }
    }

    static func decodeSchool(_ row: any SQLRow) throws -> School {
        School(
            id: try row.decode(column: "id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            municipality: try row.decode(column: "municipality", as: String.self),
            region: try row.decode(column: "region", as: String.self),
            settlement: Settlement(rawValue: try row.decode(column: "settlement", as: String.self)) ?? .urban,
            kind: SchoolKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
            students: try row.decode(column: "students", as: Int?.self),
            distanceKm: try row.decode(column: "distance_km", as: Double?.self))
    }
}
