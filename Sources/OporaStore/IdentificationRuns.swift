import OporaCore
import SQLKit

/// A stored identification run: enough to reproduce a published list exactly (the rule set's text,
/// the analysis year and a digest of the input data) and the result as it was published.
public struct IdentificationRunRecord: Sendable, Equatable {
    public var id: Int
    public var createdAt: String
    public var createdBy: String?
    public var year: Int
    public var rulesName: String
    public var rulesDigest: String
    public var rulesText: String
    public var dataDigest: String
    public var dataRecords: Int
    public var schools: Int
    public var flaggedSchools: Int

    public init(id: Int = 0, createdAt: String = "", createdBy: String? = nil, year: Int, rulesName: String, rulesDigest: String,
                rulesText: String, dataDigest: String, dataRecords: Int, schools: Int, flaggedSchools: Int) {
        self.id = id
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.year = year
        self.rulesName = rulesName
        self.rulesDigest = rulesDigest
        self.rulesText = rulesText
        self.dataDigest = dataDigest
        self.dataRecords = dataRecords
        self.schools = schools
        self.flaggedSchools = flaggedSchools
    }
}

/// One flag of a run, kept in its own table so pages can ask "the flags of this school" cheaply.
public struct StoredFlag: Sendable, Equatable, Codable {
    public var schoolID: String
    public var category: String
    public var criterion: String
    public var year: Int
    public var strength: String?
    public var value: Double?
    public var threshold: Double?
    public var n: Int?
    public var textRU: String
    public var textEN: String

    public init(schoolID: String, category: String, criterion: String, year: Int, strength: String?, value: Double?,
                threshold: Double?, n: Int?, textRU: String, textEN: String) {
        self.schoolID = schoolID
        self.category = category
        self.criterion = criterion
        self.year = year
        self.strength = strength
        self.value = value
        self.threshold = threshold
        self.n = n
        self.textRU = textRU
        self.textEN = textEN
    }
}

extension OporaDatabase {
    /// Stores a run with its published JSON and flags in one transaction; returns the new run's id.
    public func saveIdentificationRun(_ run: IdentificationRunRecord, resultJSON: String, flags: [StoredFlag]) async throws -> Int {
        try await transaction { conn in
            let id = try await conn.sql.raw("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM identification_runs")
                .first()?.decode(column: "next", as: Int.self) ?? 1
            try await conn.sql.insert(into: "identification_runs")
                .columns("id", "created_at", "created_by", "year", "rules_name", "rules_digest", "rules_text",
                         "data_digest", "data_records", "schools", "flagged_schools", "result_json")
                .values(SQLBind(id), SQLBind(Timestamp.now()), SQLBind(run.createdBy), SQLBind(run.year), SQLBind(run.rulesName),
                        SQLBind(run.rulesDigest), SQLBind(run.rulesText), SQLBind(run.dataDigest), SQLBind(run.dataRecords),
                        SQLBind(run.schools), SQLBind(run.flaggedSchools), SQLBind(resultJSON))
                .run()
            for chunk in flags.chunked(Self.chunkSize(columns: 11)) {
                let insert = conn.sql.insert(into: "identification_flags")
                    .columns("run_id", "school_id", "category", "criterion", "year", "strength", "value", "threshold", "n", "text_ru", "text_en")
                for f in chunk {
                    insert.values(SQLBind(id), SQLBind(f.schoolID), SQLBind(f.category), SQLBind(f.criterion), SQLBind(f.year),
                                  SQLBind(f.strength), SQLBind(f.value), SQLBind(f.threshold), SQLBind(f.n), SQLBind(f.textRU), SQLBind(f.textEN))
                }
                try await insert.run()
            }
            return id
        }
    }

    /// Runs, newest first.
    public func identificationRuns() async throws -> [IdentificationRunRecord] {
        try await withConnection { conn in
            try await conn.sql.raw("""
                SELECT id, created_at, created_by, year, rules_name, rules_digest, rules_text, data_digest, data_records,
                       schools, flagged_schools FROM identification_runs ORDER BY id DESC
                """).all().map(Self.decodeRun)
        }
    }

    public func identificationRun(id: Int) async throws -> (record: IdentificationRunRecord, resultJSON: String)? {
        try await withConnection { conn in
            guard let row = try await conn.sql.raw("SELECT * FROM identification_runs WHERE id = \(bind: id)").first() else { return nil }
            return (try Self.decodeRun(row), try row.decode(column: "result_json", as: String.self))
        }
    }

    public func flags(runID: Int, schoolID: String? = nil) async throws -> [StoredFlag] {
        try await withConnection { conn in
            let query = conn.sql.select().column("*").from("identification_flags").where("run_id", .equal, runID)
                .orderBy("school_id").orderBy("category").orderBy("criterion")
            if let schoolID { query.where("school_id", .equal, schoolID) }
            return try await query.all().map { row in
                StoredFlag(
                    schoolID: try row.decode(column: "school_id", as: String.self),
                    category: try row.decode(column: "category", as: String.self),
                    criterion: try row.decode(column: "criterion", as: String.self),
                    year: try row.decode(column: "year", as: Int.self),
                    strength: try row.decode(column: "strength", as: String?.self),
                    value: try row.decode(column: "value", as: Double?.self),
                    threshold: try row.decode(column: "threshold", as: Double?.self),
                    n: try row.decode(column: "n", as: Int?.self),
                    textRU: try row.decode(column: "text_ru", as: String.self),
                    textEN: try row.decode(column: "text_en", as: String.self))
            }
        }
    }

    static func decodeRun(_ row: any SQLRow) throws -> IdentificationRunRecord {
        IdentificationRunRecord(
            id: try row.decode(column: "id", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: String.self),
            createdBy: try row.decode(column: "created_by", as: String?.self),
            year: try row.decode(column: "year", as: Int.self),
            rulesName: try row.decode(column: "rules_name", as: String.self),
            rulesDigest: try row.decode(column: "rules_digest", as: String.self),
            rulesText: try row.decode(column: "rules_text", as: String.self),
            dataDigest: try row.decode(column: "data_digest", as: String.self),
            dataRecords: try row.decode(column: "data_records", as: Int.self),
            schools: try row.decode(column: "schools", as: Int.self),
            flaggedSchools: try row.decode(column: "flagged_schools", as: Int.self))
    }
}
