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
            return try await formPage(env, user: user, language: context.language, error: nil, status: .ok)
        }

        router.post("/data/upload") { request, context -> HTML in
            let user = try context.requireIdentity()
            let language = context.language
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
            let checked = try await useCase {
                try await env.uploads.check(files.map { ($0.filename ?? "", Data(buffer: $0.body)) }, as: user.acting, now: env.now)
            }
            switch checked {
            case .refused(let problems, let verdict):
                return problemsPage(user: user, language: language, problems: problems, verdict: verdict)
            case .preview(let id, let preview):
                return previewPage(user: user, language: language, id: id, checked: preview)
            }
        }

        router.post("/data/uploads/:id/confirm") { _, context -> HTML in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("id")
            let language = context.language
            switch try await useCase({ try await env.uploads.confirm(uploadID: id, as: user.acting, now: env.now) }) {
            case .failure(let failure):
                return problemsPage(user: user, language: language, problems: failure.problems, verdict: ImportService.verdict(failure))
            case .success(let written):
                // The uploader's next page shows what was imported: this page waits for the new
                // analysis (others are served the previous one meanwhile, see AnalysisCache).
                _ = try? await env.analysis.fresh()
                return Views.render(UploadDonePage(summary: language.pick(written.preview.summary),
                                                   replaced: ImportService.replacement(written.replacedSlices).map { language.pick($0) }),
                                    title: language.pick(ru: "Данные загружены", en: "Data imported"), language: language, user: user)
            }
        }
    }

    // MARK: - Pages

    static func formPage(_ env: WebEnvironment, user: CurrentUser, language: Language, error: String?, status: HTTPResponse.Status) async throws -> HTML {
        var municipality: String?
        if case .municipality(let name) = user.scope { municipality = name }
        let page = UploadPage(imports: try await env.database.importLog(limit: 50), municipality: municipality, error: error, language)
        return Views.render(page, title: language.pick(ru: "Загрузка данных", en: "Data upload"), language: language, user: user, status: status)
    }

    static func problemsPage(user: CurrentUser, language: Language, problems: [ImportProblem], verdict: LocalizedText) -> HTML {
        Views.render(UploadProblemsPage(problems: problems, verdict: verdict, language),
                     title: language.pick(ru: "Ошибки в файлах", en: "Problems in the files"), language: language, user: user,
                     status: .unprocessableContent)
    }

    static func previewPage(user: CurrentUser, language: Language, id: String, checked: ImportPreview) -> HTML {
        Views.render(UploadPreviewPage(id: id, checked: checked, language),
                     title: language.pick(ru: "Проверка пройдена", en: "Check passed"), language: language, user: user)
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

/// The upload form and the history of imports.
struct UploadPage: PageModel {
    static let view = View.upload
    struct Import { var at, by, source, counts: String }
    var imports: [Import]
    var noImports: Bool
    var limit: String
    var municipality: String?
    var error: String?

    init(imports log: [ImportRecord], municipality: String?, error: String?, _ language: Language) {
        imports = log.map { record in
            Import(at: DateText.moment(record.importedAt, language), by: record.importedBy ?? "—", source: record.source,
                   counts: UploadPages.counts(record.counts, language))
        }
        noImports = imports.isEmpty
        limit = NumberFormat.integer(OporaRequestContext.maxUploadSize / (1024 * 1024), language)
        (self.municipality, self.error) = (municipality, error)
    }
}

/// Every problem found in the files, in the page's language and the other; nothing was written.
struct UploadProblemsPage: PageModel {
    static let view = View.uploadProblems
    struct Problem { var file, row, column, message, other, otherLang: String }
    var problems: [Problem]
    var verdict: String

    init(problems: [ImportProblem], verdict: LocalizedText, _ language: Language) {
        let other: Language = language == .ru ? .en : .ru
        self.problems = problems.map { p in
            Problem(file: (p.file as NSString).lastPathComponent, row: p.row.map { String($0) } ?? "—", column: p.column ?? "—",
                    message: language.pick(p.message), other: other.pick(p.message), otherLang: other.rawValue)
        }
        self.verdict = language.pick(verdict)
    }
}

/// What will be written, before anything is: the files, their kinds and rows, and what is replaced.
struct UploadPreviewPage: PageModel {
    static let view = View.uploadPreview
    struct File { var name, kind, rows: String }
    var files: [File]
    var summary: String
    var replaced: String?
    var action: String

    init(id: String, checked: ImportPreview, _ language: Language) {
        files = checked.files.map {
            File(name: ($0.path as NSString).lastPathComponent, kind: language.pick($0.kind.name), rows: NumberFormat.count($0.rows, .row, en: "row", language))
        }
        summary = language.pick(checked.summary)
        replaced = checked.slicesToReplace == 0 ? nil : language.pick(
            ru: "Будут заменены прежние результаты: \(checked.slicesToReplace) (школа × процедура).",
            en: "Earlier results will be replaced: \(checked.slicesToReplace) (school × procedure).")
        action = SiteURL.confirmUpload(id).path
    }
}

/// The import is written.
struct UploadDonePage: PageModel {
    static let view = View.uploadDone
    var summary: String
    var replaced: String?
}
