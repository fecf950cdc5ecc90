import Foundation
import OporaCore
import OporaStats

/// A share with its count, base and Wilson interval.
public struct ShareStat: Sendable, Hashable, Codable {
    public var count: Int
    public var n: Int
    public var share: Double
    public var low: Double
    public var high: Double

    public init?(_ k: Int, _ n: Int, level: Double = 0.95) {
        guard n > 0, let w = Proportion.wilson(successes: k, trials: n, level: level) else { return nil }
        count = k
        self.n = n
        share = rounded6(w.estimate)
        low = rounded6(w.lower)
        high = rounded6(w.upper)
    }
}

/// Completion of one task: share of the maximum score, the school's against the region's.
public struct TaskCompletion: Sendable, Hashable, Codable {
    public var task: String
    public var level: TaskLevel?
    public var maxScore: Double
    public var school: Double?
    public var region: Double?
    public var n: Int
}

/// The descriptive statistics of one group (school, municipality or region) in one procedure.
public struct ProcedureStats: Sendable, Hashable, Codable {
    public var procedure: String
    public var assessment: String
    public var subject: String
    public var grade: Int
    public var year: Int
    /// Whose statistics: a school id, a municipality name, or "" for the region.
    public var group: String
    /// "results" (student-level) or "aggregates" (school-level file).
    public var source: String
    public var participants: Int
    public var meanScore: Double?
    public var sdScore: Double?
    public var meanMark: Double?
    /// Shares of marks 2, 3, 4, 5.
    public var marks: [ShareStat]
    public var passShare: ShareStat?
    public var qualityShare: ShareStat?
    /// Journal comparison: «понизили» (ВПР below the journal), «подтвердили», «повысили», gap ≥ 2.
    public var lowered: ShareStat?
    public var confirmed: ShareStat?
    public var raised: ShareStat?
    public var gap2: ShareStat?
    /// Primary-score histogram (index = score) and the region's, as shares, when student-level.
    public var histogram: [Int]
    public var regionHistogramShare: [Double]
    public var tasks: [TaskCompletion]
}

/// Descriptive analytics per school, municipality and region, from student-level cells and from
/// school-level aggregates. Every share comes with its Wilson interval.
public enum Analytics {
    public static func stats(_ cell: CellSummary, group: String, region: CellSummary?, tasks: [TaskInfo],
                             level: Double = 0.95) -> ProcedureStats {
        let p = cell.procedure
        let k = cell.marked
        let marks = (0..<4).compactMap { ShareStat(cell.marks[$0], k, level: level) }
        let cmp = cell.journalComparison, nj = cell.journalCompared
        var sd: Double? = nil
        if cell.scored > 1 {
            let m = cell.scoreSum / Double(cell.scored)
            sd = ((cell.scoreSumSquares - Double(cell.scored) * m * m) / Double(cell.scored - 1)).squareRoot()
        }
        let regionTotal = region.map { Double($0.histogram.reduce(0) { $0 + Int($1) }) } ?? 0
        var taskStats: [TaskCompletion] = []
        for (i, t) in tasks.enumerated() {
            func share(_ c: CellSummary?) -> Double? {
                guard let c, i < c.taskSum.count, c.taskCount[i] > 0, t.maxScore > 0 else { return nil }
                return rounded6(c.taskSum[i] / (Double(c.taskCount[i]) * t.maxScore))
            }
            taskStats.append(TaskCompletion(task: t.task, level: t.level, maxScore: t.maxScore, school: share(cell), region: share(region),
                                            n: i < cell.taskCount.count ? Int(cell.taskCount[i]) : 0))
        }
        return ProcedureStats(
            procedure: p.description, assessment: p.assessment.rawValue, subject: p.subject, grade: p.grade, year: p.year,
            group: group, source: "results", participants: cell.n, meanScore: cell.meanScore.map(rounded6), sdScore: sd.map(rounded6),
            meanMark: cell.meanMark.map(rounded6), marks: marks,
            passShare: ShareStat(cell.marks[1] + cell.marks[2] + cell.marks[3], k, level: level),
            qualityShare: ShareStat(cell.marks[2] + cell.marks[3], k, level: level),
            lowered: ShareStat(cmp.lowered, nj, level: level), confirmed: ShareStat(cmp.confirmed, nj, level: level),
            raised: ShareStat(cmp.raised, nj, level: level), gap2: ShareStat(cmp.gap2, nj, level: level),
            histogram: cell.histogram.map(Int.init),
            regionHistogramShare: regionTotal > 0 ? region!.histogram.map { rounded6(Double($0) / regionTotal) } : [],
            tasks: taskStats)
    }

