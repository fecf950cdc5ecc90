import Foundation
import Testing
@testable import OporaWeb

@Suite("CaterpillarChart")
struct CaterpillarChartTests {
    static func schools(_ n: Int) -> [CaterpillarChart.School] {
        (0..<n).map { i in
            // A deterministic spread of estimates around zero.
            let e = (Double((i * 37) % n) - Double(n) / 2) / Double(n) * 8
            let band: ChartBand = e + 1.5 < 0 ? .below : (e - 1.5 > 0 ? .above : .expected)
            return .init(id: "s\(i)", name: "Школа № \(i)", estimate: e, low: e - 1.5, high: e + 1.5, band: band)
        }
    }

    static func chart(_ n: Int, highlight: String? = "s3") -> CaterpillarChart {
        CaterpillarChart(id: "va", title: "Добавленная ценность", schools: schools(n), highlight: highlight,
                         axisLabel: "баллы относительно ожидаемого", format: { RU.number($0) }, noData: "Нет данных",
                         rankLabel: "школы по возрастанию оценки", bandLabels: [.below: "ниже ожидаемого", .expected: "как ожидалось", .above: "выше ожидаемого"])
    }

    @Test func namedListUpToForty() throws {
        let svg = Self.chart(12).svg()
        let parsed = try checkCommon(svg, id: "va")
        #expect(parsed.root.classes == ["chart", "chart-caterpillar"])
        let rows = parsed.withClass("school", "g")
        #expect(rows.count == 12)
        // Highest estimate first.
        let names = parsed.all("text").map(\.text).filter { $0.hasPrefix("Школа № ") }
        let best = Self.schools(12).max { $0.estimate < $1.estimate }!
        #expect(names.count == 12 && names.first == best.name)
        let highlighted = parsed.withClass("highlight", "g")
        #expect(highlighted.count == 1)
        #expect(parsed.nodes.contains { $0.name == "text" && $0.text == "Школа № 3" && $0.attributes["font-weight"] == "bold" })
        #expect(parsed.description.contains("Школа № 3: "))
        for label in ["ниже ожидаемого", "как ожидалось", "выше ожидаемого", "баллы относительно ожидаемого", "0,0"] {
            #expect(parsed.texts.contains(label), "\(label)")
        }
        // Shapes by band: triangles (paths) for below/above, circles for expected.
        let below = try #require(parsed.withClass("below", "g").first)
        #expect(below.classes.contains("school"))
        #expect(svg.contains("<circle"))
        #expect(Self.chart(40).svg().contains("chart-caterpillar\""))
    }

    @Test func compactCaterpillarAboveForty() throws {
        let svg = Self.chart(300, highlight: "s150").svg()
        let parsed = try checkCommon(svg, id: "va")
        #expect(parsed.root.classes.contains("compact"))
        #expect(parsed.withClass("school", "g").count == 300)
        #expect(parsed.withClass("highlight", "g").count == 1)
        // Only the highlighted school is named on the chart (the others in hover tooltips).
        let named = parsed.texts.filter { $0.contains("Школа № ") }
        #expect(named.count == 1 && named[0].hasPrefix("Школа № 150: "))
        #expect(parsed.texts.contains("1") && parsed.texts.contains("300") && parsed.texts.contains("школы по возрастанию оценки"))
        #expect(svg.utf8.count < 150_000)
        #expect(Self.chart(41).svg().contains("compact"))
    }

    @Test func skipsNonFiniteAndToleratesMissingHighlight() throws {
        var schools = Self.schools(5)
        schools.append(.init(id: "bad", name: "Битая", estimate: .nan, low: 0, high: 1, band: .expected))
        schools.append(.init(id: "open", name: "Без интервала", estimate: 1, low: nil, high: .infinity, band: "not_enough_data"))
        let svg = CaterpillarChart(id: "va", title: "ДЦ", schools: schools, highlight: "nope", format: { RU.number($0) }, noData: "нет").svg()
        let parsed = try checkCommon(svg, id: "va")
        #expect(parsed.withClass("school", "g").count == 6)
        #expect(parsed.withClass("unknown", "g").count == 1)
        #expect(parsed.withClass("highlight").isEmpty)
        #expect(!parsed.texts.contains("Битая"))
    }

    @Test func empty() throws {
        let svg = CaterpillarChart(id: "e", title: "ДЦ", schools: [], format: { RU.number($0) }, noData: "Нет данных").svg()
        #expect(try parseSVG(svg).texts.contains("Нет данных"))
    }
}
