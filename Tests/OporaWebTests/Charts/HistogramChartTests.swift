import Foundation
import Testing
@testable import OporaWeb

@Suite("HistogramChart")
struct HistogramChartTests {
    static let counts = [0, 1, 3, 5, 2, 0, 1, 4, 0, 2, 1]
    static let region = [0.01, 0.03, 0.08, 0.12, 0.15, 0.16, 0.14, 0.12, 0.1, 0.06, 0.03]

    static func chart(_ style: HistogramChart.RegionStyle = .step, boundaries: [(score: Int, label: String)] = [(4, "«3»"), (6, "«4»"), (9, "«5»")]) -> HistogramChart {
        HistogramChart(id: "hist", title: "Первичные баллы", counts: counts, regionShares: region, boundaries: boundaries,
                       schoolName: "Школа", regionName: "Регион", scoreLabel: "первичный балл", format: RU.percent, noData: "Нет данных",
                       regionStyle: style, shareLabel: "доля участников")
    }

    @Test func barsPerNonZeroScoreRegionStepAndBoundaries() throws {
        let parsed = try checkCommon(Self.chart().svg(), id: "hist")
        #expect(parsed.withClass("bar", "g").count == Self.counts.filter { $0 > 0 }.count)
        let step = try #require(parsed.withClass("region", "path").first?.attributes["d"])
        #expect(step.filter { $0 == "H" }.count == Self.region.count)
        let boundaries = parsed.withClass("boundary", "g")
        #expect(boundaries.count == 3)
        for label in ["«3»", "«4»", "«5»", "первичный балл", "доля участников", "Школа", "Регион", "0", "10"] {
            #expect(parsed.texts.contains(label), "\(label)")
        }
        // Share of the school at score 3: 5 of 19.
        #expect(parsed.description.contains("первичный балл 3: Школа \(RU.percent(5.0 / 19)), Регион 12\u{202F}%"))
        #expect(parsed.description.contains("«4» ≥ 6"))
    }

    @Test func regionAsDotsAndOutOfRangeBoundariesIgnored() throws {
        let parsed = try checkCommon(Self.chart(.dots, boundaries: [(4, "«3»"), (40, "«5»"), (-1, "x")]).svg(), id: "hist")
        #expect(parsed.withClass("region", "path").isEmpty)
        let dots = parsed.nodes.filter { $0.name == "path" && $0.attributes["fill"] == HistogramChart.regionColor }
        #expect(dots.count == Self.region.count + 1)  // one per score, one in the legend
        #expect(parsed.withClass("boundary").count == 1)
    }

    @Test func labelsCloseTogetherGoOnTwoRows() throws {
        let parsed = try parseSVG(Self.chart(boundaries: [(4, "«3» от 4 баллов"), (5, "«4» от 5 баллов")]).svg())
        let ys = parsed.withClass("boundary").isEmpty ? [] : parsed.all("text").filter { $0.text.hasPrefix("«") }.compactMap { $0.attributes["y"] }
        #expect(Set(ys).count == 2)
    }

    @Test func emptyWithoutParticipants() throws {
        let svg = HistogramChart(id: "h", title: "Баллы", counts: [0, 0], regionShares: [0.5, 0.5], schoolName: "Школа", regionName: "Регион",
                                 scoreLabel: "балл", format: RU.percent, noData: "Нет данных").svg()
        #expect(try parseSVG(svg).texts.contains("Нет данных"))
    }
}
