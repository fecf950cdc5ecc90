import Foundation
import OporaAnalysis
import OporaCore
import OporaImport
import OporaServices
import OporaStore

enum AnalysisLoading {
    /// The interchange files of a folder, as `opora import` reads them, but for `truth.csv` (the
    /// generator's answer key).
    static func dataFiles(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw UserError("папка не найдена: \(directory) / no such folder: \(directory)")
        }
        let files = Importer.dataFiles(inFolder: directory).filter { ($0 as NSString).lastPathComponent != "truth.csv" }
        guard !files.isEmpty else { throw UserError("в папке нет файлов данных: \(directory) / no data files in \(directory)") }
        return files
    }

    /// Reads the files straight into summaries: results stream past in parallel parts and only
    /// per (procedure, school) cells are kept, so national-scale files fit in memory.
    /// Student rows are kept for the procedures in `keep` and, in any year, of the kinds in `keepKinds`
    /// (a rule set's value-added names procedures without the year, which is known only after reading).
    static func fromFiles(_ paths: [String], showProgress: Bool, keeping keep: Set<Procedure> = [],
                          keepingKinds keepKinds: Set<ValueAddedRule.ProcedureKind> = []) throws -> LoadedAnalysis {
        let bar = showProgress ? ProgressBar() : nil
        let outcome: StreamOutcome<CellConsumer>
        do {
            outcome = try Importer.stream(paths: paths, progress: { progress in
                bar?.update(label: (progress.file as NSString).lastPathComponent, fraction: progress.fraction)
            }, makeConsumer: { CellConsumer(taskCodes: $0.taskCodes, keep: keep, keepKinds: keepKinds) })
        } catch {
            bar?.finish()
            throw UserError(listing: error, verdict:
                "Данные не прошли проверку (\(NumberFormat.count(error.problems.count, .problem, en: "problem"))). "
                + "/ The data did not pass the checks (\(NumberFormat.count(error.problems.count, .problem, en: "problem", .en))).")
        }
        bar?.finish()
        let batch = outcome.batch
        let catalogue = Dictionary(grouping: batch.tasks, by: \.procedure).mapValues { $0.map(\.task) }

        // Cells of one (procedure, school) may straddle parts: move each part's task sums into the
        // catalogue's order, then merge (parts in file order, so sums add up in the same order).
        // The merged cells live in a plain buffer so that they can be moved, not copied, into
        // their procedure's list at the end (half a million cells of seven arrays each).
        let capacity = outcome.consumers.reduce(0) { $0 + $1.cells.count }
        let merged = UnsafeMutablePointer<CellSummary>.allocate(capacity: max(1, capacity))
        defer { merged.deallocate() }
        var mergedIndex: [Int64: Int] = [:]
        mergedIndex.reserveCapacity(capacity)
        var mergedKeys: [Int64] = []
        var digest = DataDigest()
        var results = 0
        var kept: [StudentResult] = []
        for var consumer in outcome.consumers {
            consumer.finish()
            kept += consumer.kept
            digest.merge(consumer.digest)
            results += consumer.results
            // Per procedure, once: the catalogue position of each slot (−1 = not in the catalogue).
            var targetsOfProcedure: [Int: [Int]] = [:]
            for (key, index) in consumer.cellIndex {
                let procedureIndex = Int(key >> 32)
                let catalogueCodes = catalogue[outcome.procedures[procedureIndex]] ?? []
                if targetsOfProcedure[procedureIndex] == nil {
                    targetsOfProcedure[procedureIndex] = CellSummary.taskTargets(from: consumer.slotCodes(procedure: procedureIndex),
                                                                                 to: catalogueCodes)
                }
                var cell = consumer.cells[index]
                cell.reorderTasks(targets: targetsOfProcedure[procedureIndex]!, count: catalogueCodes.count)
                if let m = mergedIndex[key] {
                    merged[m].merge(cell)
                } else {
                    mergedIndex[key] = mergedKeys.count
                    (merged + mergedKeys.count).initialize(to: cell)
                    mergedKeys.append(key)
                }
            }
        }
        // Procedure, then school index (= school code order): each procedure's list comes out
        // sorted by school, as AnalysisData keeps it. Every cell is moved out exactly once.
        var cellsByProcedure: [Procedure: [CellSummary]] = [:]
        for i in mergedKeys.indices.sorted(by: { mergedKeys[$0] < mergedKeys[$1] }) {
            cellsByProcedure[outcome.procedures[Int(mergedKeys[i] >> 32)], default: []].append((merged + i).move())
        }
        batch.schools.forEach { digest.add($0) }
        batch.indicators.forEach { digest.add($0) }
        batch.tasks.forEach { digest.add($0) }
        batch.aggregates.forEach { digest.add($0) }
        let data = AnalysisData(schools: batch.schools, indicators: batch.indicators, tasks: Dictionary(grouping: batch.tasks, by: \.procedure),
                                aggregates: batch.aggregates, cellsByProcedure: cellsByProcedure, resultCount: results)
        return LoadedAnalysis(data: data, digest: digest, kept: kept)
    }
}

