import Foundation
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// The dashboard of a territory: what it holds, schools by category and year (from the newest run
/// of each year), the trend of «2», and the table of schools with their flags. Counts come from the
/// same filtered list the table shows, so they always match.
struct Dashboard {
    struct Row {
        var school: School
        var categories: [String]
        var registry: RegistryStatus?
        var wellbeingPercentile: Double?
        var failShare: Double?
        var marked: Int
    }

    struct Filter {
        var query = ""
        var municipality = ""
        var category = ""
        var registry = ""
        var settlement = ""
        var sort = "municipality"
        var descending = false

        init(_ params: [String: String]) {
            query = params["q", default: ""].trimmingCharacters(in: .whitespaces)
            municipality = params["municipality", default: ""]
            category = params["category", default: ""]
            registry = params["registry", default: ""]
            settlement = params["settlement", default: ""]
            sort = Self.sorts.contains(params["sort", default: ""]) ? params["sort"]! : "municipality"
            descending = params["dir"] == "desc"
        }

        static let sorts = ["id", "name", "municipality", "students", "wellbeing", "fails", "flags"]

        var isActive: Bool { !query.isEmpty || !municipality.isEmpty || !category.isEmpty || !registry.isEmpty || !settlement.isEmpty }

        func matches(_ row: Row) -> Bool {
            if !query.isEmpty {
                let q = query.lowercased()
                guard row.school.name.lowercased().contains(q) || row.school.id.lowercased().contains(q) else { return false }
            }
            if !municipality.isEmpty, row.school.municipality != municipality { return false }
            if category == "none" { if !row.categories.isEmpty { return false } }
            else if category == "any" { if row.categories.isEmpty { return false } }
            else if !category.isEmpty, !row.categories.contains(category) { return false }
            if registry == "none" { if row.registry != nil { return false } }
            else if !registry.isEmpty, row.registry?.rawValue != registry { return false }
            if !settlement.isEmpty, row.school.settlement.rawValue != settlement { return false }
            return true
        }

        func sorted(_ rows: [Row]) -> [Row] {
            func key(_ r: Row) -> (Double?, String) {
                switch sort {
                case "id": (nil, r.school.id)
                case "name": (nil, r.school.name)
                case "students": (r.school.students.map(Double.init), r.school.id)
                case "wellbeing": (r.wellbeingPercentile, r.school.id)
                case "fails": (r.failShare, r.school.id)
                case "flags": (Double(r.categories.count), r.school.id)
                default: (nil, r.school.municipality + "\u{1}" + r.school.id)
                }
            }
            // Missing values last in both directions.
            return rows.sorted { a, b in
                let (x, y) = (key(a), key(b))
                switch (x.0, y.0) {
                case let (u?, v?) where u != v: return descending ? u > v : u < v
                case (nil, _?): return false
                case (_?, nil): return true
                default: return descending ? x.1 > y.1 : x.1 < y.1
                }
            }
        }

        /// The query string of this filter with `sort` changed (clicking a sorted column flips it).
        func link(sortingBy column: String, keepDirection: Bool = false) -> String {
            var items: [(String, String)] = [("q", query), ("municipality", municipality), ("category", category), ("registry", registry),
                                              ("settlement", settlement)].filter { !$0.1.isEmpty }
            items.append(("sort", column))
            items.append(("dir", keepDirection ? (descending ? "desc" : "asc") : (column == sort && !descending ? "desc" : "asc")))
            return "?" + items.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
        }

        static func escape(_ s: String) -> String {
            s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-_.~"))) ?? s
        }
    }

    /// Rows of every school in `scope`, with the newest run's categories and the registry status.
    static func rows(snapshot: AnalysisSnapshot, scope: Scope, run: IdentificationResult?, registry: [String: RegistryStatus]) -> [Row] {
        let categories = Dictionary((run?.schools ?? []).map { ($0.schoolID, $0.categories) }, uniquingKeysWith: { a, _ in a })
        let wellbeingYear = snapshot.wellbeing.keys.max()
        return snapshot.data.schools.filter(scope.contains).map { school in
            let fails = snapshot.latestFails[school.id]
            return Row(school: school, categories: categories[school.id] ?? [], registry: registry[school.id],
                       wellbeingPercentile: wellbeingYear.flatMap { snapshot.wellbeing[$0]?[school.id]?.percentile },
                       failShare: fails.flatMap { $0.marked > 0 ? Double($0.fails) / Double($0.marked) : nil }, marked: fails?.marked ?? 0)
        }
    }

    /// Schools flagged per category in the newest run of each year, counted within the scope.
    static func categoriesByYear(runs: [(IdentificationRunRecord, IdentificationResult)], scope ids: Set<String>)
        -> [(year: Int, run: Int, counts: [String: Int], flagged: Int)] {
        runs.map { record, result in
            var counts: [String: Int] = [:]
            var flagged = 0
            for s in result.schools where ids.contains(s.schoolID) && !s.categories.isEmpty {
                flagged += 1
                for c in s.categories { counts[c, default: 0] += 1 }
            }
            return (record.year, record.id, counts, flagged)
        }.sorted { $0.year < $1.year }
    }

    static let categories = ["low_results", "social_risk", "resource_deficit", "non_objective"]
    /// Rows of the schools table per page.
    static let pageSize = 100
}
