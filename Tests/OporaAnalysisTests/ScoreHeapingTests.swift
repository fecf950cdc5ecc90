import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// `score_heaping`'s third component: the «повысили» (ВПР mark above the journal mark) exactly at
/// the lowest score of their ВПР mark, where a score pushed over the boundary lands; and its Bayes
/// factor, cell by cell.
@Suite("score_heaping: «повысили» exactly at the boundary")
struct ScoreHeapingTests {
    /// School 000 pushes onto the boundary some of the scores 1–2 points below it in its mathematics
    /// only (its first 30 students): those `pushed(k)` selects among them, k counting them.
    static func pushInMathematics(years: [Int] = [2025], practiceYears: Set<Int>? = nil,
                                  _ pushed: @escaping (Int) -> Bool) -> (data: AnalysisData, results: [StudentResult]) {
        var student = 0, below = 0
        return SmallVPRRegion.make(lowerShare: 0.07, years: years, practiceYears: practiceYears) { score, _, journal in
            defer { student += 1 }
            guard student % 60 < 30, let b = SmallVPRRegion.boundaries.first(where: { score < $0 && score >= $0 - 2 }) else { return (score, journal) }
            defer { below += 1 }
            return (pushed(below) ? b : score, journal)
        }
    }

    @Test("the Bayes factor finds scores pushed in one procedure of two, names it, and gives its counts and corrected p")
    func bayesFactorNamesTheProcedure() throws {
        // Eight of the scores 1–2 points below a boundary pushed onto it.
        let (data, results) = Self.pushInMathematics { $0 < 8 }
        let result = Identification.run(data: data, rules: .default, year: 2025)
        #expect(result.schools(flaggedBy: "score_heaping") == ["000"])
        let flag = try #require(result.schools.first { $0.schoolID == "000" }?.flags.first { $0.criterion == "score_heaping" })
        #expect(flag.procedures == [Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5).description])
        #expect(flag.qValue! <= 0.05)
        // The counts a director can check in the school's own mathematics: scores at a boundary or up
        // to 2 below it, those exactly at it, and the «повысили» among them.
        let math = results.filter { $0.schoolID == "000" && $0.procedure.subject == "math" }
        let window = math.filter { r in SmallVPRRegion.boundaries.contains { Int(r.score!) <= $0 && Int(r.score!) >= $0 - 2 } }
        let at = window.filter { SmallVPRRegion.boundaries.contains(Int($0.score!)) }
        let raised = at.filter { $0.mark! > $0.journalMark! }
        #expect(at.count >= 8)
        #expect(flag.textRU.contains("ВПР, математика, 5 класс: ровно на границе \(at.count) из \(window.count) при ожидаемых"))
        #expect(flag.textRU.contains("из них «повысили» \(raised.count) при ожидаемых"))
        #expect(flag.textRU.contains("Байесов фактор"))
        #expect(flag.textRU.contains("дотянули до границы"))
        #expect(flag.textEN.contains("exactly at the boundary \(at.count) of \(window.count)"))
        #expect(flag.textEN.contains("were pushed onto it"))
        // Without it, the test pooled over both procedures and its three components misses the school.
        #expect(Identification.run(data: data, rules: .defaultWith("score_heaping", "bayes_factor", 0), year: 2025).schools(flaggedBy: "score_heaping").isEmpty)
    }

    @Test("scores pushed the year before alone never flag the analysis year")
    func earlierYearsAloneDoNotFlag() throws {
        let (data, _) = Self.pushInMathematics(years: [2024, 2025], practiceYears: [2024]) { _ in true }
        #expect(Identification.run(data: data, rules: .default, year: 2024).schools(flaggedBy: "score_heaping") == ["000"])
        #expect(Identification.run(data: data, rules: .default, year: 2025).schools(flaggedBy: "score_heaping").isEmpty)
    }

    @Test func aMarkPushedAboveTheJournalIsASignAndHonestSchoolsAreNot() throws {
        // School 000 raises a score 1–2 points below a boundary to it; the journal keeps the honest mark.
        let (data, results) = SmallVPRRegion.make(lowerShare: 0.07) { score, _, journal in
            (SmallVPRRegion.boundaries.first { score < $0 && score >= $0 - 2 } ?? score, journal)
        }
        let result = Identification.run(data: data, rules: .default, year: 2025)
        #expect(result.schools(flaggedBy: "score_heaping") == ["000"])
        let flag = try #require(result.schools.first { $0.schoolID == "000" }?.flags.first { $0.criterion == "score_heaping" })
        // The sentence gives the counts a director can check in the school's own results.
        let own = results.filter { $0.schoolID == "000" }
        let raised = own.filter { $0.mark! > $0.journalMark! }
        let atBoundary = raised.filter { SmallVPRRegion.boundaries.contains(Int($0.score!)) }
        #expect(atBoundary.count >= 8)
        #expect(flag.textRU.contains("«повысили», \(raised.count)) ровно на нижней границе своей отметки ВПР \(atBoundary.count) при ожидаемых"))
        #expect(flag.textEN.contains("(\"raised\", \(raised.count)), \(atBoundary.count) scored exactly the lowest score of their VPR mark"))
    }

    @Test("a school whose teachers mark strictly all year has many «повысили», but not at the boundary")
    func strictJournalMarksAreNotASign() throws {
        let (data, results) = SmallVPRRegion.make(lowerShare: 0.07) { score, _, journal in (score, max(2, journal - 1)) }
        // School 000 has several times the «повысили» of the others.
        let raised = results.filter { $0.mark! > $0.journalMark! }
        let own = raised.filter { $0.schoolID == "000" }.count
        #expect(Double(own) >= 3 * Double(raised.count - own) / 59)
        let result = Identification.run(data: data, rules: .default, year: 2025)
        #expect(!result.schools(flaggedBy: "score_heaping").contains("000"))
        let flags = result.schools.first { $0.schoolID == "000" }!.flags.filter { $0.criterion == "score_heaping" }
        #expect(flags.isEmpty)
    }
}
