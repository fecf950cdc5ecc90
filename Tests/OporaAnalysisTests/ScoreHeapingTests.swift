import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// `score_heaping`'s third component: the «повысили» (ВПР mark above the journal mark) exactly at
/// the lowest score of their ВПР mark, where a score pushed over the boundary lands.
@Suite("score_heaping: «повысили» exactly at the boundary")
struct ScoreHeapingTests {
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