/// Summarises the rows of one part of a results file into cells. A results file has the union of
/// all procedures' task columns, so each procedure numbers only the columns it uses ("slots"), in
/// the order first seen; the task catalogue (which may come in the same import) is applied afterwards.
struct CellConsumer: ResultConsumer {
    let taskCodes: [String]
    var cellIndex: [Int64: Int] = [:]
    var cells: [CellSummary] = []
    var digest = DataDigest()
    var results = 0
    /// Rows of the procedures in `keep` (or of a kind in `keepKinds`), as `StudentResult`s.
    let keep: Set<Procedure>
    let keepKinds: Set<ValueAddedRule.ProcedureKind>
    var kept: [StudentResult] = []
    private var keepCurrent = false
    /// Per procedure index: file column → slot (−1 = unused), and slot → file column.
    private(set) var slotOfColumn: [Int: [Int32]] = [:]
    private(set) var columnOfSlot: [Int: [Int]] = [:]
    private var lastKey: Int64 = -1
    private var lastCell = -1
    private var lastProcedure = -1
    private var slots: [Int32] = []
    /// The digest record's procedure-and-school prefix, per cell.
    private var prefixes: [DataDigest.Record] = []
    private let taskCodeWords: [UInt64]
    private let scratch: TaskScratch

    init(taskCodes: [String], keep: Set<Procedure> = [], keepKinds: Set<ValueAddedRule.ProcedureKind> = []) {
        self.taskCodes = taskCodes
        self.keep = keep
        self.keepKinds = keepKinds
        taskCodeWords = taskCodes.map(DataDigest.word(for:))
        scratch = TaskScratch(capacity: taskCodes.count)
    }

    /// The task codes of a procedure's slots, in slot order.
    func slotCodes(procedure: Int) -> [String] { (columnOfSlot[procedure] ?? []).map { taskCodes[$0] } }

    mutating func consume(_ row: borrowing ResultRow) {
        results += 1
        let key = Int64(row.procedureIndex) << 32 | Int64(row.schoolIndex)
        if key != lastKey {
            lastKey = key
            if let index = cellIndex[key] {
                lastCell = index
            } else {
                lastCell = cells.count
                cellIndex[key] = lastCell
                cells.append(CellSummary(procedure: row.procedure, schoolID: row.schoolID, taskCount: 0))
                prefixes.append(DataDigest.Record(resultOf: row.procedure.description, schoolID: row.schoolID))
            }
            if row.procedureIndex != lastProcedure {
                if lastProcedure >= 0 { slotOfColumn[lastProcedure] = slots }
                lastProcedure = row.procedureIndex
                slots = slotOfColumn[lastProcedure] ?? Array(repeating: -1, count: taskCodes.count)
                keepCurrent = keep.contains(row.procedure) || (!keepKinds.isEmpty && keepKinds.contains(.init(of: row.procedure)))
            }
        }
        if keepCurrent { kept.append(row.studentResult()) }
        var record = prefixes[lastCell]
        record.participant(row.participantBytes)
        record.values(score: row.score, mark: row.mark, journalMark: row.journalMark)
        cells[lastCell].add(score: row.score, mark: row.mark, journalMark: row.journalMark)
        var maxSlot: Int32 = -1
        for (k, task) in row.taskScores.enumerated() {
            let column = Int(task.column)
            var slot = slots[column]
            if slot < 0 {
                slot = Int32(columnOfSlot[lastProcedure, default: []].count)
                columnOfSlot[lastProcedure, default: []].append(column)
                slots[column] = slot
            }
            scratch.slots[k] = slot
            scratch.scores[k] = task.score
            if slot > maxSlot { maxSlot = slot }
            record.task(codeWord: taskCodeWords[column], score: task.score)
        }
        if maxSlot >= 0 {
            let n = row.taskScores.count
            cells[lastCell].addTasks(slots: UnsafeBufferPointer(start: scratch.slots, count: n),
                                     scores: UnsafeBufferPointer(start: scratch.scores, count: n), maxSlot: Int(maxSlot))
        }
        digest.add(record)
    }

    /// One row's task slots and scores, handed to `CellSummary.addTasks` together. Shared by
    /// copies of the consumer; only the copy reading rows writes it.
    private final class TaskScratch {
        let slots: UnsafeMutablePointer<Int32>
        let scores: UnsafeMutablePointer<Double>

        init(capacity: Int) {
            slots = .allocate(capacity: max(1, capacity))
            scores = .allocate(capacity: max(1, capacity))
        }

        deinit {
            slots.deallocate()
            scores.deallocate()
        }
    }

    /// Saves the slots of the procedure in hand (call once after the last row).
    mutating func finish() {
        if lastProcedure >= 0 { slotOfColumn[lastProcedure] = slots }
    }
}
