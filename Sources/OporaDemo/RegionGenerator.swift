import Foundation
import OporaCore

/// Generates a realistic synthetic region in the interchange formats v1 (UTF-8, comma-separated,
/// header row, RFC 4180 quoting, codes as strings with leading zeros):
///
/// - `schools.csv`: `school_id,name,municipality,region,settlement,kind,students,distance_km`
/// - `context.csv`: `year,school_id,indicator,value` — every standard indicator code; a missing
///   value is an absent row, never a zero
/// - `tasks.csv`: `year,assessment,subject,grade,task,max_score,level` — ВПР and ОГЭ
/// - `results.csv`: `year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark,task_…`
///   — one header with the union of all procedures' task columns; an empty cell = no such task
///   (or, for `mark`/`journal_mark`, no such value: ЕГЭ has neither, ОГЭ has no journal mark)
/// - `results_school.csv`: `year,assessment,subject,grade,school_id,participants,mean_score,share_2,share_3,share_4,share_5`
///   — the regional maths test in grade 7, published only as school aggregates
/// - `truth.csv`: `school_id,category,mechanism,year,procedure,detail` — what was planted
///
/// The model: each school has latent social well-being (from its place, kind and noise), latent
/// resources (partly following the social latent) and an ability = social + resources + kind +
/// noise. The context indicators are noisy functions of the latents; a student's ability is the
/// school's plus a personal part kept across years; each task is passed point by point with an
/// IRT probability logistic(θ − difficulty) where difficulty depends on the task level.
///
/// Output is deterministic for a spec: every random stream is keyed by (seed, school, year,
/// procedure), so the bytes do not depend on traversal order. Schools are generated and written
/// one by one through fixed buffers, so memory stays bounded at any region size.
public struct RegionGenerator: Sendable {
    public let spec: RegionSpec
    /// Threads generating schools; `nil` = one per active processor (at most 8). The output is
    /// byte-identical whatever the number.
    public let workers: Int?

    public init(spec: RegionSpec = RegionSpec(), workers: Int? = nil) {
        self.spec = spec
        self.workers = workers
    }

    public static let schoolsFile = "schools.csv"
    public static let contextFile = "context.csv"
    public static let tasksFile = "tasks.csv"
    public static let resultsFile = "results.csv"
    public static let aggregatesFile = "results_school.csv"
    public static let truthFile = "truth.csv"
    public static let files = [schoolsFile, contextFile, tasksFile, resultsFile, aggregatesFile, truthFile]

