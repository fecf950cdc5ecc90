import Foundation
import OporaAnalysis
import OporaStore
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
            IndicatorValue(year: 2025, schoolID: "0101", indicator: "non_native_share", value: 0.12),
            IndicatorValue(year: 2025, schoolID: "0101", indicator: "computers_per_100_students", value: 12),
        ]
        let data = AnalysisData(schools: [school], indicators: indicators, tasks: [], results: results, aggregates: [])
        let snapshot = AnalysisSnapshot(version: 1, loaded: LoadedAnalysis(data: data, digest: DataDigest()))
        let s = RiskSuggestions.suggest(schoolID: "0101", snapshot: snapshot)
        #expect(s[.studentsAtRisk]?.level == .high && s[.studentsAtRisk]?.reason.ru.contains("30,0% (порог ≥ 15,0%)") == true)
        #expect(s[.staffShortage]?.level == .high)  // vacancies 10% and 40% of retirement age
        #expect(s[.staffShortage]?.reason.ru.contains("Доля педагогов пенсионного возраста — 40,0% (порог ≥ 35,0%)") == true)
        #expect(s[.languageBarriers]?.level == .medium)  // 12% ≥ 10%
        #expect(s[.lowEquipment]?.level == .low && s[.lowEquipment]?.reason.en.contains("Computers per 100 students — 12 (threshold < 10)") == true)
        // «2» are an indirect sign of teaching problems; adaptivity needs the disability share for «high», so the «2» alone say medium.
        #expect(s[.teacherCompetence]?.level == .high && s[.lowAdaptivity]?.level == .medium)
        #expect(s[.studentsAtRisk]?.justification.ru.isEmpty == false)
        #expect(s[.lowMotivation] == nil && s[.lowParentInvolvement] == nil && s[.schoolEnvironment] == nil)
        #expect(RiskSuggestions.suggest(schoolID: "nope", snapshot: snapshot).isEmpty)
    }
}

@Suite("Indicators computed from data")
struct ComputedIndicatorTests {
    @Test func aSchoolsAndAMunicipalitysSharesByYear() {
        let schools = ["0101", "0102"].map { School(id: $0, name: $0, municipality: "М", region: "Р", settlement: .urban, kind: .general, students: 100) }
        var results: [StudentResult] = []
        for (year, fails) in [(2024, 4), (2025, 2)] {
            let p = Procedure(year: year, assessment: .vpr, subject: "math", grade: 5)
            for i in 0..<10 {
                results.append(StudentResult(procedure: p, schoolID: "0101", participant: "a\(year)\(i)", score: 5, mark: i < fails ? 2 : 4, journalMark: i < 5 ? 4 : 5))
                results.append(StudentResult(procedure: p, schoolID: "0102", participant: "b\(year)\(i)", score: 9, mark: 5, journalMark: 5))
            }
        }
        let data = AnalysisData(schools: schools, indicators: [], tasks: [], results: results, aggregates: [])
        let snapshot = AnalysisSnapshot(version: 1, loaded: LoadedAnalysis(data: data, digest: DataDigest()))
        let own = ComputedIndicators.values("vpr_fail_share", owner: .school("0101"), snapshot: snapshot)
        #expect(own.map(\.period) == ["2024", "2025"] && own.map(\.value) == [0.4, 0.2])
        #expect(ComputedIndicators.values("vpr_fail_share", owner: .municipality("М"), snapshot: snapshot).map(\.value) == [0.2, 0.1])
        // 0101 in 2025: marks 2,2,4×8 against journal 4×5,5×5 → confirmed where mark == journal: the 4s with journal 4 (i = 2, 3, 4).
        #expect(ComputedIndicators.values("journal_confirmed_share", owner: .school("0101"), snapshot: snapshot).last?.value == 0.3)
        #expect(ComputedIndicators.values("staff_trained_count", owner: .school("0101"), snapshot: snapshot).isEmpty)
        let registry = [RegistryEntry(schoolID: "0101", category: .lowResults, reason: "r", startDate: "2025-09-01", coordinator: "c")]
        #expect(ComputedIndicators.values("schools_in_programme_share", owner: .municipality("М"), snapshot: snapshot, registry: registry).map(\.value) == [0.5])
    }
}
