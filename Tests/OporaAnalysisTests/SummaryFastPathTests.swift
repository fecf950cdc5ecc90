import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// The national-scale shortcuts give exactly what the plain operations give.
@Suite struct SummaryFastPathTests {
    let p = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)

    @Test func addTasksIsAddTaskOneByOne() {
        var one = CellSummary(procedure: p, schoolID: "1", taskCount: 0)
        var batch = one
        let rows: [[(Int32, Double)]] = [[(0, 1), (3, 2.5)], [(1, 0.1), (3, 0.2), (5, 1)], [], [(2, 0.3)]]
        for row in rows {
            for (slot, score) in row { one.addTask(Int(slot), score: score) }
            let slots = row.map(\.0), scores = row.map(\.1)
            guard let maxSlot = slots.max() else { continue }
            slots.withUnsafeBufferPointer { s in
                scores.withUnsafeBufferPointer { v in batch.addTasks(slots: s, scores: v, maxSlot: Int(maxSlot)) }
            }
        }
        #expect(one == batch)
    }

    @Test func reorderTasksInPlaceIsReorderingTasks() {
        var cell = CellSummary(procedure: p, schoolID: "1", taskCount: 0)
        for (k, score) in [(0, 1.0), (1, 2.0), (2, 0.5), (3, 4.0), (1, 0.25)] { cell.addTask(k, score: score) }
        let codes = ["2", "x", "1", "2"], catalogue = ["1", "2", "3", "1"]
        var inPlace = cell
        inPlace.reorderTasks(targets: CellSummary.taskTargets(from: codes, to: catalogue), count: catalogue.count)
        #expect(inPlace == cell.reorderingTasks(from: codes, to: catalogue))
        #expect(cell.reorderingTasks(targets: CellSummary.taskTargets(from: codes, to: catalogue), count: catalogue.count) == inPlace)
    }

    /// Criteria run concurrently; the result must not depend on which finishes first.
    @Test func identificationIsTheSameRunAfterRun() throws {
        let data = try GeneratedRegion.make(schools: 120, seed: 7).data
        let first = Identification.run(data: data, rules: .default, year: 2025).json()
        #expect(first.contains("non_objective"))
        for _ in 0..<5 { #expect(Identification.run(data: data, rules: .default, year: 2025).json() == first) }
    }
}
