import Foundation
import Testing
@testable import OporaWeb

/// The call forms OporaWeb's pages use today (ProfileCharts, DashboardCharts) still compile and
/// render: the new options all have defaults and come after the existing parameters.
@Suite("Call sites")
struct CallSiteTests {
    @Test func existingCallFormsStillWork() throws {
        let percent: (Double) -> String = RU.percent
        let years = [2024, 2025]
        let counts: [String: Int] = ["low": 3]
        let svgs = [
            LineChart(id: "trend", title: "Доля «2»", series: [
                LineChart.Series(name: "Школа", points: years.map { LineChart.Point(x: String($0), y: 0.1, low: 0.05, high: nil) }),
            ], yDomain: nil, format: percent, noData: "Нет данных").svg(),
            StackedShareBar(id: "marks", title: "Отметки", segments: ["«2»", "«3»", "«4»", "«5»"],
                            rows: [StackedShareBar.Row(label: "Школа", shares: [0.1, 0.2, 0.3, 0.4])], format: percent, noData: "Нет данных").svg(),
            HistogramChart(id: "histogram", title: "Баллы", counts: [1, 2], regionShares: [0.5, 0.5],
                           boundaries: [2].enumerated().map { (score: $0.element, label: "«3»") }, schoolName: "Школа", regionName: "Регион",
                           scoreLabel: "балл", format: percent, noData: "Нет данных").svg(),
            TaskCompletionChart(id: "tasks", title: "Задания", tasks: [TaskCompletionChart.Task(code: "1", level: Optional("Б"), school: 0.5, region: 0.7)],
                                schoolName: "Школа", regionName: "Регион", format: percent, noData: "Нет данных").svg(),
            CaterpillarChart(id: "caterpillar", title: "ДЦ", schools: [
                CaterpillarChart.School(id: "a", name: "A", estimate: 1, low: 0.5, high: 1.5, band: "above"),
            ], highlight: "a", axisLabel: "баллы", format: { RU.number($0) }, noData: "Нет данных").svg(),
            CountsByYearChart(id: "categories-by-year", title: "По годам", years: years.map { String($0) },
                              categories: [CountsByYearChart.Category(name: "Низкие", counts: years.map { _ in counts["low"] ?? 0 })],
                              format: { RU.integer($0) }, noData: "Нет данных").svg(),
            ChartSVG.empty(id: "marks", title: "Отметки", noData: "Нет данных"),
        ]
        for svg in svgs { _ = try parseSVG(svg) }
        #expect(svgs[4].contains("class=\"school above highlight\""))
    }
}
