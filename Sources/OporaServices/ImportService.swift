import Foundation
import OporaCore
import OporaImport
import OporaStore

/// Checking and storing interchange files, shared by `opora import` and the web upload. Everything
/// is checked before anything is written, and the write is all-or-nothing.
public enum ImportService {
    /// Files that passed every check: what `store` will write.
    public struct CheckedImport: Sendable {
        public var batch: ImportBatch
        /// Student results, packed (tens of bytes a row, so files of millions of rows fit).
        public var packed: [PackedResults]
        public var tables: PackedResultTables
        public var results: Int
        public var procedures: Int
        /// Slices (school × procedure) that hold results now and would be replaced.
        public var slicesToReplace: Int

        /// What will be written, one sentence per language.
        public var summary: LocalizedText {
            ImportService.describe(batch, results: results, procedures: procedures)
        }

        /// The import as `import_log.source` names it: each file with its kind and rows.
        public var source: String {
            batch.files.map { "\(($0.path as NSString).lastPathComponent) (\($0.kind.rawValue), \($0.rows))" }.joined(separator: ", ")
        }
    }

    /// Checks the files (folders expanded) against what is stored. Within a region's or a
    /// municipality's scope, the files may only be about its schools; anything else is a problem like
    /// any other. Uploads are for territories: a scope of single schools is refused.
    public static func check(paths: [String], database db: OporaDatabase, scope: Scope = .everything, maxProblems: Int = 200,
                             progress: (@Sendable (ImportProgress) -> Void)? = nil) async throws -> Result<CheckedImport, ImportFailure> {
        var context = ImportContext(knownSchools: try await db.schoolIDs(), knownTasks: try await db.taskCatalogue(), problemLimit: maxProblems)
        let level: (ImportTerritory.Level, String)?
        switch scope {
        case .everything: level = nil
        case .region(let name): level = (.region, name)
        case .municipality(let name): level = (.municipality, name)
        case .schools: throw ImportScopeError()
        }
        if let (kind, name) = level {
            let own = try await db.scoped(scope).schoolIDs()
            context.territory = ImportTerritory(kind, name, otherSchools: context.knownSchools.subtracting(own))
            context.knownSchools = own
        }
        let clock = ContinuousClock()
        let started = clock.now
        let outcome: StreamOutcome<PackingConsumer>
        do {
            outcome = try Importer.stream(paths: paths, context: context, progress: progress,
                                          makeConsumer: { PackingConsumer(taskCodes: $0.taskCodes) })
        } catch {
            return .failure(error)
        }
        let packed = outcome.consumers.map(\.rows)
        let results = packed.reduce(0) { $0 + $1.count }
        db.logger.debug("checked \(results) results in \(clock.now - started)")
        let tables = PackedResultTables(procedures: outcome.procedures, schools: outcome.schools)
        return .success(CheckedImport(
            batch: outcome.batch, packed: packed, tables: tables, results: results,
            procedures: Set(outcome.procedures).union(outcome.batch.aggregates.map(\.procedure)).count,
            slicesToReplace: try await db.slicesToReplace(packed: packed, tables: tables)))
    }

    /// Writes a checked import in one transaction. `actor` (a web upload) is recorded in the audit log.
    @discardableResult
    public static func store(_ checked: CheckedImport, into db: OporaDatabase, actor: Actor? = nil) async throws -> StoreSummary {
        let batch = checked.batch
        let dataset = Dataset(schools: batch.schools, indicators: batch.indicators, tasks: batch.tasks, results: [], aggregates: batch.aggregates)
        return try await db.store(dataset, packed: checked.packed, tables: checked.tables, source: checked.source, actor: actor)
    }

    /// The verdict over a failed check: how many problems, and that nothing was written.
    public static func verdict(_ failure: ImportFailure) -> LocalizedText {
        verdict(problems: failure.problems.count, truncated: failure.truncated)
    }

    public static func verdict(problems n: Int, truncated: Bool) -> LocalizedText {
        LocalizedText(
            ru: "Импорт отменён: \(NumberFormat.count(n, .problem, en: "problem"))\(truncated ? " (показаны первые)" : ""), "
                + "ничего не записано.",
            en: "Import cancelled: \(NumberFormat.count(n, .problem, en: "problem", .en))"
                + "\(truncated ? " (the first ones shown)" : ""), nothing was written.")
    }

    /// Results of earlier imports replaced (or to be replaced): `nil` when none.
    public static func replacement(_ slices: Int) -> LocalizedText? {
        guard slices > 0 else { return nil }
        return LocalizedText(ru: "Заменены прежние результаты: \(slices) (школа × процедура).",
                             en: "Earlier results replaced: \(slices) (school × procedure).")
    }

    public static func describe(_ batch: ImportBatch, results: Int, procedures: Int) -> LocalizedText {
        let files = batch.files.count
        return LocalizedText(
            ru: "\(NumberFormat.count(files, .file, en: "file")): \(NumberFormat.count(batch.schools.count, .school, en: "school")), "
                + "\(NumberFormat.count(batch.indicators.count, .value, en: "value")) показателей, "
                + "заданий: \(NumberFormat.integer(batch.tasks.count)), \(NumberFormat.count(results, .result, en: "result")) участников, "
                + "школьных результатов: \(NumberFormat.integer(batch.aggregates.count)), процедур: \(NumberFormat.integer(procedures)).",
            en: "\(NumberFormat.count(files, .file, en: "file", .en)): \(NumberFormat.count(batch.schools.count, .school, en: "school", .en)), "
                + "\(NumberFormat.count(batch.indicators.count, .value, en: "indicator value", .en)), "
                + "\(NumberFormat.count(batch.tasks.count, .value, en: "task", .en)), "
                + "\(NumberFormat.count(results, .result, en: "student result", .en)), "
                + "\(NumberFormat.count(batch.aggregates.count, .result, en: "school result", .en)), "
                + "\(NumberFormat.count(procedures, .value, en: "procedure", .en)).")
    }
}

/// Packs the rows of one part of a results file for the bulk write.
struct PackingConsumer: ResultConsumer {
    let taskCodes: [String]
    var rows = PackedResults()

    mutating func consume(_ row: borrowing ResultRow) {
        let tasks = row.taskScores
        let codes = taskCodes
        rows.append(procedure: row.procedureIndex, school: row.schoolIndex, participant: row.participantBytes,
                    score: row.score, mark: row.mark, journalMark: row.journalMark) { buffer in
            for (i, task) in tasks.enumerated() {
                PackedResults.appendTaskScore(code: codes[Int(task.column)], score: task.score, first: i == 0, to: &buffer)
            }
        }
    }
}

/// Data is uploaded for a region or a municipality, never by a school or curator account.
public struct ImportScopeError: Error, CustomStringConvertible {
    public var description: String { "uploads are made within a region or a municipality" }
}
