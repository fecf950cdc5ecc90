import Foundation
import Testing
@testable import OporaWeb

@Suite("Chart primitives")
struct ChartSVGTests {
    @Test func escapeNeutralisesMarkupAndDropsForbiddenCharacters() throws {
        #expect(ChartSVG.escape(maliciousLabel) == maliciousEscaped)
        #expect(ChartSVG.escape("Школа № 5 «Лицей»\t\n") == "Школа № 5 «Лицей»\t\n")
        let parsed = try parseSVG(ChartSVG.empty(id: "e", title: maliciousLabel, noData: "Нет данных"))
        #expect(parsed.all("title").first?.text == maliciousParsed)
        #expect(parsed.texts.contains(maliciousParsed))
    }

    @Test func idsAreMadeSafe() {
        #expect(ChartSVG.safeID("trend") == "trend")
        #expect(ChartSVG.safeID("my chart\"><x") == "my_chart___x")
        #expect(ChartSVG.safeID("2024-marks") == "c2024-marks")
        #expect(ChartSVG.safeID("") == "c")
    }

    @Test func coordinatesHaveAtMostOneDecimalAndAPoint() {
        #expect(ChartSVG.n(1.25) == "1.3")
        #expect(ChartSVG.n(3) == "3")
        #expect(ChartSVG.n(-2.46) == "-2.5")
        #expect(ChartSVG.n(-0.04) == "0")
        #expect(ChartSVG.n(1234.56) == "1234.6")
        #expect(ChartSVG.n(.nan) == "0" && ChartSVG.n(.infinity) == "0")
        #expect(ChartSVG.n(1e300) == "1000000000")
    }

    @Test func niceTicks() {
        #expect(ChartSVG.ticks(0, 97) == [0, 20, 40, 60, 80, 100])
        #expect(ChartSVG.ticks(0, 0.33, count: 4) == [0, 0.1, 0.2, 0.3, 0.4])
        #expect(ChartSVG.ticks(0, 1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(ChartSVG.ticks(-3.2, 4.1) == [-4, -2, 0, 2, 4, 6])
        #expect(ChartSVG.ticks(97, 0) == [0, 20, 40, 60, 80, 100])
        #expect(ChartSVG.ticks(0, 12_345) == [0, 5_000, 10_000, 15_000])
        let flat = ChartSVG.ticks(5, 5)
        #expect(flat.count >= 2 && flat.first! < 5 && flat.last! > 5)
        #expect(ChartSVG.ticks(.nan, 1) == [0, 1])
    }

    @Test func textFitting() {
        let long = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»"
        let short = ChartSVG.truncate(long, width: 120, size: 11)
        #expect(short.hasSuffix("…") && ChartSVG.textWidth(short, size: 11) <= 120)
        #expect(ChartSVG.truncate("Школа", width: 120, size: 11) == "Школа")
        let lines = ChartSVG.wrap(long, width: 150, size: 11)
        #expect(lines.count == 2 && lines[1].hasSuffix("…"))
    }

    @Test func legendWrapsAndPatternsAreUnique() throws {
        let items = (0..<8).map { ChartLegendItem(label: "Категория номер \($0)", swatch: .box(fill: "#0072B2", stroke: nil)) }
        let legend = ChartSVG.legend(items, x: 0, y: 0, width: 300)
        #expect(legend.height >= 60)
        let defs = ChartSVG.patternDefs("a", colors: ChartSVG.orderedFills)
        #expect(defs.components(separatedBy: "<pattern ").count - 1 == 6)
        #expect(defs.contains("id=\"a-fill0\"") && defs.contains("id=\"a-fill5\""))
    }

    @Test func paletteContrast() throws {
        // Text colours: AA for normal text; line colours of the first four series: 3:1 (graphics).
        for c in [ChartSVG.ink, ChartSVG.muted, ChartSVG.alert] { #expect(try #require(contrastOnWhite(c)) >= 4.5, "\(c)") }
        for c in ChartSVG.lineColors.prefix(4) { #expect(try #require(contrastOnWhite(c)) >= 3, "\(c)") }
        for b in ChartBand.allCases { #expect(try #require(contrastOnWhite(b.color)) >= 3, "\(b)") }
    }

    @Test func emptyChart() throws {
        let svg = ChartSVG.empty(id: "x", title: "Динамика", noData: "Нет данных")
        let parsed = try checkCommon(svg, id: "x")
        #expect(parsed.texts.contains("Нет данных") && parsed.description == "Нет данных")
    }
}