    /// Statistics of a school aggregate (results_school): shares are rounded back to counts.
    public static func stats(_ a: SchoolAggregate, group: String, level: Double = 0.95) -> ProcedureStats {
        let p = a.procedure, n = a.participants
        let counts = [a.share2, a.share3, a.share4, a.share5].map { $0.map { Int(($0 * Double(n)).rounded()) } }
        let known = counts.allSatisfy { $0 != nil }
        let c = counts.map { $0 ?? 0 }
        let marks = known ? (0..<4).compactMap { ShareStat(c[$0], n, level: level) } : []
        let meanMark: Double? = known && n > 0 ? Double(2 * c[0] + 3 * c[1] + 4 * c[2] + 5 * c[3]) / Double(max(1, c.reduce(0, +))) : nil
        return ProcedureStats(
            procedure: p.description, assessment: p.assessment.rawValue, subject: p.subject, grade: p.grade, year: p.year,
            group: group, source: "aggregates", participants: n, meanScore: a.meanScore.map(rounded6), sdScore: nil,
            meanMark: meanMark.map(rounded6), marks: marks,
            passShare: known ? ShareStat(c[1] + c[2] + c[3], n, level: level) : nil,
            qualityShare: known ? ShareStat(c[2] + c[3], n, level: level) : nil,
            lowered: nil, confirmed: nil, raised: nil, gap2: nil, histogram: [], regionHistogramShare: [], tasks: [])
    }

    /// A school's statistics in every procedure (optionally one year), student-level where there
    /// are results, else from aggregates; sorted by procedure.
    public static func schoolProfile(_ data: AnalysisData, school: String, year: Int? = nil, level: Double = 0.95) -> [ProcedureStats] {
        var out: [ProcedureStats] = []
        for p in data.procedures where year == nil || p.year == year {
            if let cell = data.cell(p, school: school) {
                out.append(stats(cell, group: school, region: data.regionCell(p), tasks: data.tasks[p] ?? [], level: level))
            } else if let a = data.aggregate(p, school: school) {
                out.append(stats(a, group: school, level: level))
            }
        }
        return out
    }

    /// A municipality's (or, with `municipality == nil`, the region's) statistics per procedure:
    /// student-level cells merged; for aggregate-only procedures, aggregates weighted by participants.
    public static func summary(_ data: AnalysisData, municipality: String?, year: Int? = nil, level: Double = 0.95) -> [ProcedureStats] {
        let members = Set(data.schools.filter { municipality == nil || $0.municipality == municipality }.map(\.id))
        var out: [ProcedureStats] = []
        for p in data.procedures where year == nil || p.year == year {
            let cells = (data.cells[p] ?? []).filter { members.contains($0.schoolID) }
            if var total = cells.first {
                for c in cells.dropFirst() { total.merge(c) }
                total.schoolID = municipality ?? ""
                out.append(stats(total, group: municipality ?? "", region: data.regionCell(p), tasks: data.tasks[p] ?? [], level: level))
                continue
            }
            let aggs = data.aggregates.filter { $0.procedure == p && members.contains($0.schoolID) }
            guard !aggs.isEmpty else { continue }
            let n = aggs.reduce(0) { $0 + $1.participants }
            func weighted(_ f: (SchoolAggregate) -> Double?) -> Double? {
                var s = 0.0
                for a in aggs { guard let v = f(a) else { return nil }; s += v * Double(a.participants) }
                return n > 0 ? s / Double(n) : nil
            }
            let merged = SchoolAggregate(procedure: p, schoolID: municipality ?? "", participants: n, meanScore: weighted(\.meanScore),
                                         share2: weighted(\.share2), share3: weighted(\.share3), share4: weighted(\.share4), share5: weighted(\.share5))
            out.append(stats(merged, group: municipality ?? "", level: level))
        }
        return out
    }

    /// The municipalities of the data, sorted.
    public static func municipalities(_ data: AnalysisData) -> [String] {
        Array(Set(data.schools.map(\.municipality))).sorted()
    }
}
