import Foundation
import OporaCore

/// What one school did in one procedure, summarised while the results stream past: counts, sums,
/// the mark distribution, the journal comparison, the primary-score histogram and per-task sums.
/// No per-student data is kept (a few hundred bytes per cell).
public struct CellSummary: Sendable, Codable, Hashable {
    public var procedure: Procedure
    public var schoolID: String
    /// Result rows.
    public var n: Int = 0
    /// Rows with a score.
    public var scored: Int = 0
    public var scoreSum: Double = 0
    public var scoreSumSquares: Double = 0
    /// Counts of marks 2, 3, 4, 5 (index = mark − 2).
    public var marks: [Int] = [0, 0, 0, 0]
    /// Joint counts of (journal mark, assessment mark), index (journal − 2) · 4 + (mark − 2);
    /// only rows with both marks.
    public var journalJoint: [Int] = Array(repeating: 0, count: 16)
    /// Counts of integer primary scores (index = score); scores that are not whole numbers or
    /// exceed `CellSummary.histogramLimit` are counted in `offHistogram`.
    public var histogram: [Int32] = []
    public var offHistogram: Int = 0
    /// The same counts for the participants whose assessment mark equals their journal mark: with
    /// the mark boundaries, how many reached their journal mark by a point or two — the students a
    /// mark raised to the journal mark lands on (`journal_mismatch`).
    public var confirmedHistogram: [Int32] = []
    /// For the participants whose assessment mark (3, 4, 5) is above their journal mark
    /// («повысили»): per mark, the lowest score among them and how many have it. A score pushed up
    /// to the next mark lands exactly on its boundary, the lowest score seen with that mark in the
    /// region, so «повысили» at the boundary are the cell's lowest ones when the lowest is the
    /// boundary (`score_heaping`); a whole histogram per cell would cost 100 MB at national scale.
    public var raisedLowestScore: [Double?] = [nil, nil, nil]
    public var raisedAtLowest: [Int] = [0, 0, 0]
    /// Lowest and highest score seen with each mark 2–5 (`nil` = none), to infer mark boundaries.
    public var minScoreForMark: [Double?] = [nil, nil, nil, nil]
    public var maxScoreForMark: [Double?] = [nil, nil, nil, nil]
    /// Per task of the procedure (in the order of `AnalysisData.tasks[procedure]`): sum of scores
    /// and number of participants with a score on the task.
    public var taskSum: [Double] = []
    public var taskCount: [Int32] = []

    public static let histogramLimit = 150

    public init(procedure: Procedure, schoolID: String, taskCount: Int) {
        self.procedure = procedure
        self.schoolID = schoolID
        self.taskSum = Array(repeating: 0, count: taskCount)
        self.taskCount = Array(repeating: 0, count: taskCount)
    }

    /// Every field given (`CellTallies.summary` builds the arrays itself).
    init(procedure: Procedure, schoolID: String, n: Int, scored: Int, scoreSum: Double, scoreSumSquares: Double, marks: [Int],
         journalJoint: [Int], histogram: [Int32], offHistogram: Int, confirmedHistogram: [Int32],
         raisedLowestScore: [Double?], raisedAtLowest: [Int], minScoreForMark: [Double?],
         maxScoreForMark: [Double?], taskSum: [Double], taskCount: [Int32]) {
        self.procedure = procedure
        self.schoolID = schoolID
        self.n = n
        self.scored = scored
        self.scoreSum = scoreSum
        self.scoreSumSquares = scoreSumSquares
        self.marks = marks
        self.journalJoint = journalJoint
        self.histogram = histogram
        self.offHistogram = offHistogram
        self.confirmedHistogram = confirmedHistogram
        self.raisedLowestScore = raisedLowestScore
        self.raisedAtLowest = raisedAtLowest
        self.minScoreForMark = minScoreForMark
        self.maxScoreForMark = maxScoreForMark
        self.taskSum = taskSum
        self.taskCount = taskCount
    }

    /// Keeps the lowest score and how many have it, given `count` more with score `s`.
    @inline(__always)
    static func lowest(_ low: inout Double?, _ atLow: inout Int, _ s: Double, _ count: Int) {
        if let l = low, s >= l {
            if s == l { atLow += count }
        } else {
            low = s
            atLow = count
        }
    }

    /// Participants with a mark.
    public var marked: Int { marks[0] + marks[1] + marks[2] + marks[3] }
    /// Participants with both a journal mark and an assessment mark.
    public var journalCompared: Int { journalJoint.reduce(0, +) }

