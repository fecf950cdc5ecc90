import OporaCore

/// The cells of one procedure, summarised in a few flat buffers while the results stream past.
///
/// The same sums, in the same order, as `CellSummary.add(score:mark:journalMark:)` and
/// `CellSummary.addTasks`, but a row touches a handful of contiguous arrays instead of the seven
/// small heap arrays of its `CellSummary`: at national scale (half a million cells) those arrays
/// made the accumulation cache-unfriendly and every copy and free expensive. Each cell becomes a
/// `CellSummary` once, at the end (`summary`).
///
/// Cells are numbered 0, 1, … in the order of `appendCell`. Tasks are addressed by slot (e.g. the
/// position of a file's task column among those the procedure uses); `summary` moves the slots to
/// the task catalogue's order.
public struct CellTallies: Sendable {
    /// Counters per cell, in this order.
    private enum Counter {
        static let n = 0, scored = 1, offHistogram = 2, marks = 3, journalJoint = 7, raisedAtLowest = 23
        static let stride = 26
    }

    public private(set) var count = 0
    /// `Counter.stride` counters per cell.
    private var counts: [Int] = []
    /// Per cell: score sum, sum of squares.
    private var sums: [Double] = []
    /// Per cell: the lowest score seen with marks 2–5, then the highest (nil = none).
    private var bounds: [Double?] = []
    /// Per cell: `CellSummary.raisedLowestScore` for marks 3, 4, 5.
    private var raisedLowest: [Double?] = []
    /// Per cell: the length `CellSummary.histogram` would have (highest whole score seen + 1).
    private var histogramLength: [Int32] = []
    /// `histogramWidth` counts per cell; the width covers every cell's length and grows (rarely,
    /// by copying into a wider layout) when a higher score turns up.
    private var histogram: [Int32] = []
    private var histogramWidth = 0
    /// `CellSummary.confirmedHistogram`, laid out like `histogram`; allocated only once a row with
    /// a confirmed journal mark turns up (ОГЭ and ЕГЭ have no journal marks).
    private var confirmed: [Int32] = []
    private var confirmedLength: [Int32] = []
    private var hasConfirmed = false
    /// `slotWidth` task sums and counts per cell; the width grows with the highest slot seen.
    private var taskSums: [Double] = []
    private var taskCounts: [Int32] = []
    public private(set) var slotWidth = 0

    public init() {}

    /// Adds an empty cell and returns its number.
    public mutating func appendCell() -> Int {
        counts.append(contentsOf: repeatElement(0, count: Counter.stride))
        sums.append(contentsOf: [0, 0])
        bounds.append(contentsOf: repeatElement(nil, count: 8))
        raisedLowest.append(contentsOf: repeatElement(nil, count: 3))
        histogramLength.append(0)
        histogram.append(contentsOf: repeatElement(0, count: histogramWidth))
        if hasConfirmed {
            confirmed.append(contentsOf: repeatElement(0, count: histogramWidth))
            confirmedLength.append(0)
        }
        taskSums.append(contentsOf: repeatElement(0, count: slotWidth))
        taskCounts.append(contentsOf: repeatElement(0, count: slotWidth))
        count += 1
        return count - 1
    }

    /// `CellSummary.add(score:mark:journalMark:)` for cell `cell`.
    @inline(__always)
    public mutating func add(_ cell: Int, score: Double?, mark: Int?, journalMark: Int?) {
        let c = cell * Counter.stride
        counts[c + Counter.n] += 1
        if let s = score {
            counts[c + Counter.scored] += 1
            sums[2 * cell] += s
            sums[2 * cell + 1] += s * s
            let i = Int(s)
            if Double(i) == s, i >= 0, i <= CellSummary.histogramLimit {
                if i >= histogramWidth { widenHistogram(toInclude: i) }
                histogram[cell * histogramWidth + i] += 1
                if i >= Int(histogramLength[cell]) { histogramLength[cell] = Int32(i + 1) }
            } else {
                counts[c + Counter.offHistogram] += 1
            }
        }
        if let m = mark, (2...5).contains(m) {
            counts[c + Counter.marks + m - 2] += 1
            if let s = score {
                let b = cell * 8 + m - 2
                if bounds[b].map({ s < $0 }) ?? true { bounds[b] = s }
                if bounds[b + 4].map({ s > $0 }) ?? true { bounds[b + 4] = s }
            }
            if let j = journalMark, (2...5).contains(j) {
                counts[c + Counter.journalJoint + (j - 2) * 4 + (m - 2)] += 1
                if j == m, let s = score, let i = Int(exactly: s), i >= 0, i <= CellSummary.histogramLimit {
                    // The score was counted above, so the width already covers it.
                    if !hasConfirmed { startConfirmed() }
                    confirmed[cell * histogramWidth + i] += 1
                    if i >= Int(confirmedLength[cell]) { confirmedLength[cell] = Int32(i + 1) }
                } else if j < m, let s = score {
                    CellSummary.lowest(&raisedLowest[cell * 3 + m - 3], &counts[c + Counter.raisedAtLowest + m - 3], s, 1)
                }
            }
        }
    }