    /// Writes the region's files into `directory` (created if needed; existing files replaced).
    /// `truth.csv` goes to `truthDirectory` when given: the importer reads every CSV of a folder
    /// and does not know the truth file, so keep it apart when the folder is to be imported whole.
    /// `progress` receives the share of schools done, in [0, 1], on the calling thread.
    @discardableResult
    public func write(to directory: URL, truthDirectory: URL? = nil,
                      progress: ((Double) -> Void)? = nil) throws -> GenerationSummary {
        try spec.validate()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let truthDirectory = truthDirectory ?? directory
        try FileManager.default.createDirectory(at: truthDirectory, withIntermediateDirectories: true)
        let plan = RegionPlan(spec: spec)
        let codes = ParticipantCodes(spec: spec)
        var summary = GenerationSummary()
        summary.municipalities = plan.municipalities.count
        summary.files = Self.files

        let tasks = try ByteWriter(url: directory.appendingPathComponent(Self.tasksFile), capacity: 1 << 16)
        try tasks.row(["year", "assessment", "subject", "grade", "task", "max_score", "level"])
        for year in spec.yearRange {
            for proc in DemoCatalogue.vpr + DemoCatalogue.oge {
                for task in proc.tasks {
                    try tasks.row([String(year), proc.assessment.rawValue, proc.subject, String(proc.grade),
                                   task.code, String(task.maxScore), task.level.rawValue])
                }
            }
        }
        try tasks.close()
        summary.taskRows = tasks.rows - 1
        summary.bytes += tasks.bytesWritten

        let sinks = Sinks(
            schools: try ByteWriter(url: directory.appendingPathComponent(Self.schoolsFile), capacity: 1 << 18),
            context: try ByteWriter(url: directory.appendingPathComponent(Self.contextFile), capacity: 1 << 20),
            results: try ByteWriter(url: directory.appendingPathComponent(Self.resultsFile), capacity: 1 << 22),
            aggregates: try ByteWriter(url: directory.appendingPathComponent(Self.aggregatesFile), capacity: 1 << 18),
            truth: try ByteWriter(url: truthDirectory.appendingPathComponent(Self.truthFile), capacity: 1 << 18))
        try sinks.schools.row(["school_id", "name", "municipality", "region", "settlement", "kind", "students", "distance_km"])
        try sinks.context.row(["year", "school_id", "indicator", "value"])
        try sinks.results.row(["year", "assessment", "subject", "grade", "school_id", "student_id", "score", "mark", "journal_mark"]
            + DemoCatalogue.taskColumns.map { "task_\($0)" })
        try sinks.aggregates.row(["year", "assessment", "subject", "grade", "school_id", "participants", "mean_score",
                                  "share_2", "share_3", "share_4", "share_5"])
        try sinks.truth.row(["school_id", "category", "mechanism", "year", "procedure", "detail"])

        // Schools are generated in parallel in small chunks into memory, and the chunks are
        // written in school order: the bytes are the same whatever the number of workers.
        let workers = max(1, self.workers ?? min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let chunkSize = 8
        let chunksPerWave = workers == 1 ? 1 : workers * 4
        let total = plan.schools.count
        var next = 0
        var lastReported = 0.0
        while next < total {
            var ranges: [Range<Int>] = []
            for w in 0..<chunksPerWave {
                let start = next + w * chunkSize
                guard start < total else { break }
                ranges.append(start..<min(total, start + chunkSize))
            }
            let slots = ChunkSlots<Result<Chunk, any Error>>(count: ranges.count)
            let work: @Sendable (Int) -> Void = { [spec, plan, codes, ranges] i in
                slots.put(i, Result { try Self.generateChunk(ranges[i], plan: plan, spec: spec, codes: codes) })
            }
            if ranges.count == 1 {
                work(0)
            } else {
                DispatchQueue.concurrentPerform(iterations: ranges.count, execute: work)
            }
            for i in ranges.indices {
                let chunk = try slots.take(i).get()
                for (writer, part) in zip(sinks.all, chunk.parts) { try writer.append(part.bytes, rows: part.rows) }
                summary.truthByCategory.merge(chunk.truthByCategory, uniquingKeysWith: +)
            }
            next = ranges.last!.upperBound
            let done = Double(next) / Double(total)
            if let progress, done - lastReported >= 0.005 || next == total {
                lastReported = done
                progress(done)
            }
        }
        for w in sinks.all { try w.close() }

        summary.schools = sinks.schools.rows - 1
        summary.contextRows = sinks.context.rows - 1
        summary.resultRows = sinks.results.rows - 1
        summary.aggregateRows = sinks.aggregates.rows - 1
        summary.truthRows = sinks.truth.rows - 1
        summary.bytes += sinks.all.reduce(0) { $0 + $1.bytesWritten }
        return summary
    }

    private struct Chunk {
        var parts: [(bytes: [UInt8], rows: Int)]
        var truthByCategory: [String: Int]
    }

    private static func generateChunk(_ range: Range<Int>, plan: RegionPlan, spec: RegionSpec,
                                      codes: ParticipantCodes) throws -> Chunk {
        let sinks = Sinks(schools: ByteWriter(memoryCapacity: 1 << 14), context: ByteWriter(memoryCapacity: 1 << 16),
                          results: ByteWriter(memoryCapacity: 1 << 20), aggregates: ByteWriter(memoryCapacity: 1 << 12),
                          truth: ByteWriter(memoryCapacity: 1 << 14))
        var summary = GenerationSummary()
        for i in range {
            let school = plan.schools[i]
            try SchoolSimulator(spec: spec, school: school, municipality: plan.municipalities[school.municipality], codes: codes)
                .write(to: sinks, summary: &summary)
        }
        return Chunk(parts: sinks.all.map { $0.takeBytes() }, truthByCategory: summary.truthByCategory)
    }

    // MARK: - The tests' public facts

    /// The demo's procedures with student rows (ВПР russian/math 4–8, ОГЭ russian/math 9,
    /// ЕГЭ russian/math 11), in output order.
    public static var procedures: [DemoProcedure] { DemoCatalogue.studentProcedures }

    /// The aggregate-only procedure (regional maths test, grade 7).
    public static var aggregateProcedure: DemoProcedure { DemoCatalogue.regional }

    /// The demo procedure of a procedure (any year), or `nil` if the demo does not generate it.
    public static func demoProcedure(for procedure: Procedure) -> DemoProcedure? {
        (DemoCatalogue.studentProcedures + [DemoCatalogue.regional]).first {
            $0.assessment == procedure.assessment && $0.subject == procedure.subject && $0.grade == procedure.grade
        }
    }

    /// Minimum primary scores for marks 3, 4, 5 — e.g. `[6, 10, 15]`: 0–5 → 2, 6–9 → 3,
    /// 10–14 → 4, 15–max → 5. The same every year. `nil` for ЕГЭ (no marks) and unknown procedures.
    public static func markBoundaries(for procedure: Procedure) -> [Int]? {
        demoProcedure(for: procedure)?.markBoundaries
    }

    /// The mark of a primary score under the demo's boundaries (`nil` for ЕГЭ / unknown).
    public static func mark(forScore score: Int, procedure: Procedure) -> Int? {
        demoProcedure(for: procedure)?.mark(forScore: score)
    }

    /// The tasks of a procedure as Core metadata (empty for ЕГЭ / unknown).
    public static func tasks(for procedure: Procedure) -> [TaskInfo] {
        demoProcedure(for: procedure)?.taskInfos(year: procedure.year) ?? []
    }

    /// ЕГЭ minimum test score of a subject (russian 36, math 27); ЕГЭ rows carry no marks.
    public static func egeMinimumScore(subject: String) -> Int { DemoCatalogue.egeMinimum(subject) }
}

/// One result slot per parallel chunk; each slot is written by exactly one worker, then read
/// by the coordinating thread after all workers are done.
private final class ChunkSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func put(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func take(_ i: Int) -> T {
        lock.lock()
        defer { lock.unlock() }
        return slots[i]!
    }
}
