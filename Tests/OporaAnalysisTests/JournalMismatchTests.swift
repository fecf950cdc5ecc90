import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// `journal_mismatch` as one test of «marks raised to the journal mark»: fewer «понизили» and the
/// lowered students found at the boundary of their journal mark.
@Suite("journal_mismatch: «понизили» and the boundary of the journal mark")
struct JournalMismatchTests {
    @Test func raisedToTheJournalMarkIsASignAndHonestSchoolsAreNot() throws {
        // School 000 adds the points that bring a lowered student exactly to the journal mark; its
        // level is middling, as is most schools'.
        let (data, _) = SmallVPRRegion.make(lowerShare: 0.05) { score, honest, journal in
            (journal > honest ? SmallVPRRegion.boundaries[journal - 3] : score, journal)
        }
        let result = Identification.run(data: data, rules: .default, year: 2025)
        #expect(result.schools(flaggedBy: "journal_mismatch") == ["000"])
        let flag = try #require(result.schools.first { $0.schoolID == "000" }?.flags.first { $0.criterion == "journal_mismatch" })
        // Every lowered student was raised: the estimated share is near one, and the sentence gives
        // the counts a director can check (students at the boundary of their journal mark).
        #expect(flag.effect! > 0.6)
        #expect(flag.textRU.contains("Ровно на границе своей журнальной отметки или на балл выше"))
        #expect(flag.textEN.contains("Exactly at the boundary of their journal mark or 1 point above"))
        #expect(flag.n == 60)
    }
}