    public func joint(journal: Int, mark: Int) -> Int { journalJoint[(journal - 2) * 4 + (mark - 2)] }

    /// Participants with primary score `s` (0 off the histogram).
    public func count(atScore s: Int) -> Int { s >= 0 && s < histogram.count ? Int(histogram[s]) : 0 }

    /// «повысили» with mark `m` (3–5) exactly at score `b`: those at the lowest score of the cell's
    /// «повысили» with that mark, when that score is `b` (`raisedLowestScore`).
    public func raised(mark m: Int, exactlyAt b: Int) -> Int { raisedLowestScore[m - 3] == Double(b) ? raisedAtLowest[m - 3] : 0 }

    /// Assessment mark below / equal to / above the journal mark, and |gap| ≥ 2.
    public var journalComparison: (lowered: Int, confirmed: Int, raised: Int, gap2: Int) {
        var lowered = 0, confirmed = 0, raised = 0, gap2 = 0
        for j in 0..<4 {
            for m in 0..<4 {
                let c = journalJoint[j * 4 + m]
                if m < j { lowered += c } else if m == j { confirmed += c } else { raised += c }
                if abs(m - j) >= 2 { gap2 += c }
            }
        }
        return (lowered, confirmed, raised, gap2)
    }

    public var meanScore: Double? { scored > 0 ? scoreSum / Double(scored) : nil }
    public var meanMark: Double? {
        let k = marked
        guard k > 0 else { return nil }
        return Double(2 * marks[0] + 3 * marks[1] + 4 * marks[2] + 5 * marks[3]) / Double(k)
    }

    @inline(__always)
    mutating func add(_ r: StudentResult, taskIndex: (Int, String) -> Int?) {
        add(score: r.score, mark: r.mark, journalMark: r.journalMark)
        for (position, t) in r.taskScores.enumerated() {
            if let k = taskIndex(position, t.task) { addTask(k, score: t.score) }
        }
    }

    /// Adds one participant's score and marks; their task scores go through `addTask`. The streaming
    /// path calls these directly, without building a `StudentResult` per row.
    @inline(__always)
    public mutating func add(score: Double?, mark: Int?, journalMark: Int?) {
        n += 1
        if let s = score {
            scored += 1
            scoreSum += s
            scoreSumSquares += s * s
            let i = Int(s)
            if Double(i) == s, i >= 0, i <= Self.histogramLimit {
                if i >= histogram.count { histogram.append(contentsOf: repeatElement(0, count: i + 1 - histogram.count)) }
                histogram[i] += 1
            } else {
                offHistogram += 1
            }
        }
        if let m = mark, (2...5).contains(m) {
            marks[m - 2] += 1
            if let s = score {
                if minScoreForMark[m - 2].map({ s < $0 }) ?? true { minScoreForMark[m - 2] = s }
                if maxScoreForMark[m - 2].map({ s > $0 }) ?? true { maxScoreForMark[m - 2] = s }
            }
            if let j = journalMark, (2...5).contains(j) {
                journalJoint[(j - 2) * 4 + (m - 2)] += 1
                if j == m, let s = score, let i = Int(exactly: s), i >= 0, i <= Self.histogramLimit {
                    if i >= confirmedHistogram.count {
                        confirmedHistogram.append(contentsOf: repeatElement(0, count: i + 1 - confirmedHistogram.count))
                    }
                    confirmedHistogram[i] += 1
                } else if j < m, let s = score {
                    Self.lowest(&raisedLowestScore[m - 3], &raisedAtLowest[m - 3], s, 1)
                }
            }
        }
    }

    /// Adds a score on task `index` (a position in `taskSum`; the arrays grow to reach it).
    @inline(__always)
    public mutating func addTask(_ index: Int, score: Double) {
        if index >= taskSum.count {
            taskSum.append(contentsOf: repeatElement(0, count: index + 1 - taskSum.count))
            taskCount.append(contentsOf: repeatElement(0, count: index + 1 - taskCount.count))
        }
        taskSum[index] += score
        taskCount[index] += 1
    }

