import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import OporaWeb

/// The SVG charts: well-formed XML, escaped text, coordinates with a point, the right number of marks.
@Suite("Charts")
struct ChartTests {
    final class Counter: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var texts: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements[name, default: 0] += 1
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
    }

    static func parse(_ svg: String) throws -> Counter {
        let counter = Counter()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = counter
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        return counter
    }

    static func percent(_ v: Double) -> String { String(Int((v * 100).rounded())) + "%" }

    @Test func niceTicks() {
        #expect(ChartSVG.ticks(0, 97) == [0, 20, 40, 60, 80, 100])
        #expect(ChartSVG.ticks(0, 0.33, count: 4) == [0, 0.1, 0.2, 0.3, 0.4])
        #expect(ChartSVG.n(1.25) == "1.3" && ChartSVG.n(3) == "3" && ChartSVG.n(.nan) == "0")
    }

    @Test func aLineChartEscapesLabelsAndBreaksAtMissingPoints() throws {
        let svg = LineChart(id: "t", title: "Школа <script>", series: [
            .init(name: "A & B", points: [.init(x: "2023", y: 0.1, low: 0.05, high: 0.2), .init(x: "2024", y: nil), .init(x: "2025", y: 0.3)]),
            .init(name: "Регион", points: [.init(x: "2023", y: 0.1), .init(x: "2024", y: 0.12), .init(x: "2025", y: 0.11)]),
        ], yDomain: nil, format: Self.percent, noData: "нет").svg()
        let parsed = try Self.parse(svg)
        #expect(svg.contains("Школа &lt;script&gt;") && !svg.contains("<script>") && svg.contains("A &amp; B"))
        // The school's line breaks at 2024: two single-point "M" segments, one path with "M…M".
        #expect(svg.contains("role=\"img\"") && parsed.elements["title"] == 1 && parsed.elements["desc"] == 1)
        let coordinates = svg.matches(of: /\s(?:x|y|x1|y1|x2|y2|cx|cy|width|height)="([^"]*)"/).map { String($0.1) }
        #expect(!coordinates.isEmpty && coordinates.allSatisfy { !$0.contains(",") }, "\(coordinates.filter { $0.contains(",") })")
        #expect(parsed.texts.contains("10%"))
    }

    @Test func barsHistogramTasksAndCaterpillar() throws {
        let bars = CountsByYearChart(id: "c", title: "По годам", years: ["2024", "2025"],
                                     categories: [.init(name: "низкие", counts: [3, 5]), .init(name: "соц.", counts: [1, 0])],
                                     format: { String(Int($0)) }, noData: "нет").svg()
        #expect(try Self.parse(bars).elements["rect"] == 4 + 2)  // four bars, two legend keys
        let stacked = StackedShareBar(id: "s", title: "Отметки", segments: ["«2»", "«3»", "«4»", "«5»"],
                                      rows: [.init(label: "Школа", shares: [0.4, 0.3, 0.2, 0.1])], format: Self.percent, noData: "нет").svg()
        #expect(try Self.parse(stacked).texts.contains("40%"))
        let histogram = HistogramChart(id: "h", title: "Баллы", counts: [0, 2, 6, 2], regionShares: [0.1, 0.2, 0.4, 0.3],
                                       boundaries: [(2, "«3»")], schoolName: "Школа", regionName: "Регион", scoreLabel: "балл",
                                       format: Self.percent, noData: "нет").svg()
        #expect(try Self.parse(histogram).elements["rect"] == 3 + 1)
        let tasks = TaskCompletionChart(id: "k", title: "Задания", tasks: [
            .init(code: "1", level: "Б", school: 0.9, region: 0.85), .init(code: "2", level: "П", school: 0.2, region: 0.6)],
            schoolName: "Школа", regionName: "Регион", format: Self.percent, noData: "нет").svg()
        let parsedTasks = try Self.parse(tasks)
        #expect(parsedTasks.texts.contains { $0.contains("▼") } && parsedTasks.texts.filter { $0.contains("▼") }.count == 1)
        var schools: [CaterpillarChart.School] = []
        for i in 0..<12 {
            let band = i < 2 ? "below" : (i > 9 ? "above" : "expected")
            let e = Double(i) - 6
            schools.append(CaterpillarChart.School(id: "s\(i)", name: "Школа \(i)", estimate: e, low: e - 2, high: e + 2, band: band))
        }
        let caterpillar = CaterpillarChart(id: "v", title: "ДЦ", schools: schools, highlight: "s3", axisLabel: "баллы", format: { String($0) }, noData: "нет").svg()
        let parsedCaterpillar = try Self.parse(caterpillar)
        #expect(parsedCaterpillar.texts.contains("Школа 3") && parsedCaterpillar.elements["line"]! >= 12)
        #expect(CaterpillarChart(id: "e", title: "ДЦ", schools: [], highlight: nil, axisLabel: "", format: { String($0) }, noData: "нет данных").svg().contains("нет данных"))
    }
}
