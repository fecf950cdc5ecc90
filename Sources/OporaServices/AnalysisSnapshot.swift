import Foundation
import Synchronization
import OporaAnalysis
import OporaCore
import OporaStore

/// The stored data summarised once, with the figures every page asks for precomputed: region and
/// municipality totals per procedure and the well-being index per year. Immutable; the cache makes a
/// new one after each import, so a page never pays for merging thousands of cells.
public final class AnalysisSnapshot: Sendable {
    public let version: Int
    public let data: AnalysisData
    public let digest: DataDigest
    public let regionCells: [Procedure: CellSummary]
    public let regionStats: [ProcedureStats]
    public let municipalityStats: [String: [ProcedureStats]]
    /// Year → school → index.
    public let wellbeing: [Int: [String: WellbeingScore]]
    /// Context indicators of each school, and the region's median of each indicator per year.
    public let indicatorsBySchool: [String: [IndicatorValue]]
    public let indicatorMedians: [Int: [String: Double]]
    /// Each school's «2» over every procedure of the latest year (marks «2», participants with a mark).
    public let latestFails: [String: (fails: Int, marked: Int)]
    /// Each school's ВПР participants of the latest year marked below their journal mark, of those compared.
    public let latestLowered: [String: (lowered: Int, compared: Int)]
    /// Each school's «2» over its ВПР, per year: the outcome the effect of support is measured on.
    public let vprFailsByYear: [String: [Int: (fails: Int, marked: Int)]]

    public init(version: Int, loaded: LoadedAnalysis) {
        self.version = version
        data = loaded.data
        digest = loaded.digest
        var cells: [Procedure: CellSummary] = [:]
        for p in data.procedures { if let c = data.regionCell(p) { cells[p] = c } }
        regionCells = cells
        regionStats = Analytics.summary(data, municipality: nil)
        var byMunicipality: [String: [ProcedureStats]] = [:]
        for m in Analytics.municipalities(data) { byMunicipality[m] = Analytics.summary(data, municipality: m) }
        municipalityStats = byMunicipality
        let indicatorYears = Set(data.indicators.map(\.year))
        var w: [Int: [String: WellbeingScore]] = [:]
        for y in indicatorYears { w[y] = Analytics.wellbeing(data, year: y) }
        wellbeing = w
        var fails: [String: (fails: Int, marked: Int)] = [:]
        var lowered: [String: (lowered: Int, compared: Int)] = [:]
        if let last = data.procedures.map(\.year).max() {
            for p in data.procedures where p.year == last {
                for c in data.cells[p] ?? [] {
                    let before = fails[c.schoolID] ?? (0, 0)
                    fails[c.schoolID] = (before.fails + c.marks[0], before.marked + c.marked)
                    if p.assessment == .vpr, c.journalCompared > 0 {
                        let l = lowered[c.schoolID] ?? (0, 0)
                        lowered[c.schoolID] = (l.lowered + c.journalComparison.lowered, l.compared + c.journalCompared)
                    }
                }
            }
        }
        latestFails = fails
        latestLowered = lowered
        var vpr: [String: [Int: (fails: Int, marked: Int)]] = [:]
        for p in data.procedures where p.assessment == .vpr {
            for c in data.cells[p] ?? [] {
                let before = vpr[c.schoolID]?[p.year] ?? (0, 0)
                vpr[c.schoolID, default: [:]][p.year] = (before.fails + c.marks[0], before.marked + c.marked)
            }
        }
        vprFailsByYear = vpr
        indicatorsBySchool = Dictionary(grouping: data.indicators, by: \.schoolID)
        var medians: [Int: [String: Double]] = [:]
        for (key, values) in Dictionary(grouping: data.indicators, by: { "\($0.year)\u{1}\($0.indicator)" }) {
            let sorted = values.map(\.value).sorted()
            let mid = sorted.count / 2
            let median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
            medians[values[0].year, default: [:]][values[0].indicator] = median
            _ = key
        }
        indicatorMedians = medians
    }

    /// A school's statistics per procedure (student-level where there are results, else its
    /// aggregate), against the precomputed region totals; sorted by procedure. Computed once per school.
    public func schoolStats(_ schoolID: String) -> [ProcedureStats] {
        if let known = memo.withLock({ $0[schoolID] }) { return known }
        let stats = computeSchoolStats(schoolID)
        memo.withLock { $0[schoolID] = stats }
        return stats
    }

    private let memo = Mutex<[String: [ProcedureStats]]>([:])

    private func computeSchoolStats(_ schoolID: String) -> [ProcedureStats] {
        data.procedures.compactMap { p in
            if let cell = data.cell(p, school: schoolID) {
                return Analytics.stats(cell, group: schoolID, region: regionCells[p], tasks: data.tasks[p] ?? [])
            }
            return data.aggregate(p, school: schoolID).map { Analytics.stats($0, group: schoolID) }
        }
    }

    /// The newest well-being index of a school (the latest year with indicators).
    public func latestWellbeing(_ schoolID: String) -> (year: Int, score: WellbeingScore)? {
        for year in wellbeing.keys.sorted(by: >) {
            if let s = wellbeing[year]?[schoolID] { return (year, s) }
        }
        return nil
    }

    public var latestYear: Int? { data.procedures.map(\.year).max() }
}
