import Foundation
import Testing
@testable import OporaWeb

@Suite("LineChart")
struct LineChartTests {
    static func trend(style: LineChart.IntervalStyle = .band) -> LineChart {
        LineChart(id: "trend", title: "Доля «2» по годам", series: [
            .init(name: "Школа", points: [
                .init(year: 2021, y: 0.12, low: 0.08, high: 0.17), .init(year: 2022, y: 0.10, low: 0.06, high: 0.15),
                .init(year: 2023, y: nil), .init(year: 2024, y: 0.15, low: 0.1, high: 0.21), .init(year: 2025, y: 0.09, low: 0.05, high: 0.14),
            ]),
            .init(name: "Муниципалитет", points: [2021, 2022, 2023, 2024, 2025].map { .init(year: $0, y: 0.08) }),
            .init(name: "Регион", points: [2021, 2022, 2023, 2024, 2025].map { .init(year: $0, y: 0.07) }),
        ], yDomain: 0...0.5, format: RU.percent, noData: "Нет данных", intervalStyle: style, intervalLabel: "95% интервал",
           xLabel: "год", yLabel: "доля «2»")
    }

    @Test func seriesDifferByColourDashAndMarkerAndBreakAtMissingPoints() throws {
        let svg = Self.trend().svg()
        let parsed = try checkCommon(svg, id: "trend")
        let lines = parsed.withClass("line", "path")
        #expect(lines.count == 3)
        #expect(Set(lines.map { $0.attributes["stroke"] ?? "" }).count == 3)
        #expect(Set(lines.map { $0.attributes["stroke-dasharray"] ?? "solid" }).count == 3)
        // Drawn last-to-first, so the school's line is the last one; it breaks at 2023.
        let school = try #require(lines.last?.attributes["d"])
        #expect(school.filter { $0 == "M" }.count == 2)
        #expect(parsed.withClass("point", "g").count == 4 + 5 + 5)
        // Marker shapes: circles for the school, squares for the municipality, triangles for the region.
        let series = parsed.withClass("series", "g")
        #expect(series.count == 3)
        #expect(svg.contains("<circle") && svg.contains("<rect") && svg.contains("<path d=\"M"))
        #expect(parsed.texts.contains("Школа") && parsed.texts.contains("Регион") && parsed.texts.contains("95% интервал"))
        #expect(parsed.texts.contains("2021") && parsed.texts.contains("год") && parsed.texts.contains("доля «2»"))
    }

    @Test func intervalsAsBandsOrWhiskers() throws {
        let band = try parseSVG(Self.trend(style: .band).svg())
        // Two runs: 2021–2022 and 2024–2025 (2023 missing), each a closed band.
        #expect(band.withClass("interval").count == 2)
        #expect(band.withClass("interval").allSatisfy { $0.attributes["d"]?.hasSuffix("Z") == true })
        let whiskers = try parseSVG(Self.trend(style: .whiskers).svg())
        #expect(whiskers.withClass("interval").count == 4)
    }

    @Test func fixedDomainTicksAndLocalisedNumbers() throws {
        let parsed = try parseSVG(Self.trend().svg())
        for t in [0.0, 0.1, 0.2, 0.3, 0.4, 0.5] { #expect(parsed.texts.contains(RU.percent(t)), "\(RU.percent(t))") }
        #expect(!parsed.texts.contains(RU.percent(0.6)))
        #expect(parsed.description.contains("Школа — 2021: 12\u{202F}% [8\u{202F}%; 17\u{202F}%]") && parsed.description.contains("2023: —"))

        let scores = LineChart(id: "mean", title: "Средний балл", series: [
            .init(name: "Школа", points: [.init(x: "2024", y: 1234.5), .init(x: "2025", y: 987.25)]),
        ], format: { RU.number($0) }, noData: "нет").svg()
        let p = try checkCommon(scores, id: "mean")
        #expect(p.description.contains("1\u{202F}234,5"))
        #expect(p.texts.contains("1\u{202F}000,0") && p.texts.contains("0,0"))
    }

    @Test func escapesLabelsAndSkipsNonFiniteValues() throws {
        let svg = LineChart(id: "x", title: maliciousLabel, series: [
            .init(name: maliciousLabel, points: [.init(x: "2024", y: .nan), .init(x: "2025", y: 0.3, low: -.infinity, high: 0.4),
                                                 .init(x: "<26>", y: 0.2)]),
        ], format: RU.percent, noData: "нет").svg()
        #expect(svg.contains(maliciousEscaped) && !svg.contains("<script>"))
        let parsed = try checkCommon(svg, id: "x")
        #expect(parsed.texts.contains(maliciousParsed) && parsed.texts.contains("<26>"))
        #expect(parsed.withClass("point").count == 2)
        #expect(parsed.withClass("interval").isEmpty)
    }

    @Test func emptyAndDeterministic() throws {
        let none = LineChart(id: "n", title: "Т", series: [], format: RU.percent, noData: "Нет данных").svg()
        #expect(try parseSVG(none).texts.contains("Нет данных"))
        let missing = LineChart(id: "n", title: "Т", series: [.init(name: "Школа", points: [.init(x: "2024", y: nil), .init(x: "2025", y: .nan)])],
                                format: RU.percent, noData: "Нет данных").svg()
        #expect(try parseSVG(missing).texts.contains("Нет данных"))
        #expect(Self.trend().svg() == Self.trend().svg())
    }
}
