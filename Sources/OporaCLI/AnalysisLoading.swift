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
    /// Without `digesting`, the data digest (a hash of every record, for runs that show or store it)
    /// is not computed and `LoadedAnalysis.digest` is empty.
    static func fromFiles(_ paths: [String], showProgress: Bool, keeping keep: Set<Procedure> = [],
                          keepingKinds keepKinds: Set<ValueAddedRule.ProcedureKind> = [],
                          digesting: Bool = true) throws -> LoadedAnalysis {
        let bar = showProgress ? ProgressBar() : nil
        let outcome: StreamOutcome<CellConsumer>
        do {
            outcome = try Importer.stream(paths: paths, progress: { progress in
                bar?.update(label: (progress.file as NSString).lastPathComponent, fraction: progress.fraction)
            }, makeConsumer: { CellConsumer(taskCodes: $0.taskCodes, keep: keep, keepKinds: keepKinds, digesting: digesting) })
        } catch {
            bar?.finish()
            throw UserError(listing: error, verdict:
                "Данные не прошли проверку (\(NumberFormat.count(error.problems.count, .problem, en: "problem"))). "
                + "/ The data did not pass the checks (\(NumberFormat.count(error.problems.count, .problem, en: "problem", .en))).")
        }
        bar?.finish()
        let batch = outcome.batch
        // The digest of the other files' records (~750,000 at national scale, numbers formatted as
        // text) is order-independent and needs nothing else: on its own thread while the cells are
        // merged and indexed, which is mostly on one core.
        let batchDigest = BatchDigest(batch)
        if digesting {
            let thread = Thread { batchDigest.run() }
            thread.start()
        }
        let catalogue = Dictionary(grouping: batch.tasks, by: \.procedure).mapValues { $0.map(\.task) }
        var digest = DataDigest()
        var results = 0
        var kept: [StudentResult] = []
        var parts: [CellAssembly.Part] = []
        for var consumer in outcome.consumers {
            consumer.finish()
            kept += consumer.kept
            digest.merge(consumer.digest)
            results += consumer.results
            // Per procedure, once: the catalogue position of each slot (−1 = not in the catalogue).
            let targets = consumer.tallies.indices.map { p in
                CellSummary.taskTargets(from: consumer.slotCodes(procedure: p), to: catalogue[outcome.procedures[p]] ?? [])
            }
            parts.append(CellAssembly.Part(tallies: consumer.tallies, cellSchools: consumer.cellSchools, targets: targets))
        }
        let assembly = CellAssembly(parts: parts, procedures: outcome.procedures, schools: outcome.schools,
                                    catalogueCounts: outcome.procedures.map { catalogue[$0]?.count ?? 0 })
        parts = []
        let cellsByProcedure = assembly.run()
        let data = AnalysisData(schools: batch.schools, indicators: batch.indicators, tasks: Dictionary(grouping: batch.tasks, by: \.procedure),
                                aggregates: batch.aggregates, cellsByProcedure: cellsByProcedure, resultCount: results)
        if digesting {
            batchDigest.done.wait()
            digest.merge(batchDigest.digest)
        }
        return LoadedAnalysis(data: data, digest: digest, kept: kept)
    }
}

/// The digest of an import's schools, indicators, tasks and aggregates, computed on another thread.
private final class BatchDigest: @unchecked Sendable {
    let batch: ImportBatch
    private(set) var digest = DataDigest()
    let done = DispatchSemaphore(value: 0)

    init(_ batch: ImportBatch) { self.batch = batch }

    func run() {
        batch.schools.forEach { digest.add($0) }
        batch.indicators.forEach { digest.add($0) }
        batch.tasks.forEach { digest.add($0) }
        batch.aggregates.forEach { digest.add($0) }
        done.signal()
    }
}

/// Summarises the rows of one part of a results file into cells. A results file has the union of
/// all procedures' task columns, so each procedure numbers only the columns it uses ("slots"), in
/// the order first seen; the task catalogue (which may come in the same import) is applied afterwards.
struct CellConsumer: ResultConsumer {
    let taskCodes: [String]
    /// Per procedure index: its cells in this part (empty for procedures not met), and the school
    /// index of each of those cells.
    private(set) var tallies: [CellTallies] = []
    private(set) var cellSchools: [[Int32]] = []
    /// (procedure index << 32 | school index) → cell number in this part (in order of first row).
    private var cellIndex: [Int64: Int] = [:]
    /// Per cell number: the cell's number among its procedure's `tallies`.
    private var tallyCell: [Int] = []
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
    private var lastTallyCell = -1
    private var lastProcedure = -1
    /// The tallies of `lastProcedure`, taken out of `tallies` while its rows come (rows are grouped
    /// by procedure): a row adds to a stored property instead of going through the array twice.
    private var current = CellTallies()
    private var slots: [Int32] = []
    /// The digest record's procedure-and-school prefix, per cell (none without `digesting`).
    private var prefixes: [DataDigest.Record] = []
    /// Whether rows go into `digest`.
    let digesting: Bool
    private let taskCodeWords: [UInt64]
    private let scratch: TaskScratch