    /// Adds one participant's task scores at once: `scores[k]` on task `slots[k]`, every slot at
    /// most `maxSlot`. The same sums as `addTask` one by one, with the arrays checked once a row
    /// instead of once a task (the streaming path's hottest loop).
    public mutating func addTasks(slots: UnsafeBufferPointer<Int32>, scores: UnsafeBufferPointer<Double>, maxSlot: Int) {
        if maxSlot >= taskSum.count {
            taskSum.append(contentsOf: repeatElement(0, count: maxSlot + 1 - taskSum.count))
            taskCount.append(contentsOf: repeatElement(0, count: maxSlot + 1 - taskCount.count))
        }
        taskSum.withUnsafeMutableBufferPointer { sum in
            taskCount.withUnsafeMutableBufferPointer { count in
                for k in 0..<slots.count {
                    let i = Int(slots[k])
                    sum[i] += scores[k]
                    count[i] += 1
                }
            }
        }
    }

    /// The same cell with its task sums moved from the order of `codes` (e.g. a file's task columns)
    /// to the order of `catalogue` (the procedure's task list); tasks not in the catalogue are dropped.
    public func reorderingTasks(from codes: [String], to catalogue: [String]) -> CellSummary {
        var copy = self
        copy.taskSum = Array(repeating: 0, count: catalogue.count)
        copy.taskCount = Array(repeating: 0, count: catalogue.count)
        var position: [String: Int] = [:]
        for (i, code) in catalogue.enumerated() where position[code] == nil { position[code] = i }
        for (i, code) in codes.enumerated() where i < taskSum.count {
            if let k = position[code] {
                copy.taskSum[k] += taskSum[i]
                copy.taskCount[k] += taskCount[i]
            }
        }
        return copy
    }

    /// For `reorderingTasks(targets:count:)`: the position in `catalogue` of each of `codes` (the
    /// first one when a code repeats), −1 when absent. Computed once per procedure, not per cell.
    public static func taskTargets(from codes: [String], to catalogue: [String]) -> [Int] {
        var position: [String: Int] = [:]
        for (i, code) in catalogue.enumerated() where position[code] == nil { position[code] = i }
        return codes.map { position[$0] ?? -1 }
    }

    /// `reorderingTasks(from:to:)` with the positions precomputed by `taskTargets` (the same sums
    /// in the same order); `count` is the catalogue's length.
    public func reorderingTasks(targets: [Int], count: Int) -> CellSummary {
        var copy = self
        copy.taskSum = Array(repeating: 0, count: count)
        copy.taskCount = Array(repeating: 0, count: count)
        for (i, k) in targets.enumerated() where i < taskSum.count && k >= 0 {
            copy.taskSum[k] += taskSum[i]
            copy.taskCount[k] += taskCount[i]
        }
        return copy
    }

    /// `reorderingTasks(targets:count:)` in place.
    public mutating func reorderTasks(targets: [Int], count: Int) {
        var sum = [Double](repeating: 0, count: count)
        var counts = [Int32](repeating: 0, count: count)
        for (i, k) in targets.enumerated() where i < taskSum.count && k >= 0 {
            sum[k] += taskSum[i]
            counts[k] += taskCount[i]
        }
        taskSum = sum
        taskCount = counts
    }

    /// Adds another cell of the same procedure (used for municipal and regional totals).
    public mutating func merge(_ o: CellSummary) {
        n += o.n
        scored += o.scored
        scoreSum += o.scoreSum
        scoreSumSquares += o.scoreSumSquares
        for i in 0..<4 {
            marks[i] += o.marks[i]
            if let v = o.minScoreForMark[i], minScoreForMark[i].map({ v < $0 }) ?? true { minScoreForMark[i] = v }
            if let v = o.maxScoreForMark[i], maxScoreForMark[i].map({ v > $0 }) ?? true { maxScoreForMark[i] = v }
        }
        for i in 0..<16 { journalJoint[i] += o.journalJoint[i] }
        if o.histogram.count > histogram.count {
            histogram.append(contentsOf: repeatElement(0, count: o.histogram.count - histogram.count))
        }
        for (i, c) in o.histogram.enumerated() { histogram[i] += c }
        offHistogram += o.offHistogram
        if o.confirmedHistogram.count > confirmedHistogram.count {
            confirmedHistogram.append(contentsOf: repeatElement(0, count: o.confirmedHistogram.count - confirmedHistogram.count))
        }
        for (i, c) in o.confirmedHistogram.enumerated() { confirmedHistogram[i] += c }
        for k in 0..<3 {
            if let s = o.raisedLowestScore[k] { Self.lowest(&raisedLowestScore[k], &raisedAtLowest[k], s, o.raisedAtLowest[k]) }
        }
        if taskSum.count < o.taskSum.count {
            taskSum.append(contentsOf: repeatElement(0, count: o.taskSum.count - taskSum.count))
            taskCount.append(contentsOf: repeatElement(0, count: o.taskCount.count - taskCount.count))
        }
        for i in o.taskSum.indices {
            taskSum[i] += o.taskSum[i]
            taskCount[i] += o.taskCount[i]
        }
    }
}