    private mutating func startConfirmed() {
        hasConfirmed = true
        confirmed = [Int32](repeating: 0, count: count * histogramWidth)
        confirmedLength = [Int32](repeating: 0, count: count)
    }

    /// `CellSummary.addTasks` for cell `cell`: `scores[k]` on slot `slots[k]`, every slot at most `maxSlot`.
    @inline(__always)
    public mutating func addTasks(_ cell: Int, slots: UnsafeBufferPointer<Int32>, scores: UnsafeBufferPointer<Double>, maxSlot: Int) {
        if maxSlot >= slotWidth { widenSlots(to: maxSlot + 1) }
        let base = cell * slotWidth
        taskSums.withUnsafeMutableBufferPointer { sum in
            taskCounts.withUnsafeMutableBufferPointer { count in
                for k in 0..<slots.count {
                    let i = base + Int(slots[k])
                    sum[i] += scores[k]
                    count[i] += 1
                }
            }
        }
    }

    /// Cell `cell` as a `CellSummary` with its task sums in catalogue order: `targets[slot]` is the
    /// slot's catalogue position (−1 = not in the catalogue, dropped), `taskCount` the catalogue's
    /// length — the same as `CellSummary.reorderTasks(targets:count:)` on the plain path.
    public func summary(_ cell: Int, procedure: Procedure, schoolID: String, targets: [Int], taskCount: Int) -> CellSummary {
        let c = cell * Counter.stride
        let h = cell * histogramWidth
        // Every array made from a slice or a buffer of its own type (a specialised copy): the
        // general `init(procedure:schoolID:taskCount:)` allocated three arrays by the unspecialised
        // path, which looks the array type's metadata up in the runtime's locked cache each time
        // (half a million cells, on both cores at once).
        var catalogueSums: [Double] = [], catalogueCounts: [Int32] = []
        if taskCount > 0 {
            // Filled in place (no scratch buffers to allocate and copy from, twice per cell).
            let t = cell * slotWidth
            catalogueSums = [Double](unsafeUninitializedCapacity: taskCount) { sum, initialized in
                sum.initialize(repeating: 0)
                for (slot, k) in targets.enumerated() where slot < slotWidth && k >= 0 { sum[k] += taskSums[t + slot] }
                initialized = taskCount
            }
            catalogueCounts = [Int32](unsafeUninitializedCapacity: taskCount) { number, initialized in
                number.initialize(repeating: 0)
                for (slot, k) in targets.enumerated() where slot < slotWidth && k >= 0 { number[k] += taskCounts[t + slot] }
                initialized = taskCount
            }
        }
        return CellSummary(
            procedure: procedure, schoolID: schoolID, n: counts[c + Counter.n], scored: counts[c + Counter.scored],
            scoreSum: sums[2 * cell], scoreSumSquares: sums[2 * cell + 1],
            marks: Array(counts[(c + Counter.marks)..<(c + Counter.marks + 4)]),
            journalJoint: Array(counts[(c + Counter.journalJoint)..<(c + Counter.journalJoint + 16)]),
            histogram: Array(histogram[h..<(h + Int(histogramLength[cell]))]),
            offHistogram: counts[c + Counter.offHistogram],
            confirmedHistogram: hasConfirmed && confirmedLength[cell] > 0 ? Array(confirmed[h..<(h + Int(confirmedLength[cell]))]) : [],
            raisedLowestScore: Array(raisedLowest[(cell * 3)..<(cell * 3 + 3)]),
            raisedAtLowest: Array(counts[(c + Counter.raisedAtLowest)..<(c + Counter.raisedAtLowest + 3)]),
            minScoreForMark: Array(bounds[(cell * 8)..<(cell * 8 + 4)]),
            maxScoreForMark: Array(bounds[(cell * 8 + 4)..<(cell * 8 + 8)]),
            taskSum: catalogueSums, taskCount: catalogueCounts)
    }

    /// Re-lays the histograms `width` wide (at least doubling, up to the limit), so that growth is rare.
    private mutating func widenHistogram(toInclude score: Int) {
        let width = min(CellSummary.histogramLimit + 1, max(score + 1, 2 * histogramWidth))
        histogram = Self.widened(histogram, cells: count, from: histogramWidth, to: width)
        if hasConfirmed { confirmed = Self.widened(confirmed, cells: count, from: histogramWidth, to: width) }
        histogramWidth = width
    }

    private mutating func widenSlots(to width: Int) {
        taskSums = Self.widened(taskSums, cells: count, from: slotWidth, to: width)
        taskCounts = Self.widened(taskCounts, cells: count, from: slotWidth, to: width)
        slotWidth = width
    }

    /// `cells` rows of `old` values each, copied into rows of `new` values (zero-padded).
    private static func widened<T: Numeric>(_ values: [T], cells: Int, from old: Int, to new: Int) -> [T] {
        var out = [T](repeating: 0, count: cells * new)
        for cell in 0..<cells {
            for i in 0..<old { out[cell * new + i] = values[cell * old + i] }
        }
        return out
    }
}
