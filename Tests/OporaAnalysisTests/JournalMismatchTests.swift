import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// `journal_mismatch` as one test of «marks raised to the journal mark»: fewer «понизили» and the
/// lowered students found at the boundary of their journal mark.
@Suite("journal_mismatch: «понизили» and the boundary of the journal mark")
struct JournalMismatchTests {
    /// ВПР scores 0–25 with mark boundaries 3: 10, 4: 15, 5: 20. A school's students have abilities
    /// around `level`; journal marks are the honest mark, one above it a quarter of the time.
    /// `raise`: the school adds the points that bring a lowered student exactly to the journal mark.
    static func school(_ id: String, level: Double, n: Int, raise: Bool, seed: UInt64) -> [StudentResult] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        func mark(_ score: Int) -> Int { score >= 20 ? 5 : score >= 15 ? 4 : score >= 10 ? 3 : 2 }
        var out: [StudentResult] = []
        for subject in ["math", "russian"] {
            let p = Procedure(year: 2025, assessment: .vpr, subject: subject, grade: 5)
            for i in 0..<n {
                let ability = level + (uniform() - 0.5) * 0.6
                var score = (0..<25).reduce(0) { s, _ in s + (uniform() < ability ? 1 : 0) }
                let honest = mark(score)
                let u = uniform()
                let journal = min(5, max(2, honest + (u < 0.05 ? -1 : u < 0.75 ? 0 : 1)))
                if raise && journal > honest { score = [10, 15, 20][journal - 3] }
                out.append(StudentResult(procedure: p, schoolID: id, participant: "\(id)-\(subject)-\(i)",
                                         score: Double(score), mark: mark(score), journalMark: journal))
            }
        }
        return out
    }

    @Test func raisedToTheJournalMarkIsASignAndHonestSchoolsAreNot() throws {
        var results: [StudentResult] = []
        var schools: [School] = []
        for k in 0..<60 {
            let id = String(format: "%03d", k)
            // School 000 raises marks; its level is middling, as is most schools'.
            results += Self.school(id, level: 0.35 + 0.4 * Double(k % 10) / 10, n: 30, raise: k == 0, seed: UInt64(k + 1))
            schools.append(School(id: id, name: "Школа \(id)", municipality: "район", region: "область",
                                  settlement: .urban, kind: .general, students: 300))
        }
        let data = AnalysisData(schools: schools, indicators: [], tasks: [], results: results, aggregates: [])
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
