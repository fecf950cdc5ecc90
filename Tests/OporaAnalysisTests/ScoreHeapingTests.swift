import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// `score_heaping`'s third component: the «повысили» (ВПР mark above the journal mark) exactly at
/// the lowest score of their ВПР mark, where a score pushed over the boundary lands.
@Suite("score_heaping: «повысили» exactly at the boundary")
struct ScoreHeapingTests {
    static func mark(_ score: Int) -> Int { score >= 20 ? 5 : score >= 15 ? 4 : score >= 10 ? 3 : 2 }

    /// ВПР scores 0–25 with mark boundaries 3: 10, 4: 15, 5: 20; journal marks are the honest mark,
    /// one above or below it now and then. `push`: a score 1–2 points below a boundary is raised to
    /// it, and the journal keeps the honest mark.
    static func school(_ id: String, level: Double, n: Int, push: Bool, seed: UInt64) -> [StudentResult] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var out: [StudentResult] = []
        for subject in ["math", "russian"] {
            let p = Procedure(year: 2025, assessment: .vpr, subject: subject, grade: 5)
            for i in 0..<n {
                let ability = level + (uniform() - 0.5) * 0.6
                var score = (0..<25).reduce(0) { s, _ in s + (uniform() < ability ? 1 : 0) }
                let u = uniform()
                let journal = min(5, max(2, mark(score) + (u < 0.07 ? -1 : u < 0.75 ? 0 : 1)))
                if push, let b = [10, 15, 20].first(where: { score < $0 && score >= $0 - 2 }) { score = b }
                out.append(StudentResult(procedure: p, schoolID: id, participant: "\(id)-\(subject)-\(i)",
                                         score: Double(score), mark: mark(score), journalMark: journal))
            }
        }
        return out
    }

    @Test func aMarkPushedAboveTheJournalIsASignAndHonestSchoolsAreNot() throws {
        var results: [StudentResult] = []
        var schools: [School] = []
        for k in 0..<60 {
            let id = String(format: "%03d", k)
            results += Self.school(id, level: 0.35 + 0.4 * Double(k % 10) / 10, n: 30, push: k == 0, seed: UInt64(k + 1))
            schools.append(School(id: id, name: "Школа \(id)", municipality: "район", region: "область",
                                  settlement: .urban, kind: .general, students: 300))
        }
        let data = AnalysisData(schools: schools, indicators: [], tasks: [], results: results, aggregates: [])
        let result = Identification.run(data: data, rules: .default, year: 2025)
        #expect(result.schools(flaggedBy: "score_heaping") == ["000"])
        let flag = try #require(result.schools.first { $0.schoolID == "000" }?.flags.first { $0.criterion == "score_heaping" })
        // The sentence gives the counts a director can check in the school's own results.
        let own = results.filter { $0.schoolID == "000" }
        let raised = own.filter { $0.mark! > $0.journalMark! }
        let atBoundary = raised.filter { [10, 15, 20].contains(Int($0.score!)) }
        #expect(atBoundary.count >= 8)
        #expect(flag.textRU.contains("«повысили», \(raised.count)) ровно на нижней границе своей отметки ВПР \(atBoundary.count) при ожидаемых"))
        #expect(flag.textEN.contains("(\"raised\", \(raised.count)), \(atBoundary.count) scored exactly the lowest score of their VPR mark"))
    }
}