/// Builds `AnalysisData` from any stream of results: feed results one by one with `add`; only
/// per-cell summaries are kept, so memory grows with schools × procedures, never with students.
public struct AnalysisDataBuilder {
    private let schools: [School]
    private let indicators: [IndicatorValue]
    private let tasks: [Procedure: [TaskInfo]]
    private let aggregates: [SchoolAggregate]

    private var schoolIndex: [String: Int] = [:]
    private var schoolIDs: [String] = []
    private var procedureIndex: [Procedure: Int] = [:]
    private var procedures: [Procedure] = []
    private var procedureTasks: [[String]] = []
    private var procedureTaskLookup: [[String: Int]] = []
    /// Per procedure: cell index per school index (−1 = none yet).
    private var cellOf: [[Int32]] = []
    private var cells: [CellSummary] = []

    // The last cell touched: results usually arrive grouped by school and procedure.
    private var lastProcedure: Procedure?
    private var lastSchool: String?
    private var lastCell = -1
    private var lastProcedureIndex = -1

    public private(set) var resultCount = 0

    public init(schools: [School], indicators: [IndicatorValue], tasks: [Procedure: [TaskInfo]], aggregates: [SchoolAggregate]) {
        self.schools = schools
        self.indicators = indicators
        self.tasks = tasks
        self.aggregates = aggregates
        for s in schools where schoolIndex[s.id] == nil {
            schoolIndex[s.id] = schoolIDs.count
            schoolIDs.append(s.id)
        }
    }

    /// Convenience: task metadata given as a flat list.
    public init(schools: [School], indicators: [IndicatorValue], tasks: [TaskInfo], aggregates: [SchoolAggregate]) {
        self.init(schools: schools, indicators: indicators, tasks: Dictionary(grouping: tasks, by: \.procedure), aggregates: aggregates)
    }

    public mutating func add(_ result: StudentResult) {
        resultCount += 1
        let cell: Int
        if lastCell >= 0, result.procedure == lastProcedure!, result.schoolID == lastSchool! {
            cell = lastCell
        } else {
            cell = locate(result)
        }
        let p = lastProcedureIndex
        let codes = procedureTasks[p]
        cells[cell].add(result) { position, code in
            if position < codes.count, codes[position] == code { return position }
            return procedureTaskLookup[p][code]
        }
    }

    public mutating func add<S: Sequence>(contentsOf results: S) where S.Element == StudentResult {
        for r in results { add(r) }
    }

    private mutating func locate(_ r: StudentResult) -> Int {
        let p: Int
        if let i = procedureIndex[r.procedure] {
            p = i
        } else {
            p = procedures.count
            procedureIndex[r.procedure] = p
            procedures.append(r.procedure)
            let codes = (tasks[r.procedure] ?? []).map(\.task)
            procedureTasks.append(codes)
            var lookup: [String: Int] = [:]
            for (i, c) in codes.enumerated() where lookup[c] == nil { lookup[c] = i }
            procedureTaskLookup.append(lookup)
            cellOf.append(Array(repeating: -1, count: schoolIDs.count))
        }
        let s: Int
        if let i = schoolIndex[r.schoolID] {
            s = i
        } else {
            s = schoolIDs.count
            schoolIndex[r.schoolID] = s
            schoolIDs.append(r.schoolID)
        }
        if cellOf[p].count <= s { cellOf[p].append(contentsOf: repeatElement(-1, count: s + 1 - cellOf[p].count)) }
        var c = Int(cellOf[p][s])
        if c < 0 {
            c = cells.count
            cells.append(CellSummary(procedure: r.procedure, schoolID: r.schoolID, taskCount: procedureTasks[p].count))
            cellOf[p][s] = Int32(c)
        }
        lastProcedure = r.procedure
        lastSchool = r.schoolID
        lastCell = c
        lastProcedureIndex = p
        return c
    }

    public func build() -> AnalysisData {
        AnalysisData(schools: schools, indicators: indicators, tasks: tasks, aggregates: aggregates, cells: cells,
                     resultCount: resultCount)
    }
}

