import Foundation
import OporaCore
import SQLKit

/// The territory a request may see. Derived from the account alone (`Scope(user:)`), and taken by
/// every scoped query (`OporaDatabase.scoped(_:)`), so no page or endpoint filters on its own.
public enum Scope: Sendable, Hashable {
    /// Every school of every region (admins).
    case everything
    case region(String)
    case municipality(String)
    /// A school account's school, a curator's assigned schools (possibly none).
    case schools(Set<String>)

    public init(user: UserRecord) {
        switch (user.role, user.territoryKind, user.territory) {
        case (.admin, _, _): self = .everything
        case (.curator, _, _): self = .schools(Set(user.curatedSchools))
        case (_, .region?, let name?): self = .region(name)
        case (_, .municipality?, let name?): self = .municipality(name)
        case (_, .school?, let id?): self = .schools([id])
        default: self = .schools([])  // a role without its territory sees nothing
        }
    }

    /// Whether the whole region (or more) is visible: region-wide figures may then be shown as they are.
    public var isRegionWide: Bool {
        switch self {
        case .everything, .region: true
        case .municipality, .schools: false
        }
    }

    public func contains(_ school: School) -> Bool {
        switch self {
        case .everything: true
        case .region(let name): school.region == name
        case .municipality(let name): school.municipality == name
        case .schools(let ids): ids.contains(school.id)
        }
    }

    /// The condition on a `schools` table row (aliased `alias`), as SQL with binds.
    func condition(alias: String) -> SQLQueryString {
        var sql = SQLQueryString("")
        switch self {
        case .everything:
            sql.appendInterpolation(unsafeRaw: "1 = 1")
        case .region(let name):
            sql.appendInterpolation(unsafeRaw: "\(alias).region = ")
            sql.appendInterpolation(bind: name)
        case .municipality(let name):
            sql.appendInterpolation(unsafeRaw: "\(alias).municipality = ")
            sql.appendInterpolation(bind: name)
        case .schools(let ids):
            if ids.isEmpty {
                sql.appendInterpolation(unsafeRaw: "1 = 0")
            } else {
                sql.appendInterpolation(unsafeRaw: "\(alias).id IN (")
                for (i, id) in ids.sorted().enumerated() {
                    if i > 0 { sql.appendInterpolation(unsafeRaw: ", ") }
                    sql.appendInterpolation(bind: id)
                }
                sql.appendInterpolation(unsafeRaw: ")")
            }
        }
        return sql
    }
}

/// The database as seen from one territory. Every method answers only about schools in the scope;
/// a school outside it is reported exactly like a school that does not exist (`nil`), so callers
/// answer 404 and nothing leaks.
public struct ScopedStore: Sendable {
    public let database: OporaDatabase
    public let scope: Scope

    public func schools() async throws -> [School] {
        try await database.withConnection { [scope] conn in
            var sql = SQLQueryString("SELECT * FROM schools s WHERE ")
            sql += scope.condition(alias: "s")
            sql.appendInterpolation(unsafeRaw: " ORDER BY s.municipality, s.id")
            return try await conn.sql.raw(sql).all().map(OporaDatabase.decodeSchool)
        }
    }

    public func schoolIDs() async throws -> Set<String> {
        Set(try await schools().map(\.id))
    }

    public func school(id: String) async throws -> School? {
        guard let school = try await database.school(id: id), scope.contains(school) else { return nil }
        return school
    }

    /// Student results of a school in scope; `nil` when the school is not.
    public func results(schoolID: String, procedure: Procedure? = nil) async throws -> [StudentResult]? {
        guard try await school(id: schoolID) != nil else { return nil }
        return try await database.results(procedure: procedure, schoolID: schoolID)
    }

    /// Per-school aggregates (school_results) of the schools in scope.
    public func aggregates(schoolID: String? = nil) async throws -> [SchoolAggregate] {
        let ids: Set<String>
        if let schoolID {
            guard try await school(id: schoolID) != nil else { return [] }
            ids = [schoolID]
        } else {
            ids = try await schoolIDs()
        }
        return try await database.aggregates().filter { ids.contains($0.schoolID) }
    }

