import Foundation
import OporaCore
import OporaImport
import OporaStore

/// Uploading data files: the files are staged, checked exactly as `opora import` checks them (by a
/// worker process: the server never reads an uploaded file), previewed, and written only when the
/// uploader confirms. A coordinator's files may be only about its municipality, a regional
/// analyst's only about its region: the worker checks them against the uploader's scope.
public struct UploadsUseCase: Sendable {
    let database: OporaDatabase
    let staging: UploadStaging
    let worker: ImportWorker
    let analysis: AnalysisCache

    public init(database: OporaDatabase, staging: UploadStaging, worker: ImportWorker, analysis: AnalysisCache) {
        (self.database, self.staging, self.worker, self.analysis) = (database, staging, worker, analysis)
    }

    /// A check's outcome: every problem (nothing kept), or the preview of an upload waiting for its confirmation.
    public enum Checked: Sendable {
        case refused(problems: [ImportProblem], verdict: LocalizedText)
        case preview(uploadID: String, ImportPreview)
    }

    public static let acceptedExtensions: Set<String> = ["csv", "txt", "tsv", "xlsx"]

    /// Stages and checks the files.
    public func check(_ files: [(name: String, body: Data)], as who: Acting, now: Date) async throws -> Checked {
        try who.require(.uploadData)
        staging.sweep(now: now)
        let owner = who.actor.userID ?? -1
        let id = try staging.stage(files, owner: owner, now: now)
        let paths = staging.files(id, owner: owner, now: now) ?? []
        if let refused = Self.refusedTypes(paths) {
            staging.remove(id)
            return .refused(problems: refused, verdict: ImportService.verdict(problems: refused.count, truncated: false))
        }
        switch try await worker.check(paths: paths, database: database.location, scope: who.scope) {
        case .failure(let failure):
            staging.remove(id)
            return .refused(problems: failure.problems, verdict: ImportService.verdict(failure))
        case .success(let checked):
            return .preview(uploadID: id, checked)
        }
    }

    /// Checks the staged upload again (the database may have changed since the preview) and stores
    /// it with the uploader as the audit log's actor. Another account's upload, an expired one and a
    /// made-up id are all simply not there. The analysis is rebuilt after it, whatever the outcome (a
    /// worker stopped after its commit has written all the same).
    public func confirm(uploadID: String, as who: Acting, now: Date) async throws -> Result<ImportWritten, ImportFailure> {
        try who.require(.uploadData)
        guard let paths = staging.files(uploadID, owner: who.actor.userID ?? -1, now: now) else { throw UseCaseError.notFound }
        defer { staging.remove(uploadID) }
        let stored = try await worker.store(paths: paths, database: database.location, scope: who.scope, actor: who.actor)
        await analysis.invalidate()
        return stored
    }

    /// Files that are not interchange files by their name, as problems.
    static func refusedTypes(_ paths: [String]) -> [ImportProblem]? {
        let refused = paths.filter { !acceptedExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
        guard !refused.isEmpty else { return nil }
        return refused.map {
            ImportProblem(file: $0, message: LocalizedText(ru: "принимаются только файлы .csv, .txt, .tsv и .xlsx",
                                                           en: "only .csv, .txt, .tsv and .xlsx files are accepted"))
        }
    }
}