/// Everything identification and analytics need, in summaries: schools, context indicators,
/// task metadata, school-level aggregates and one `CellSummary` per (procedure, school).
public struct AnalysisData: Sendable {
    public let schools: [School]
    public let indicators: [IndicatorValue]
    public let tasks: [Procedure: [TaskInfo]]
    public let aggregates: [SchoolAggregate]
    /// Cells of each procedure, sorted by school id.
    public let cells: [Procedure: [CellSummary]]
    /// All procedures with student results or aggregates, sorted.
    public let procedures: [Procedure]
    public let resultCount: Int

    private let schoolByID: [String: School]
    private let cellIndex: [Procedure: [String: Int]]
    private let indicatorIndex: IndicatorIndex
    /// For `indicatorColumn`: for each school in `schools`, the position of the first school with its id.
    private let firstSchool: [Int32]
    private let schoolPosition: [String: Int32]
    private let aggregateIndex: [Procedure: [String: SchoolAggregate]]

    struct IndicatorKey: Hashable {
        var year: Int
        var school: String
        var code: String
    }

    /// (year, school, code) → value, built on the first `indicator(_:school:year:)`: identification
    /// reads indicators as columns, and building it took ~0.15 s on one core at national scale.
    private final class IndicatorIndex: @unchecked Sendable {
        private let lock = NSLock()
        private var index: [IndicatorKey: Double]?

        func value(_ key: IndicatorKey, in indicators: [IndicatorValue]) -> Double? {
            lock.lock()
            defer { lock.unlock() }
            if index == nil {
                var ind: [IndicatorKey: Double] = [:]
                ind.reserveCapacity(indicators.count)
                for v in indicators { ind[IndicatorKey(year: v.year, school: v.schoolID, code: v.indicator)] = v.value }
                index = ind
            }
            return index![key]
        }
    }

    public init(schools: [School], indicators: [IndicatorValue], tasks: [Procedure: [TaskInfo]],
                aggregates: [SchoolAggregate], cells: [CellSummary], resultCount: Int = 0) {
        // Grouped and sorted as indices, each cell copied once (a cell holds seven arrays: copying
        // half a million of them several times cost a second at national scale).
        var indicesOf: [Procedure: [Int]] = [:]
        for i in cells.indices { indicesOf[cells[i].procedure, default: []].append(i) }
        var byProcedure: [Procedure: [CellSummary]] = [:]
        byProcedure.reserveCapacity(indicesOf.count)
        for (p, indices) in indicesOf {
            byProcedure[p] = indices.sorted { cells[$0].schoolID < cells[$1].schoolID }.map { cells[$0] }
        }
        self.init(schools: schools, indicators: indicators, tasks: tasks, aggregates: aggregates,
                  cellsByProcedure: byProcedure, resultCount: resultCount)
    }

