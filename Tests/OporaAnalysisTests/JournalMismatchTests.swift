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

    @Test("the Bayes factor finds marks raised in one procedure of two, names it, and gives its counts and corrected p")
    func bayesFactorNamesTheProcedure() throws {
        // School 000 raises the lowered students of its mathematics only (its first 30 students); its
        // Russian is honest.
        var student = 0
        let (data, _) = SmallVPRRegion.make(lowerShare: 0.05) { score, honest, journal in
            defer { student += 1 }
            return (student < 30 && journal > honest ? SmallVPRRegion.boundaries[journal - 3] : score, journal)
        }
        let result = Identification.run(data: data, rules: .default, year: 2025)
        #expect(result.schools(flaggedBy: "journal_mismatch") == ["000"])
        let flag = try #require(result.schools.first { $0.schoolID == "000" }?.flags.first { $0.criterion == "journal_mismatch" })
        #expect(flag.textRU.contains("Байесов фактор"))
        #expect(flag.textRU.contains("с поправкой на множественность"))
        #expect(flag.textEN.contains("Bayes factor"))
        #expect(flag.procedures == [Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5).description])
        // Flagged by the factor alone: the flag's q is that route's, within `fdr_q`.
        #expect(flag.qValue! <= 0.05)
        // Without it, the test pooled over both procedures misses the school: the honest Russian
        // dilutes the mathematics.
        #expect(Identification.run(data: data, rules: .defaultWith("journal_mismatch", "bayes_factor", 0), year: 2025).schools(flaggedBy: "journal_mismatch").isEmpty)
    }

    @Test("evidence from the year before alone never flags the analysis year")
    func earlierYearsAloneDoNotFlag() throws {
        let raise: (Int, Int, Int) -> (score: Int, journal: Int) = { score, honest, journal in
            (journal > honest ? SmallVPRRegion.boundaries[journal - 3] : score, journal)
        }
        let (data, _) = SmallVPRRegion.make(lowerShare: 0.05, years: [2024, 2025], practiceYears: [2024], practice: raise)
        let before = Identification.run(data: data, rules: .default, year: 2024)
        #expect(before.schools(flaggedBy: "journal_mismatch") == ["000"])
        #expect(Identification.run(data: data, rules: .default, year: 2025).schools(flaggedBy: "journal_mismatch").isEmpty)
    }
}