    init(taskCodes: [String], keep: Set<Procedure> = [], keepKinds: Set<ValueAddedRule.ProcedureKind> = [],
         digesting: Bool = true) {
        self.taskCodes = taskCodes
        self.digesting = digesting
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
            let p = row.procedureIndex
            if p != lastProcedure {
                if lastProcedure >= 0 {
                    slotOfColumn[lastProcedure] = slots
                    swap(&current, &tallies[lastProcedure])
                }
                if tallies.count <= p {
                    tallies.append(contentsOf: repeatElement(CellTallies(), count: p + 1 - tallies.count))
                    cellSchools.append(contentsOf: repeatElement([], count: p + 1 - cellSchools.count))
                }
                swap(&current, &tallies[p])
                lastProcedure = p
                slots = slotOfColumn[p] ?? Array(repeating: -1, count: taskCodes.count)
                keepCurrent = keep.contains(row.procedure) || (!keepKinds.isEmpty && keepKinds.contains(.init(of: row.procedure)))
            }
            if let index = cellIndex[key] {
                lastCell = index
            } else {
                lastCell = tallyCell.count
                cellIndex[key] = lastCell
                tallyCell.append(current.appendCell())
                cellSchools[p].append(Int32(row.schoolIndex))
                if digesting { prefixes.append(DataDigest.Record(resultOf: row.procedure.description, schoolID: row.schoolID)) }
            }
            lastTallyCell = tallyCell[lastCell]
        }
        if keepCurrent { kept.append(row.studentResult()) }
        current.add(lastTallyCell, score: row.score, mark: row.mark, journalMark: row.journalMark)
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
        }
        if maxSlot >= 0 {
            let n = row.taskScores.count
            current.addTasks(lastTallyCell, slots: UnsafeBufferPointer(start: scratch.slots, count: n),
                                            scores: UnsafeBufferPointer(start: scratch.scores, count: n), maxSlot: Int(maxSlot))
        }
        if digesting {
            var record = prefixes[lastCell]
            record.participant(row.participantBytes)
            record.values(score: row.score, mark: row.mark, journalMark: row.journalMark)
            for task in row.taskScores { record.task(codeWord: taskCodeWords[Int(task.column)], score: task.score) }
            digest.add(record)
        }
    }

    /// One row's task slots and scores, handed to `CellTallies.addTasks` together. Shared by
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

    /// Saves the slots and puts back the tallies of the procedure in hand (call after the last row).
    mutating func finish() {
        if lastProcedure >= 0 {
            slotOfColumn[lastProcedure] = slots
            swap(&current, &tallies[lastProcedure])
        }
        lastProcedure = -1
        lastKey = -1
    }
}

/// Turns the parts' tallies into each procedure's list of `CellSummary`s, sorted by school, with the
/// task sums in catalogue order. A cell that straddles parts is merged in part order (= file order,
/// so the sums add up in the same order as reading the file in one part). Procedures are independent,
/// so they are built on all cores; each task reads the inputs and writes only its procedure's list.
private final class CellAssembly: @unchecked Sendable {
    struct Part {
        /// Per procedure index, as `CellConsumer` has them.
        var tallies: [CellTallies]
        var cellSchools: [[Int32]]
        /// Per procedure index: each slot's catalogue position (−1 = none).
        var targets: [[Int]]
    }

    private let parts: [Part]
    private let procedures: [Procedure]
    private let schools: [String]
    private let catalogueCounts: [Int]
    private let lists: UnsafeMutablePointer<[CellSummary]>

    init(parts: [Part], procedures: [Procedure], schools: [String], catalogueCounts: [Int]) {
        self.parts = parts
        self.procedures = procedures
        self.schools = schools
        self.catalogueCounts = catalogueCounts
        lists = .allocate(capacity: max(1, procedures.count))
    }

    deinit { lists.deallocate() }

    private final class Box {
        let value: CellTallies
        init(_ value: CellTallies) { self.value = value }
    }

    /// Every procedure with cells → its cells.
    func run() -> [Procedure: [CellSummary]] {
        DispatchQueue.concurrentPerform(iterations: procedures.count) { build($0) }
        var byProcedure: [Procedure: [CellSummary]] = [:]
        for p in procedures.indices {
            let list = (lists + p).move()
            if list.isEmpty { continue }
            if byProcedure[procedures[p]] == nil { byProcedure[procedures[p]] = list } else { byProcedure[procedures[p]]! += list }
        }
        return byProcedure
    }

    private func build(_ p: Int) {
        // This procedure's parts, taken out once (no per-cell retain of shared arrays from two threads).
        // Each part's tallies in a box: a method called on an array element (even through a buffer)
        // copied the tallies, retaining and releasing their ten arrays, for every cell.
        let tallies = parts.map { Box(p < $0.tallies.count ? $0.tallies[p] : CellTallies()) }
        let targets = parts.map { p < $0.targets.count ? $0.targets[p] : [] }
        var entries: [(school: Int32, part: Int32, cell: Int32)] = []
        for (k, part) in parts.enumerated() where p < part.cellSchools.count {
            for (cell, school) in part.cellSchools[p].enumerated() { entries.append((school, Int32(k), Int32(cell))) }
        }
        entries.sort { ($0.school, $0.part) < ($1.school, $1.part) }
        var list: [CellSummary] = []
        list.reserveCapacity(entries.count)
        var lastSchool: Int32 = -1
        for e in entries {
            let k = Int(e.part)
            let cell = tallies[k].value.summary(Int(e.cell), procedure: procedures[p], schoolID: schools[Int(e.school)],
                                                targets: targets[k], taskCount: catalogueCounts[p])
            if e.school == lastSchool { list[list.count - 1].merge(cell) } else { list.append(cell) }
            lastSchool = e.school
        }
        (lists + p).initialize(to: list)
    }
}
