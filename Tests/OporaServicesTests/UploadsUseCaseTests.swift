import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

/// Issue 18: the upload's decisions — who may upload, whose staged upload may be confirmed, which
/// files are refused by their name — in one use case (the web's tests run the worker itself).
@Suite("Uploads use case")
struct UploadsUseCaseTests {
    @Test func refusesRolesOtherUploadsAndFileTypesBeforeAnyWorker() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-uploads-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try await OporaDatabase.open(.sqlite(path: folder.path + ".sqlite"))
        defer { try? FileManager.default.removeItem(atPath: folder.path + ".sqlite") }
        do {
            // A worker executable that does not exist: nothing here may reach it.
            let uploads = UploadsUseCase(database: db, staging: UploadStaging(root: folder),
                                         worker: ImportWorker(settings: ImportWorkerSettings(executable: "/nonexistent/opora")),
                                         analysis: AnalysisCache(database: db, staleWait: nil))
            let now = Date()
            let coordinator = Acting(role: .municipality, scope: .municipality("М"), actor: Actor(userID: 7, login: "mo"))
            let other = Acting(role: .municipality, scope: .municipality("М"), actor: Actor(userID: 8, login: "mo2"))
            let viewer = Acting(role: .viewer, scope: .municipality("М"), actor: Actor(userID: 9, login: "viewer"))
            let file = [(name: "schools.csv", body: Data("school_id\n".utf8))]
            #expect(await refusal { _ = try await uploads.check(file, as: viewer, now: now) }?.kind == .forbidden)
            #expect(await refusal { _ = try await uploads.confirm(uploadID: "made-up", as: coordinator, now: now) }?.kind == .notFound)

            // A file that is no interchange file by its name: refused without a worker, and not kept.
            guard case .refused(let problems, _) = try await uploads.check([(name: "notes.docx", body: Data("x".utf8))], as: coordinator, now: now) else {
                Issue.record("a .docx was not refused")
                return
            }
            #expect(problems.first?.message.ru == "принимаются только файлы .csv, .txt, .tsv и .xlsx")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty)

            // Staged by one account: another account of the same role cannot confirm it.
            let staged = try UploadStaging(root: folder).stage(file, owner: 7, now: now)
            #expect(await refusal { _ = try await uploads.confirm(uploadID: staged, as: other, now: now) }?.kind == .notFound)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
