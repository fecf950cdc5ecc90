import Foundation
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// The dashboard of a territory: what it holds, schools by category and year (from the newest run
/// of each year), the trend of «2», and the table of schools with their flags. Counts come from the
/// same filtered list the table shows, so they always match.
struct Dashboard {
    struct Row: Sendable {
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
            // Keys computed once per row (decorate, sort, undecorate): building them inside the
            // comparison made sorting a region's 2,000 schools half the cost of the dashboard.
            struct Key { var number: Double?; var first: String; var second: String }
            let keys: [Key] = rows.map { r in
                switch sort {
                case "id": Key(number: nil, first: r.school.id, second: "")
                case "name": Key(number: nil, first: r.school.name, second: r.school.id)
                case "students": Key(number: r.school.students.map(Double.init), first: r.school.id, second: "")
                case "wellbeing": Key(number: r.wellbeingPercentile, first: r.school.id, second: "")
                case "fails": Key(number: r.failShare, first: r.school.id, second: "")
                case "flags": Key(number: Double(r.categories.count), first: r.school.id, second: "")
                default: Key(number: nil, first: r.school.municipality, second: r.school.id)
                }
            }
            let order = keys.indices.sorted { i, j in
                let (x, y) = (keys[i], keys[j])
                // Missing values last in both directions.
                switch (x.number, y.number) {
                case let (u?, v?) where u != v: return descending ? u > v : u < v
                case (nil, _?): return false
                case (_?, nil): return true
                default:
                    if x.first != y.first { return descending ? x.first > y.first : x.first < y.first }
                    return descending ? x.second > y.second : x.second < y.second
                }
            }
            return order.map { rows[$0] }
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

    /// The rows of a territory in one order, with what the page derives from all of them.
    struct Table: Sendable {
        var rows: [Row]
        var ids: Set<String>
        var municipalities: [String]
        var students: Int
        var rural: Int

        init(rows: [Row], ids: Set<String>, municipalities: [String]) {
            self.rows = rows
            self.ids = ids
            self.municipalities = municipalities
            students = rows.compactMap(\.school.students).reduce(0, +)
            rural = rows.filter { $0.school.settlement == .rural }.count
        }
    }

    static let categories = SupportCategory.codes
    /// Rows of the schools table per page.
    static let pageSize = 100
}
