import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

@Suite("Programme templates")
struct ProgrammeTemplateTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func everyTemplateOfTheFolderIsEmbeddedAndParses() throws {
        let folder = Self.repository.appendingPathComponent("catalogue/programmes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(EmbeddedTemplates.files.map(\.name) == files, "run scripts/embed_templates.py")
        for (name, text) in EmbeddedTemplates.files {
            #expect(text == (try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)), "\(name) changed: run scripts/embed_templates.py")
            #expect(throws: Never.self, "\(name)") { _ = try ProgrammeTemplates.parse(text) }
        }
        #expect(ProgrammeTemplates.all.count == files.count)
        // One anti-risk programme per risk factor, and the seeds' municipal roadmaps.
        #expect(Set(ProgrammeTemplates.all.compactMap(\.riskFactor)) == Set(RiskFactor.allCases))
        #expect(ProgrammeTemplates.all.filter { $0.level == "municipality" }.count >= 3)
    }

    @Test func aDraftMovesTheSeedsDatesToTheStartYearAndLinksIndicators() throws {
        let template = try #require(ProgrammeTemplates.find("seed-000-municipal-roadmap"))
        let start = Day("2026-09-01")!
        let draft = template.draft(owner: .municipality("Лебедянский район"), start: start)
        #expect(draft.programme.templateID == template.id && draft.programme.kind == template.kind)
        #expect(draft.measures.count == template.measures.count && draft.indicators.count == template.indicators.count)
        let years = draft.measures.compactMap { if case .date(let d) = $0.measure.deadline { d.year } else { nil } }
        let earliest = try #require(draft.measures.compactMap { if case .date(let d) = $0.measure.deadline { d } else { nil } }.min())
        #expect(earliest >= start && earliest < start.adding(months: 12))
        #expect(years.min()! >= 2026)
        #expect(draft.measures.allSatisfy { !$0.measure.responsible.isEmpty && !$0.measure.title.isEmpty })
        #expect(draft.measures.allSatisfy { $0.indicator.map { draft.indicators.indices.contains($0) } ?? true })
        let relative = ProgrammeTemplate(id: "t", titleRU: "t", titleEN: "t", level: "school", kind: .roadmap, riskFactor: nil, source: "",
                                         goalsRU: [], tasksRU: [], indicators: [],
                                         measures: [.init(section: .staff, titleRU: "x", titleEN: "x", deadline: .monthsAfterStart(3),
                                                          responsibleRU: "r", responsibleEN: "r", expectedRU: "", expectedEN: "", indicator: nil)])
        #expect(relative.draft(owner: .school("0101"), start: start).measures[0].measure.deadline == .date(Day("2026-12-01")!))
    }

    @Test func aBrokenTemplateIsRefusedWithItsReason() {
        #expect(throws: TemplateError.self) { _ = try ProgrammeTemplates.parse("id: x\nkind: nonsense\n") }
        #expect(throws: TemplateError.self) {
            _ = try ProgrammeTemplates.parse("""
                id: x
                title_ru: x
                title_en: x
                level: school
                kind: roadmap
                measures:
                - section: staff
                  title_ru: x
                  deadline: {}
                """)
        }
    }
}

@Suite("Self-diagnosis catalogue")
struct SelfDiagnosisCatalogueTests {
    @Test func theSeedsDiagnosisHasItsAreasItemsAndSWOT() {
        let c = SelfDiagnosisCatalogue.standard
        #expect(c.areas.count == 7 && c.itemCodes.count == 27)
        #expect(c.swot.map(\.code) == ["strengths", "weaknesses", "opportunities", "threats"])
        #expect(c.areas.allSatisfy { !$0.title.ru.isEmpty && $0.items.allSatisfy { !$0.name.ru.isEmpty && !$0.name.en.isEmpty } })
    }
}
