import Foundation
import OporaAnalysis
import OporaCore

/// A small region for the tests of one sign: 60 schools, two ВПР procedures of scores 0–25 with
/// mark boundaries 3: 10, 4: 15, 5: 20, 30 students each, levels spread evenly. Journal marks are
/// the honest mark, one below it with probability `lowerShare`, one above it a quarter of the time.
/// School 000 alone applies `practice` to each of its students' score and journal mark.
enum SmallVPRRegion {
    static let boundaries = [10, 15, 20]
    static func mark(_ score: Int) -> Int { score >= 20 ? 5 : score >= 15 ? 4 : score >= 10 ? 3 : 2 }

    /// `practice(score, honest mark, journal mark)` gives the score and journal mark school 000 reports.
    /// `years` with results (2025 alone by default); `practiceYears` those where school 000 applies it.
    static func make(lowerShare: Double, years: [Int] = [2025], practiceYears: Set<Int>? = nil,
                     practice: (Int, Int, Int) -> (score: Int, journal: Int)) -> (data: AnalysisData, results: [StudentResult]) {
        var results: [StudentResult] = []
        var schools: [School] = []
        for k in 0..<60 {
            let id = String(format: "%03d", k)
            for year in years {
                results += school(id, year: year, level: 0.35 + 0.4 * Double(k % 10) / 10, lowerShare: lowerShare,
                                  seed: UInt64(k + 1) &+ UInt64(bitPattern: Int64(year - 2025)) &* 1000, practice: practice,
                                  applied: k == 0 && (practiceYears?.contains(year) ?? true))
            }
            schools.append(School(id: id, name: "Школа \(id)", municipality: "район", region: "область",
                                  settlement: .urban, kind: .general, students: 300))
        }
        return (AnalysisData(schools: schools, indicators: [], tasks: [], results: results, aggregates: []), results)
    }

    static func school(_ id: String, year: Int = 2025, level: Double, lowerShare: Double, seed: UInt64,
                       practice: (Int, Int, Int) -> (score: Int, journal: Int), applied: Bool) -> [StudentResult] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 &+ 1
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var out: [StudentResult] = []
        for subject in ["math", "russian"] {
            let p = Procedure(year: year, assessment: .vpr, subject: subject, grade: 5)
            for i in 0..<30 {
                let ability = level + (uniform() - 0.5) * 0.6
                var score = (0..<25).reduce(0) { s, _ in s + (uniform() < ability ? 1 : 0) }
                let honest = mark(score)
                let u = uniform()
                var journal = min(5, max(2, honest + (u < lowerShare ? -1 : u < 0.75 ? 0 : 1)))
                if applied { (score, journal) = practice(score, honest, journal) }
                out.append(StudentResult(procedure: p, schoolID: id, participant: "\(id)-\(subject)-\(i)",
                                         score: Double(score), mark: mark(score), journalMark: journal))
            }
        }
        return out
    }
}

extension RuleSet {
    /// The default rule set with one criterion's parameter changed.
    static func defaultWith(_ criterion: String, _ parameter: String, _ value: Double) -> RuleSet {
        var rules = RuleSet.default
        for ci in rules.categories.indices {
            for k in rules.categories[ci].criteria.indices where rules.categories[ci].criteria[k].id == criterion {
                rules.categories[ci].criteria[k].parameters[parameter] = .number(value)
            }
        }
        return rules
    }
}
