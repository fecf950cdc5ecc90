import Foundation
import OporaAnalysis
import OporaCore

/// The school profile's figures as SVG, each from the same statistics as the tables beside them.
enum ProfileCharts {
    static func noData(_ language: Language) -> String { language.pick(ru: "Нет данных", en: "No data") }
    static func percent(_ language: Language) -> (Double) -> String { { Wording.percent($0, language, digits: 0) } }

    /// Share of «2» over the years (school with its 95% interval, municipality, region); mean score
    /// for procedures without marks (ЕГЭ).
    static func trend(school: [ProcedureStats], municipality: [ProcedureStats], region: [ProcedureStats], _ language: Language) -> String {
        let years = school.map(\.year)
        let marks = school.contains { !$0.marks.isEmpty }
        func point(_ list: [ProcedureStats], _ year: Int, interval: Bool) -> LineChart.Point {
            guard let s = list.first(where: { $0.year == year }) else { return LineChart.Point(x: String(year), y: nil) }
            if marks {
                let f = s.marks.first
                return LineChart.Point(x: String(year), y: f?.share, low: interval ? f?.low : nil, high: interval ? f?.high : nil)
            }
            return LineChart.Point(x: String(year), y: s.meanScore)
        }
        let series = [
            LineChart.Series(name: language.pick(ru: "Школа", en: "School"), points: years.map { point(school, $0, interval: true) }),
            LineChart.Series(name: language.pick(ru: "Муниципалитет", en: "Municipality"), points: years.map { point(municipality, $0, interval: false) }),
            LineChart.Series(name: language.pick(ru: "Регион", en: "Region"), points: years.map { point(region, $0, interval: false) }),
        ]
        return LineChart(id: "trend", title: marks ? language.pick(ru: "Доля «2» по годам (школа — с 95% интервалом)", en: "Share of «2» by year (school with its 95% interval)")
                                              : language.pick(ru: "Средний балл по годам", en: "Mean score by year"),
                         series: series, yDomain: nil,
                         format: marks ? percent(language) : { NumberFormat.decimal($0, digits: 1, language) }, noData: noData(language)).svg()
    }

    static func marks(school: ProcedureStats, region: ProcedureStats?, _ language: Language) -> String {
        var rows = [StackedShareBar.Row(label: language.pick(ru: "Школа", en: "School"), shares: school.marks.map(\.share))]
        if let region, region.marks.count == 4 { rows.append(.init(label: language.pick(ru: "Регион", en: "Region"), shares: region.marks.map(\.share))) }
        guard school.marks.count == 4 else { return ChartSVG.empty(id: "marks", title: language.pick(ru: "Отметки", en: "Marks"), noData: noData(language)) }
        return StackedShareBar(id: "marks", title: language.pick(ru: "Распределение отметок", en: "Marks"), segments: ["«2»", "«3»", "«4»", "«5»"],
                               rows: rows, format: percent(language), noData: noData(language)).svg()
    }

    static func journal(school: ProcedureStats, region: ProcedureStats?, _ language: Language) -> String {
        func shares(_ s: ProcedureStats) -> [Double]? {
            guard let a = s.lowered, let b = s.confirmed, let c = s.raised else { return nil }
            return [a.share, b.share, c.share]
        }
        var rows: [StackedShareBar.Row] = []
        if let s = shares(school) { rows.append(.init(label: language.pick(ru: "Школа", en: "School"), shares: s)) }
        if let region, let r = shares(region) { rows.append(.init(label: language.pick(ru: "Регион", en: "Region"), shares: r)) }
        return StackedShareBar(id: "journal", title: language.pick(ru: "ВПР и отметка по журналу", en: "VPR against the journal mark"),
                               segments: [language.pick(ru: "понизили", en: "lowered"), language.pick(ru: "подтвердили", en: "confirmed"),
                                          language.pick(ru: "повысили", en: "raised")],
                               rows: rows, format: percent(language), noData: noData(language)).svg()
    }

    static func histogram(school: ProcedureStats, boundaries: [Int]?, _ language: Language) -> String {
        let labels = ["«3»", "«4»", "«5»"]
        return HistogramChart(id: "histogram", title: language.pick(ru: "Первичные баллы: школа и регион", en: "Primary scores: school and region"),
                              counts: school.histogram, regionShares: school.regionHistogramShare,
                              boundaries: (boundaries ?? []).enumerated().map { (score: $0.element, label: labels[min(2, $0.offset)]) },
                              schoolName: language.pick(ru: "Школа", en: "School"), regionName: language.pick(ru: "Регион", en: "Region"),
                              scoreLabel: language.pick(ru: "первичный балл", en: "primary score"), format: percent(language), noData: noData(language)).svg()
    }

    static func tasks(school: ProcedureStats, _ language: Language) -> String {
        TaskCompletionChart(
            id: "tasks", title: language.pick(ru: "Выполнение заданий: школа и регион", en: "Task completion: school and region"),
            tasks: school.tasks.map { t in
                TaskCompletionChart.Task(code: t.task, level: t.level.map { language.pick($0.name) }, school: t.school, region: t.region)
            },
            schoolName: language.pick(ru: "Школа", en: "School"), regionName: language.pick(ru: "Регион", en: "Region"),
            format: percent(language), noData: noData(language)).svg()
    }


    static func caterpillar(_ schools: [ValueAddedSchoolResult], highlight: String, names: [String: String], ranked: Bool = true,
                            _ language: Language) -> String {
        var chart = CaterpillarChart(
            id: "caterpillar", title: language.pick(ru: "Добавленная ценность школ муниципалитета (95% интервалы)",
                                                     en: "Value-added of the municipality's schools (95% intervals)"),
            schools: schools.compactMap { s in
                guard let e = s.estimate, let lo = s.ciLow, let hi = s.ciHigh else { return nil }
                return CaterpillarChart.School(id: s.schoolID, name: names[s.schoolID] ?? s.schoolID, estimate: e, low: lo, high: hi, band: s.band.rawValue)
            },
            highlight: highlight, axisLabel: language.pick(ru: "баллы относительно ожидаемого", en: "points against the expected"),
            format: { NumberFormat.decimal($0, digits: 1, language) }, noData: noData(language))
        chart.statesRank = ranked
        return chart.svg()
    }
}