    public func indicatorValues(schoolID: String) async throws -> [IndicatorValue]? {
        guard try await school(id: schoolID) != nil else { return nil }
        return try await database.indicatorValues(schoolID: schoolID)
    }

    /// Runs are region-wide; their metadata is visible to everyone signed in. Counts are the scope's own.
    public func identificationRuns() async throws -> [ScopedRun] {
        let runs = try await database.identificationRuns()
        let ids = try await schoolIDs()
        var out: [ScopedRun] = []
        for run in runs {
            let flagged = Set(try await database.flags(runID: run.id).map(\.schoolID)).intersection(ids)
            out.append(ScopedRun(record: run, flaggedSchoolsInScope: flagged.count, schoolsInScope: ids.count))
        }
        return out
    }

    /// The run's stored JSON with only the schools in scope, and its counts recomputed for them.
    public func identificationRun(id: Int) async throws -> (run: ScopedRun, resultJSON: String)? {
        guard let (record, json) = try await database.identificationRun(id: id) else { return nil }
        let ids = try await schoolIDs()
        let filtered = try Self.filterResultJSON(json, schools: ids, regionWide: scope.isRegionWide)
        let flagged = Set(try await database.flags(runID: id).map(\.schoolID)).intersection(ids)
        return (ScopedRun(record: record, flaggedSchoolsInScope: flagged.count, schoolsInScope: ids.count), filtered)
    }

    /// Flags of one run; of one school when given (`nil` when that school is outside the scope).
    public func flags(runID: Int, schoolID: String? = nil) async throws -> [StoredFlag]? {
        if let schoolID {
            guard try await school(id: schoolID) != nil else { return nil }
            return try await database.flags(runID: runID, schoolID: schoolID)
        }
        let ids = try await schoolIDs()
        return try await database.flags(runID: runID).filter { ids.contains($0.schoolID) }
    }

    /// Keeps `schools` entries whose `school_id` is in `schools`; outside a region-wide scope the run's
    /// counts are recomputed from what is left, so no figure describes schools the caller may not see.
    static func filterResultJSON(_ json: String, schools ids: Set<String>, regionWide: Bool) throws -> String {
        guard var root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return "{}" }
        let list = (root["schools"] as? [[String: Any]] ?? []).filter { ($0["school_id"] as? String).map(ids.contains) ?? false }
        root["schools"] = list
        if !regionWide, var run = root["run"] as? [String: Any] {
            var counts: [String: Int] = [:]
            var flagged = 0
            for school in list {
                let categories = school["categories"] as? [String] ?? []
                if !categories.isEmpty { flagged += 1 }
                for c in categories { counts[c, default: 0] += 1 }
            }
            if let previous = run["category_counts"] as? [String: Any] {
                for key in previous.keys where counts[key] == nil { counts[key] = 0 }
            }
            run["schools"] = ids.count
            run["schools_flagged"] = flagged
            run["category_counts"] = counts
            run["scope"] = "territory"
            root["run"] = run
        }
        let data = try JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// A run as one territory sees it.
public struct ScopedRun: Sendable, Equatable {
    public var record: IdentificationRunRecord
    public var flaggedSchoolsInScope: Int
    public var schoolsInScope: Int
}

extension OporaDatabase {
    /// The database as `scope` sees it: the only way pages and the API reach school data.
    public func scoped(_ scope: Scope) -> ScopedStore {
        ScopedStore(database: self, scope: scope)
    }
}


extension Scope {
    /// A stable text of the scope, for keys of caches.
    public var cacheKey: String {
        switch self {
        case .everything: "all"
        case .region(let name): "r:\(name)"
        case .municipality(let name): "m:\(name)"
        case .schools(let ids): "s:" + ids.sorted().joined(separator: ",")
        }
    }
}
