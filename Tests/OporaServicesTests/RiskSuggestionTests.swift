import Foundation
import OporaAnalysis
import OporaCore
import Testing
@testable import OporaServices

@Suite("Risk levels suggested from data")
struct RiskSuggestionTests {
    @Test func theDataSuggestsWhatItKnowsAndNothingElse() {
        let school = School(id: "0101", name: "СОШ", municipality: "М", region: "Р", settlement: .rural, kind: .general, students: 100)
        let p = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)
        // 6 of 20 got «2»: 30% → high.
        let results = (0..<20).map { StudentResult(procedure: p, schoolID: "0101", participant: "\($0)", score: 10, mark: $0 < 6 ? 2 : 4, journalMark: nil) }
        let indicators = [
            IndicatorValue(year: 2025, schoolID: "0101", indicator: "teachers", value: 20),
            IndicatorValue(year: 2025, schoolID: "0101", indicator: "teacher_vacancies", value: 2),
            IndicatorValue(year: 2025, schoolID: "0101", indicator: "teachers_retirement_age_share", value: 0.4),
            IndicatorValue(year: 2025, schoolID: "0101", indicator: "non_native_share", value: 0.07),
            IndicatorValue(year: 2025, schoolID: "0101", indicator: "computers_per_100_students", value: 12),
        ]
        let data = AnalysisData(schools: [school], indicators: indicators, tasks: [], results: results, aggregates: [])
        let snapshot = AnalysisSnapshot(version: 1, loaded: LoadedAnalysis(data: data, digest: DataDigest()))
        let s = RiskSuggestions.suggest(schoolID: "0101", snapshot: snapshot)
        #expect(s[.studentsAtRisk]?.level == .high && s[.studentsAtRisk]?.reason.ru.contains("30,0%") == true)
        #expect(s[.staffShortage]?.level == .high)  // vacancies 10% and 40% of retirement age
        #expect(s[.languageBarriers]?.level == .medium)
        #expect(s[.lowEquipment]?.level == .low)
        #expect(s[.lowMotivation] == nil && s[.lowParentInvolvement] == nil && s[.schoolEnvironment] == nil)
        #expect(RiskSuggestions.suggest(schoolID: "nope", snapshot: snapshot).isEmpty)
    }
}