    /// The same from cells already grouped by procedure, each list sorted by school id (the
    /// streaming loader builds them so, and hands them over without a copy).
    public init(schools: [School], indicators: [IndicatorValue], tasks: [Procedure: [TaskInfo]],
                aggregates: [SchoolAggregate], cellsByProcedure byProcedure: [Procedure: [CellSummary]], resultCount: Int = 0) {
        self.schools = schools.sorted { $0.id < $1.id }
        self.indicators = indicators
        self.tasks = tasks
        self.aggregates = aggregates.sorted { ($0.procedure, $0.schoolID) < ($1.procedure, $1.schoolID) }
        self.cells = byProcedure
        self.cellIndex = byProcedure.mapValues { list in
            var index: [String: Int] = [:]
            index.reserveCapacity(list.count)
            for i in list.indices where index[list[i].schoolID] == nil { index[list[i].schoolID] = i }
            return index
        }
        var agg: [Procedure: [String: SchoolAggregate]] = [:]
        for a in aggregates { agg[a.procedure, default: [:]][a.schoolID] = a }
        self.aggregateIndex = agg
        self.procedures = Set(byProcedure.keys).union(agg.keys).sorted()
        self.schoolByID = Dictionary(schools.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var schoolPosition: [String: Int32] = [:]
        schoolPosition.reserveCapacity(self.schools.count)
        var firstSchool: [Int32] = []
        firstSchool.reserveCapacity(self.schools.count)
        for (i, s) in self.schools.enumerated() {
            if schoolPosition[s.id] == nil { schoolPosition[s.id] = Int32(i) }
            firstSchool.append(schoolPosition[s.id]!)
        }
        self.schoolPosition = schoolPosition
        self.firstSchool = firstSchool
        self.indicatorIndex = IndicatorIndex()
        self.resultCount = resultCount
    }

    /// Builds from results held in memory (tests, small imports).
    public init(schools: [School], indicators: [IndicatorValue], tasks: [TaskInfo], results: [StudentResult],
                aggregates: [SchoolAggregate]) {
        var b = AnalysisDataBuilder(schools: schools, indicators: indicators, tasks: tasks, aggregates: aggregates)
        b.add(contentsOf: results)
        self = b.build()
    }

    public func school(_ id: String) -> School? { schoolByID[id] }

    public func cell(_ procedure: Procedure, school: String) -> CellSummary? {
        guard let i = cellIndex[procedure]?[school] else { return nil }
        return cells[procedure]![i]
    }

    public func aggregate(_ procedure: Procedure, school: String) -> SchoolAggregate? { aggregateIndex[procedure]?[school] }

    public func indicator(_ code: String, school: String, year: Int) -> Double? {
        indicatorIndex.value(IndicatorKey(year: year, school: school, code: code), in: indicators)
    }

    /// The latest value of an indicator in `year` or, failing that, the closest earlier year
    /// within `lookback` years.
    public func indicator(_ code: String, school: String, year: Int, lookback: Int) -> (value: Double, year: Int)? {
        for y in stride(from: year, through: year - lookback, by: -1) {
            if let v = indicator(code, school: school, year: y) { return (v, y) }
        }
        return nil
    }

    /// `indicator(_:school:year:lookback:)` for every school, in the order of `schools`.
    public func indicatorColumn(_ code: String, year: Int, lookback: Int) -> [(value: Double, year: Int)?] {
        indicatorColumns([code], year: year, lookback: lookback)[0]
    }

    /// `indicatorColumn` for several codes in one pass over the values, instead of a look-up by
    /// (year, school, code) per school, code and year (criteria read several indicators of 40,000
    /// schools). A repeated code gets the same column.
    public func indicatorColumns(_ codes: [String], year: Int, lookback: Int) -> [[(value: Double, year: Int)?]] {
        var columns = [[(value: Double, year: Int)?]](repeating: .init(repeating: nil, count: schools.count), count: codes.count)
        guard lookback >= 0, !codes.isEmpty else { return columns }
        var columnOf: [String: Int] = [:]
        for (k, code) in codes.enumerated() where columnOf[code] == nil { columnOf[code] = k }
        var lastSchool: String?, lastPosition: Int32?
        for v in indicators where v.year <= year && v.year >= year - lookback {
            guard let k = columnOf[v.indicator] else { continue }
            // Values usually come school by school: the previous school's position is reused.
            if v.schoolID != lastSchool {
                lastSchool = v.schoolID
                lastPosition = schoolPosition[v.schoolID]
            }
            guard let s = lastPosition else { continue }
            // The latest year wins; within a year the last value, as in `indicatorIndex`.
            if let held = columns[k][Int(s)], held.year > v.year { continue }
            columns[k][Int(s)] = (v.value, v.year)
        }
        for (k, code) in codes.enumerated() {
            if columnOf[code]! != k { columns[k] = columns[columnOf[code]!]; continue }
            for (i, first) in firstSchool.enumerated() where Int(first) != i { columns[k][i] = columns[k][Int(first)] }
        }
        return columns
    }

    public var years: [Int] { Array(Set(procedures.map(\.year)).union(indicators.map(\.year))).sorted() }

    /// The region's total of a procedure (all cells merged).
    public func regionCell(_ procedure: Procedure) -> CellSummary? {
        guard let list = cells[procedure], var total = list.first else { return nil }
        total.schoolID = ""
        for i in list.indices.dropFirst() { total.merge(list[i]) } // by index: no copy of each cell
        return total
    }

    /// Minimum primary scores for marks 3, 4, 5 inferred from the data: the lowest score observed
    /// with each mark anywhere in the region; `nil` when a mark was never observed with a score.
    public func markBoundaries(_ procedure: Procedure) -> [Int]? {
        // The region cell's lowest scores, taken as `merge` takes them (in cell order, a lower
        // value replaces), without merging every other count of 40,000 cells.
        guard let list = cells[procedure], !list.isEmpty else { return nil }
        var lowest: [Double?] = [nil, nil, nil, nil]
        for i in list.indices {
            for m in 1...3 {
                if let v = list[i].minScoreForMark[m], lowest[m].map({ v < $0 }) ?? true { lowest[m] = v }
            }
        }
        var b: [Int] = []
        for m in 1...3 {
            guard let v = lowest[m] else { return nil }
            b.append(Int(v.rounded(.up)))
        }
        return b[0] < b[1] && b[1] < b[2] ? b : nil
    }
}
