import Foundation
import Testing
@testable import OporaWeb

@Suite("CountsByYearChart")
struct CountsByYearChartTests {
    static let categories: [CountsByYearChart.Category] = [
        .init(name: "Низкие результаты", counts: [12, 9, 7]),
        .init(name: "Признаки необъективности", counts: [5, 6, nil]),
        .init(name: "Социальный риск", counts: [1234, 0, 3]),
        .init(name: "Рост", counts: [2, 4]),
    ]

    static func chart(_ grouping: CountsByYearChart.Grouping = .byYear) -> CountsByYearChart {
        CountsByYearChart(id: "by-year", title: "Школы по категориям и годам", years: ["2023", "2024", "2025"], categories: categories,
                          format: RU.integer, noData: "Нет данных", grouping: grouping, yLabel: "школ")
    }

    @Test func barsPerCountWithValuesAndLegend() throws {
        let parsed = try checkCommon(Self.chart().svg(), id: "by-year")
        #expect(parsed.withClass("group", "g").count == 3)
        let bars = parsed.withClass("bar", "g")
        #expect(bars.count == 10)  // 12 cells, one nil, one missing
        for v in ["12", "9", "7", "5", "6", "1\u{202F}234", "0", "3", "2", "4"] { #expect(parsed.texts.contains(v), "\(v)") }
        for c in Self.categories { #expect(parsed.texts.contains(c.name), "\(c.name)") }
        #expect(parsed.texts.contains("2023") && parsed.texts.contains("школ"))
        #expect(parsed.all("pattern").count == 4)
        #expect(parsed.description.contains("Признаки необъективности: 2023 — 5, 2024 — 6, 2025 — —"))
    }

    @Test func groupedByCategory() throws {
        let parsed = try checkCommon(Self.chart(.byCategory).svg(), id: "by-year")
        #expect(parsed.withClass("group", "g").count == 4)
        #expect(parsed.withClass("bar", "g").count == 10)
        #expect(parsed.all("pattern").count == 3)
        // Long category names wrap under their group.
        #expect(parsed.texts.contains("Признаки") || parsed.texts.contains("необъективности"))
    }

    @Test func integerTicksOnly() throws {
        let svg = CountsByYearChart(id: "s", title: "Мало", years: ["2025"], categories: [.init(name: "Одна", counts: [1])],
                                    format: RU.integer, noData: "нет").svg()
        let parsed = try checkCommon(svg, id: "s")
        let ticks = parsed.all("text").filter { $0.attributes["text-anchor"] == "end" }.map(\.text)
        #expect(ticks == ["0", "1"])
    }

    @Test func empty() throws {
        let none = CountsByYearChart(id: "e", title: "Т", years: [], categories: [], format: RU.integer, noData: "Нет данных").svg()
        #expect(try parseSVG(none).texts.contains("Нет данных"))
        let allNil = CountsByYearChart(id: "e", title: "Т", years: ["2025"], categories: [.init(name: "A", counts: [nil])],
                                       format: RU.integer, noData: "Нет данных").svg()
        #expect(try parseSVG(allNil).texts.contains("Нет данных"))
    }
}
