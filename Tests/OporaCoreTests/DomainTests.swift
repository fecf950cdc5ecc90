import OporaCore
import Testing

@Suite("Domain types")
struct DomainTests {
    @Test func taskLevelsAcceptFISOKOLetters() {
        #expect(TaskLevel(parsing: "Б") == .basic)
        #expect(TaskLevel(parsing: " п ") == .advanced)
        #expect(TaskLevel(parsing: "В") == .high)
        #expect(TaskLevel(parsing: "advanced") == .advanced)
        #expect(TaskLevel(parsing: "hard") == nil)
    }

    @Test func procedureOrderAndDescription() {
        let a = Procedure(year: 2024, assessment: .vpr, subject: "math", grade: 5)
        let b = Procedure(year: 2025, assessment: .oge, subject: "math", grade: 9)
        #expect(a < b)
        #expect(a.description == "vpr:math:5:2024")
        #expect(!Assessment.ege.hasMarks)
        #expect(Assessment("regional") == .regional)
    }

    @Test func catalogueKnowsStandardCodesAndKeepsUnknownOnes() {
        #expect(IndicatorCatalogue.definition(of: "low_income_share")?.category == .social)
        #expect(IndicatorCatalogue.definition(of: "low_income_share")?.validRange == 0...1)
        #expect(IndicatorCatalogue.category(of: "teacher_vacancies") == .staff)
        #expect(IndicatorCatalogue.category(of: "computers_per_100_students") == .material)
        #expect(IndicatorCatalogue.category(of: "my_own_code") == .other)
        #expect(Set(IndicatorCatalogue.standard.map(\.code)).count == IndicatorCatalogue.standard.count)
    }
}
