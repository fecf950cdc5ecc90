import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// The flat accumulator of the streaming loader gives exactly the `CellSummary` the plain path gives.
@Suite struct CellTalliesTests {
    let p = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)

    struct Row {
        var score: Double?
        var mark: Int?
        var journal: Int?
        var tasks: [(slot: Int32, score: Double)]
    }

    /// Random rows: whole and fractional scores, scores beyond the histogram, missing values,
    /// marks and journal marks outside 2–5, task slots appearing late (the layouts widen).
    func rows(_ count: Int, seed: UInt64) -> [Row] {
        var g = SplitMix(seed)
        return (0..<count).map { i -> Row in
            let r = g.next()
            let score: Double? = switch r % 7 {
            case 0: nil
            case 1: Double(r % 1000) / 8
            case 2: Double(140 + r % 20)
            default: Double(r % UInt64(5 + i / 3))
            }
            let markDraw = Int((r >> 8) % 6), journalDraw = Int((r >> 16) % 5)
            let mark: Int? = r % 11 == 0 ? nil : markDraw + 1
            let journal: Int? = r % 5 == 0 ? nil : journalDraw + 2
            let slots = UInt64(1 + i / 4)
            var tasks: [(slot: Int32, score: Double)] = []
            for k in 0..<Int((r >> 24) % 4) {
                let slot: UInt64 = (r >> UInt64(30 + 4 * k)) % slots
                let taskScore: UInt64 = (r >> UInt64(40 + k)) % 5
                tasks.append((Int32(slot), Double(taskScore) / 2))
            }
            return Row(score: score, mark: mark, journal: journal, tasks: tasks)
        }
    }

    /// The plain path: one `CellSummary` per cell, tasks added by slot, then moved to catalogue order.
    func plain(_ rows: [(cell: Int, row: Row)], cells: Int, targets: [Int], count: Int) -> [CellSummary] {
        var out = (0..<cells).map { CellSummary(procedure: p, schoolID: "s\($0)", taskCount: 0) }
        for (cell, row) in rows {
            out[cell].add(score: row.score, mark: row.mark, journalMark: row.journal)
            for t in row.tasks { out[cell].addTask(Int(t.slot), score: t.score) }
        }
        for i in out.indices { out[i].reorderTasks(targets: targets, count: count) }
        return out
    }

    func tallied(_ rows: [(cell: Int, row: Row)], cells: Int, targets: [Int], count: Int) -> [CellSummary] {
        // Cells numbered when first met, as the loader does (so some start after a layout widened).
        var tallies = CellTallies()
        var number = [Int](repeating: -1, count: cells)
        for (cell0, row) in rows {
            if number[cell0] < 0 { number[cell0] = tallies.appendCell() }
            let cell = number[cell0]
            tallies.add(cell, score: row.score, mark: row.mark, journalMark: row.journal)
            let slots = row.tasks.map(\.slot), scores = row.tasks.map(\.score)
            guard let maxSlot = slots.max() else { continue }
            slots.withUnsafeBufferPointer { s in
                scores.withUnsafeBufferPointer { v in tallies.addTasks(cell, slots: s, scores: v, maxSlot: Int(maxSlot)) }
            }
        }
        for i in 0..<cells where number[i] < 0 { number[i] = tallies.appendCell() }
        return (0..<cells).map { tallies.summary(number[$0], procedure: p, schoolID: "s\($0)", targets: targets, taskCount: count) }
    }

    @Test func summariesAreThePlainPathsCells() {
        for seed in UInt64(1)...5 {
            let all = rows(600, seed: seed)
            // Cells interleaved (some rows out of order), and one cell added late with no rows.
            var assigned: [(cell: Int, row: Row)] = []
            for (i, row) in all.enumerated() {
                let shift = i % 9 == 0 ? 3 : 0
                assigned.append((cell: (i / 40 + shift) % 12, row: row))
            }
            let targets = [3, -1, 0, 5, 1, 2, -1, 4] + Array(repeating: -1, count: 200)
            let expected = plain(assigned, cells: 13, targets: targets, count: 7)
            #expect(tallied(assigned, cells: 13, targets: targets, count: 7) == expected)
            // The comparison covers the confirmed-mark histograms too (not only empty ones).
            #expect(expected.filter { !$0.confirmedHistogram.isEmpty }.count >= 10)
            #expect(expected.filter { $0.raisedAtLowest.contains { $0 > 0 } }.count >= 10)
        }
    }

    @Test func cellsAddedAfterWideningStartEmpty() {
        var tallies = CellTallies()
        let a = tallies.appendCell()
        tallies.add(a, score: 100, mark: 5, journalMark: 5)
        let b = tallies.appendCell()
        let empty = tallies.summary(b, procedure: p, schoolID: "b", targets: [], taskCount: 2)
        #expect(empty == CellSummary(procedure: p, schoolID: "b", taskCount: 2))
        #expect(tallies.summary(a, procedure: p, schoolID: "a", targets: [], taskCount: 0).histogram.count == 101)
        #expect(tallies.summary(a, procedure: p, schoolID: "a", targets: [], taskCount: 0).confirmedHistogram.count == 101)
        tallies.add(b, score: 99, mark: 5, journalMark: 4)
        tallies.add(b, score: 97, mark: 5, journalMark: 3)
        tallies.add(b, score: 97, mark: 5, journalMark: 4)
        tallies.add(b, score: 96, mark: 5, journalMark: 5)
        let raised = tallies.summary(b, procedure: p, schoolID: "b", targets: [], taskCount: 0)
        #expect(raised.raisedLowestScore == [nil, nil, 97] && raised.raisedAtLowest == [0, 0, 2])
        #expect(tallies.summary(a, procedure: p, schoolID: "a", targets: [], taskCount: 0).raisedAtLowest == [0, 0, 0])
    }
}

/// A small deterministic generator (the test must not depend on the system's random numbers).
private struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
