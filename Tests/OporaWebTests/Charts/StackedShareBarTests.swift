import Foundation
import Testing
@testable import OporaWeb

@Suite("StackedShareBar")
struct StackedShareBarTests {
    static func marks(id: String = "marks") -> StackedShareBar {
        StackedShareBar(id: id, title: "Распределение отметок", segments: ["«2»", "«3»", "«4»", "«5»"], rows: [
            .init(label: "Школа", shares: [0.02, 0.38, 0.4, 0.2]),
            .init(label: "Регион", shares: [0.08, 0.42, 0.35, 0.15]),
        ], format: RU.percent, noData: "Нет данных")
    }

    @Test func segmentsPatternsAndLabelsInside() throws {
        let parsed = try checkCommon(Self.marks().svg(), id: "marks")
        #expect(parsed.withClass("row", "g").count == 2)
        #expect(parsed.withClass("segment", "g").count == 8)
        let patterns = parsed.all("pattern")
        #expect(patterns.count == 4 && Set(patterns.compactMap { $0.attributes["id"] }).count == 4)
        let fills = parsed.withClass("segment", "g").isEmpty ? [] : parsed.all("rect").compactMap { $0.attributes["fill"] }.filter { $0.hasPrefix("url(") }
        #expect(Set(fills).count == 4)
        // Wide segments carry their share; the 2% one is too narrow (still in the description).
        #expect(parsed.texts.contains("38\u{202F}%") && parsed.texts.contains("15\u{202F}%"))
        #expect(!parsed.texts.contains("2\u{202F}%"))
        #expect(parsed.description.contains("Школа: «2» 2\u{202F}%, «3» 38\u{202F}%"))
        #expect(["«2»", "«3»", "«4»", "«5»", "Школа", "Регион"].allSatisfy(parsed.texts.contains))
    }

    @Test func twoChartsOnOnePageShareNoIds() throws {
        let a = try parseSVG(Self.marks(id: "marks-2024").svg()), b = try parseSVG(Self.marks(id: "marks-2025").svg())
        let idsA = Set(a.nodes.compactMap { $0.attributes["id"] }), idsB = Set(b.nodes.compactMap { $0.attributes["id"] })
        #expect(!idsA.isEmpty && idsA.isDisjoint(with: idsB))
    }

    @Test func callerColoursAndLabelsAreEscaped() throws {
        var chart = Self.marks(id: "bad id\"")
        chart.colors = ["#D55E00\" onload=\"alert(1)", "#0072B2"]
        chart.rows[0].label = maliciousLabel
        let svg = chart.svg()
        #expect(!svg.contains("\" onload=") && svg.contains(maliciousEscaped))
        let parsed = try checkCommon(svg, id: "bad id\"")
        #expect(parsed.nodes.allSatisfy { $0.attributes["onload"] == nil })
        #expect(parsed.texts.contains(maliciousParsed))
    }

    @Test func journalRowsWithoutDataAndEmpty() throws {
        let svg = StackedShareBar(id: "journal", title: "ВПР и журнал", segments: ["понизили", "подтвердили", "повысили"], rows: [
            .init(label: "Школа", shares: [0.1, 0.85, .nan]), .init(label: "Регион", shares: [0, 0]),
        ], format: RU.percent, noData: "Нет данных").svg()
        let parsed = try checkCommon(svg, id: "journal")
        #expect(parsed.withClass("segment", "g").count == 2)
        #expect(parsed.texts.contains("—") && parsed.description.contains("повысили —"))
        let empty = StackedShareBar(id: "e", title: "Отметки", segments: [], rows: [], format: RU.percent, noData: "Нет данных").svg()
        #expect(try parseSVG(empty).texts.contains("Нет данных"))
    }
}
