import Foundation
import OporaCore
import OporaImport
import OporaStore

/// The worker's side of `opora import-worker`: what the server (or the CLI) would have done with
/// the untrusted files, done here in the child so that a crash, a hang or a memory blow-up of a
/// reader ends this process only.
public enum ImportWorkerJob {
    /// Modes that need the database (`OPORA_DB` in the worker's environment).
    public static func needsDatabase(_ mode: ImportWorkerRequest.Mode) -> Bool {
        mode == .check || mode == .store
    }

    /// Runs the request; every outcome, even an error, becomes an answer.
    public static func perform(_ request: ImportWorkerRequest, database: OporaDatabase?) async -> ImportWorkerAnswer {
        do {
            switch request.mode {
            case .check, .store:
                guard let db = database else { return ImportWorkerAnswer(error: "no database") }
                switch try await ImportService.check(paths: request.paths, database: db, scope: request.importScope, maxProblems: request.maxProblems) {
                case .failure(let failure):
                    return ImportWorkerAnswer(failure: failure)
                case .success(let checked):
                    guard request.mode == .store else { return ImportWorkerAnswer(preview: ImportPreview(checked)) }
                    let actor = request.actorLogin.map { Actor(userID: request.actorUserID, login: $0) }
                    let written = try await ImportService.store(checked, into: db, actor: actor)
                    return ImportWorkerAnswer(preview: ImportPreview(checked), replacedSlices: written.replacedSlices)
                }
            case .convert:
                guard let path = request.paths.first, request.paths.count == 1, let output = request.output else {
                    return ImportWorkerAnswer(error: "convert takes one path and an output")
                }
                switch WorkbookConversion.csv(path: path) {
                case .failure(let problem):
                    return ImportWorkerAnswer(failure: ImportFailure(problems: [problem], truncated: false))
                case .success(let bytes):
                    guard FileManager.default.createFile(atPath: output, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                        return ImportWorkerAnswer(error: "cannot write \(output)")
                    }
                    return ImportWorkerAnswer()
                }
            case .testAbort:
                abort()
            case .testSpin:
                var x: UInt64 = 1
                while x != 0 { x = x &* 6364136223846793005 &+ 1442695040888963407 | 1 }
                return ImportWorkerAnswer(error: "unreachable")
            case .testAllocate:
                var blocks: [[UInt8]] = []
                while true { blocks.append([UInt8](repeating: 1, count: 64 << 20)) }
            }
        } catch {
            return ImportWorkerAnswer(error: String(describing: error))
        }
    }
}
