import Foundation
import Testing
@testable import OporaWeb

@Suite("TaskCompletionChart")
struct TaskCompletionChartTests {
    static let tasks: [TaskCompletionChart.Task] = [
        .init(code: "1", level: "Б", school: 0.90, region: 0.85),
        .init(code: "2", level: "Б", school: 0.40, region: 0.60),   // −20: marked
        .init(code: "9.1", level: "П", school: 0.45, region: 0.60), // exactly −15: marked
        .init(code: "9.2", level: "В", school: 0.30, region: 0.38), // −8
        .init(code: "10", level: nil, school: 0.2, region: nil),
        .init(code: "11", level: "В", school: nil, region: 0.5),
    ]

    static func chart(threshold: Double = -0.15) -> TaskCompletionChart {
        TaskCompletionChart(id: "tasks", title: "Выполнение заданий", tasks: tasks, schoolName: "Школа", regionName: "Регион",
                            gapThreshold: threshold, format: RU.percent, noData: "Нет данных", weakLabel: "ниже региона на 15 п. и более")
    }

    @Test func barsTicksAndMarkedTasks() throws {
        let parsed = try checkCommon(Self.chart().svg(), id: "tasks")
        #expect(parsed.withClass("task", "g").count == 6)
        #expect(parsed.withClass("school", "rect").count == 5)
        #expect(parsed.withClass("region", "g").count == 5)
        let weak = parsed.withClass("weak", "g")
        #expect(weak.count == 2)
        #expect(parsed.texts.filter { $0.hasPrefix("▼") } == ["▼ \u{2212}20\u{202F}%", "▼ \u{2212}15\u{202F}%"])
        for label in ["9.1", "П", "В", "ниже региона на 15 п. и более", "45\u{202F}%", "—", "100\u{202F}%"] {
            #expect(parsed.texts.contains(label), "\(label)")
        }
        #expect(parsed.description.contains("9.1 (П): Школа 45\u{202F}%, Регион 60\u{202F}%"))
        #expect(parsed.description.hasSuffix("ниже региона на 15 п. и более: 2, 9.1"))
    }

    @Test func thresholdIsAParameter() throws {
        let strict = try parseSVG(Self.chart(threshold: -0.25).svg())
        #expect(strict.withClass("weak").isEmpty && !strict.texts.contains("ниже региона на 15 п. и более"))
        let loose = try parseSVG(Self.chart(threshold: -0.05).svg())
        #expect(loose.withClass("weak", "g").count == 3)
    }

    @Test func percentDomain() throws {
        let svg = TaskCompletionChart(id: "p", title: "Задания", tasks: [.init(code: "1", school: 55, region: 80)], schoolName: "Школа",
                                      regionName: "Регион", gapThreshold: -15, format: { RU.number($0, digits: 0) + "\u{202F}%" },
                                      noData: "нет", domain: 0...100).svg()
        let parsed = try checkCommon(svg, id: "p")
        #expect(parsed.withClass("weak", "g").count == 1)
        #expect(parsed.texts.contains("100\u{202F}%") && parsed.texts.contains("▼ \u{2212}25\u{202F}%"))
        let bar = try #require(parsed.withClass("school", "rect").first?.attributes["width"].flatMap(Double.init))
        let axis = try #require(parsed.nodes.first { $0.name == "text" && $0.text == "100\u{202F}%" }?.attributes["x"].flatMap(Double.init))
        let zero = try #require(parsed.nodes.first { $0.name == "text" && $0.text == "0\u{202F}%" }?.attributes["x"].flatMap(Double.init))
        #expect(abs(bar - (axis - zero) * 0.55) < 0.5)
    }

    @Test func empty() throws {
        let svg = TaskCompletionChart(id: "e", title: "Задания", tasks: [], schoolName: "Школа", regionName: "Регион",
                                      format: RU.percent, noData: "Нет данных").svg()
        #expect(try parseSVG(svg).texts.contains("Нет данных"))
    }
}
