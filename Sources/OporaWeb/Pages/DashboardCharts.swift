import Foundation
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// The dashboard's figures as SVG and as the tables beside them (the table is what a screen reader
/// and a printout without colour rely on).
enum DashboardCharts {
    struct Trend {
        struct Cell { var value: String; var region: String? }
        struct Row { var name: String; var cells: [Cell] }
        var years: [Int] = []
        var rows: [Row] = []
        var chart = ""
    }

    /// Share of «2» per procedure and year for the territory (the region's in brackets when the
    /// territory is a municipality), and the line of «2» over all ВПР by year.
    static func failTrend(snapshot: AnalysisSnapshot, scope: Scope, municipalities: [String], _ language: Language, chart: Bool = true) -> Trend {
        let own: [ProcedureStats]
        switch scope {
        case .everything, .region: own = snapshot.regionStats
        case .municipality(let m): own = snapshot.municipalityStats[m] ?? []
        case .schools: return Trend()
        }
        let region = Dictionary(snapshot.regionStats.map { ($0.procedure, $0) }, uniquingKeysWith: { a, _ in a })
        let years = Array(Set(own.map(\.year))).sorted()
        struct Family: Hashable, Comparable {
            var assessment: String, subject: String, grade: Int
            static func < (a: Family, b: Family) -> Bool { (a.assessment, a.subject, a.grade) < (b.assessment, b.subject, b.grade) }
        }
        let families = Dictionary(grouping: own.filter { !$0.marks.isEmpty }) { Family(assessment: $0.assessment, subject: $0.subject, grade: $0.grade) }
        var trend = Trend(years: years)
        for family in families.keys.sorted() {
            let byYear = Dictionary(families[family]!.map { ($0.year, $0) }, uniquingKeysWith: { a, _ in a })
            let p = Procedure(year: years.last ?? 0, assessment: Assessment(family.assessment), subject: family.subject, grade: family.grade)
            trend.rows.append(Trend.Row(name: Wording.procedure(p, language), cells: years.map { y in
                guard let s = byYear[y], let fail = s.marks.first else { return Trend.Cell(value: "—") }
                let regional = scope.isRegionWide ? nil : region[s.procedure]?.marks.first.map { Wording.percent($0.share, language) }
                return Trend.Cell(value: Wording.percent(fail.share, language), region: regional)
            }))
        }
        if chart { trend.chart = failLine(own: own, region: scope.isRegionWide ? nil : snapshot.regionStats, years: years, language) }
        return trend
    }

    /// «2» over all ВПР of a year, pooled (participants with a mark).
    static func pooledFailShare(_ stats: [ProcedureStats], year: Int) -> Double? {
        var k = 0, n = 0
        for s in stats where s.year == year && s.assessment == "vpr" {
            guard let f = s.marks.first else { continue }
            k += f.count
            n += f.n
        }
        return n > 0 ? Double(k) / Double(n) : nil
    }

    static func failLine(own: [ProcedureStats], region: [ProcedureStats]?, years: [Int], _ language: Language) -> String {
        guard !years.isEmpty else { return "" }
        var series = [LineChart.Series(name: language.pick(ru: "Территория", en: "Territory"),
                                       points: years.map { y in LineChart.Point(x: String(y), y: pooledFailShare(own, year: y)) })]
        if let region {
            series.append(LineChart.Series(name: language.pick(ru: "Регион", en: "Region"),
                                           points: years.map { y in LineChart.Point(x: String(y), y: pooledFailShare(region, year: y)) }))
        }
        return LineChart(id: "fail-trend", title: language.pick(ru: "Доля «2» по всем ВПР, по годам", en: "Share of «2» over all VPR, by year"),
                         series: series, yDomain: nil, format: { Wording.percent($0, language, digits: 0) },
                         noData: language.pick(ru: "Нет данных", en: "No data")).svg()
    }

    static func categoriesByYear(_ byYear: [(year: Int, run: Int, counts: [String: Int], flagged: Int)], _ language: Language) -> String {
        guard !byYear.isEmpty else { return "" }
        return CountsByYearChart(
            id: "categories-by-year", title: language.pick(ru: "Школы по категориям и годам", en: "Schools by category and year"),
            years: byYear.map { String($0.year) },
            categories: Dashboard.categories.map { c in
                CountsByYearChart.Category(name: Wording.categoryName(c, language), counts: byYear.map { $0.counts[c] ?? 0 })
            },
            format: { NumberFormat.integer(Int($0), language) }, noData: language.pick(ru: "Нет данных", en: "No data")).svg()
    }
}
