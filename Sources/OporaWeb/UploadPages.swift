import Foundation
import Hummingbird
import OporaCore
import OporaImport
import OporaServices
import OporaStore

/// Data upload: the files are staged, checked exactly as `opora import` checks them, shown as a
/// preview (or as every problem, nothing written), and written only when the uploader confirms.
/// The server never reads an uploaded file: checking and storing are done by `opora import-worker`
/// child processes (`ImportWorker`), so a file that crashes or hangs a reader is only refused.
enum UploadPages {

    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/data") { _, context -> HTML in
            let user = try context.requireIdentity()
            env.staging.sweep(now: env.now)
            return try await formPage(env, user: user, language: context.language, error: nil, status: .ok)
        }

        router.post("/data/upload") { request, context -> HTML in
            let user = try context.requireIdentity()
            let language = context.language
            env.staging.sweep(now: env.now)
            guard let boundary = MultipartForm.boundary(request.headers[.contentType]) else {
                return try await formPage(env, user: user, language: language, error: language.pick(
                    ru: "Форма отправлена не как multipart/form-data.", en: "The form was not sent as multipart/form-data."), status: .badRequest)
            }
            var request = request
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            guard let form = try? MultipartForm(body, boundary: boundary) else {
                return try await formPage(env, user: user, language: language, error: language.pick(
                    ru: "Не удалось разобрать загруженные файлы.", en: "The uploaded files could not be read."), status: .badRequest)
            }
            let files = form.parts.filter { $0.name == "files" && !($0.filename ?? "").isEmpty }
            guard !files.isEmpty else {
                return try await formPage(env, user: user, language: language, error: language.pick(
                    ru: "Выберите хотя бы один файл.", en: "Choose at least one file."), status: .badRequest)
            }
            let id = try env.staging.stage(files.map { ($0.filename ?? "", $0.body) }, owner: user.user.id, now: env.now)
            let paths = env.staging.files(id, owner: user.user.id, now: env.now) ?? []
            if let refused = refusedTypes(paths, language) {
                env.staging.remove(id)
                return problemsPage(user: user, language: language, problems: refused, verdict: ImportService.verdict(problems: refused.count, truncated: false))
            }
            switch try await check(paths, env, user) {
            case .failure(let failure):
                env.staging.remove(id)
                return problemsPage(user: user, language: language, problems: failure.problems, verdict: ImportService.verdict(failure))
            case .success(let checked):
                return previewPage(user: user, language: language, id: id, checked: checked)
            }
        }

        router.post("/data/uploads/:id/confirm") { _, context -> HTML in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("id")
            let language = context.language
            // Another account's upload, an expired one and a made-up id are all simply not there.
            guard let paths = env.staging.files(id, owner: user.user.id, now: env.now) else { throw WebError.notFound }
            defer { env.staging.remove(id) }
            // Checked again (the database may have changed since the preview) and stored, by a worker
            // with this account as the audit log's actor.
            let stored = try await env.importWorker.store(paths: paths, database: env.database.location, scope: user.scope, actor: user.actor)
            // Always: a worker stopped after its commit has written all the same.
            await env.analysis.invalidate()
            switch stored {
            case .failure(let failure):
                return problemsPage(user: user, language: language, problems: failure.problems, verdict: ImportService.verdict(failure))
            case .success(let written):
                // The uploader's next page shows what was imported: this page waits for the new
                // analysis (others are served the previous one meanwhile, see AnalysisCache).
                _ = try? await env.analysis.fresh()
                return Views.render("uploadDone", [
                    "summary": language.pick(written.preview.summary),
                    "replaced": ImportService.replacement(written.replacedSlices).map { language.pick($0) } ?? "",
                ], title: language.pick(ru: "Данные загружены", en: "Data imported"), language: language, user: user)
            }
        }
    }

    /// The same checks as `opora import`, in a worker process; a coordinator's files only about its
    /// municipality, a regional analyst's only about its region.
    static func check(_ paths: [String], _ env: WebEnvironment, _ user: CurrentUser) async throws -> Result<ImportPreview, ImportFailure> {
        try await env.importWorker.check(paths: paths, database: env.database.location, scope: user.scope)
    }

    static let acceptedExtensions: Set<String> = ["csv", "txt", "tsv", "xlsx"]

    /// Files that are not interchange files by their name, as problems.
    static func refusedTypes(_ paths: [String], _ language: Language) -> [ImportProblem]? {
        let refused = paths.filter { !acceptedExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
        guard !refused.isEmpty else { return nil }
        return refused.map {
            ImportProblem(file: $0, message: LocalizedText(ru: "принимаются только файлы .csv, .txt, .tsv и .xlsx",
                                                           en: "only .csv, .txt, .tsv and .xlsx files are accepted"))
        }
    }

    // MARK: - Pages

    static func formPage(_ env: WebEnvironment, user: CurrentUser, language: Language, error: String?, status: HTTPResponse.Status) async throws -> HTML {
        let imports: [[String: Any]] = try await env.database.importLog(limit: 50).map { record in
            ["at": DateText.moment(record.importedAt, language), "by": record.importedBy ?? "—", "source": record.source,
             "counts": counts(record.counts, language)]
        }
        var data: [String: Any] = [
            "imports": imports, "noImports": imports.isEmpty,
            "limit": NumberFormat.integer(OporaRequestContext.maxUploadSize / (1024 * 1024), language),
        ]
        if case .municipality(let name) = user.scope { data["municipality"] = name }
        if let error { data["error"] = error }
        return Views.render("upload", data, title: language.pick(ru: "Загрузка данных", en: "Data upload"), language: language,
                            user: user, status: status)
    }

    static func problemsPage(user: CurrentUser, language: Language, problems: [ImportProblem], verdict: LocalizedText) -> HTML {
        let other: Language = language == .ru ? .en : .ru
        let rows: [[String: Any]] = problems.map { p in
            ["file": (p.file as NSString).lastPathComponent, "row": p.row.map { String($0) } ?? "—", "column": p.column ?? "—",
             "message": language.pick(p.message), "other": other.pick(p.message), "otherLang": other.rawValue]
        }
        return Views.render("uploadProblems", ["problems": rows, "verdict": language.pick(verdict)],
                            title: language.pick(ru: "Ошибки в файлах", en: "Problems in the files"), language: language, user: user,
                            status: .unprocessableContent)
    }

    static func previewPage(user: CurrentUser, language: Language, id: String, checked: ImportPreview) -> HTML {
        let files: [[String: Any]] = checked.files.map {
            ["name": ($0.path as NSString).lastPathComponent, "kind": language.pick($0.kind.name),
             "rows": NumberFormat.count($0.rows, .row, en: "row", language)]
        }
        let replaced = checked.slicesToReplace == 0 ? "" : language.pick(
            ru: "Будут заменены прежние результаты: \(checked.slicesToReplace) (школа × процедура).",
            en: "Earlier results will be replaced: \(checked.slicesToReplace) (school × procedure).")
        return Views.render("uploadPreview", [
            "files": files, "summary": language.pick(checked.summary), "replaced": replaced,
            "action": "/data/uploads/\(id)/confirm",
        ], title: language.pick(ru: "Проверка пройдена", en: "Check passed"), language: language, user: user)
    }


    /// `import_log.summary` counts in words.
    static func counts(_ counts: [String: Int], _ language: Language) -> String {
        let names: [(String, String, String)] = [
            ("schools", "школ", "schools"), ("indicators", "значений показателей", "indicator values"), ("tasks", "заданий", "tasks"),
            ("results", "результатов участников", "student results"), ("aggregates", "школьных результатов", "school results"),
            ("replaced_slices", "заменено (школа × процедура)", "replaced (school × procedure)"),
        ]
        return names.compactMap { key, ru, en in
            guard let n = counts[key], n > 0 || key == "results" else { return nil }
            return language.pick(ru: ru, en: en) + ": " + NumberFormat.integer(n, language)
        }.joined(separator: ", ")
    }
}
