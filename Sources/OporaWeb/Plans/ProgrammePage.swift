import Foundation
import Hummingbird
import NIOCore
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// One programme: its goals, indicators with traffic lights and value entry, and its roadmap by
/// section — each measure with its (computed) status, evidence, files and comments.
enum ProgrammePage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/programmes/:id") { _, context -> HTML in
            let user = try context.requireIdentity()
            guard let id = Int(try context.parameters.require("id")) else { throw WebError.notFound }
            return try await render(id, env: env, context: context, user: user, error: nil, status: .ok)
        }

        router.post("/programmes/:id/measures") { request, context -> Response in
            let (user, id, form) = try await programmeForm(request, context)
            guard let deadline = Deadline(date: form["deadline"], recurrence: form["recurrence"]),
                  let section = MeasureSection(rawValue: form["section"]) else {
                return try await render(id, env: env, context: context, user: user, status: .badRequest,
                                        error: context.language.pick(ru: "Укажите срок: дату или периодичность.", en: "Give a deadline: a date or a recurrence."))
            }
            let measure = Measure(section: section, title: form["title"], deadline: deadline, responsible: form["responsible"],
                                  expectedResult: form["expected_result"], indicatorID: Int(form["indicator"]))
            return try await saving(id, env, context, user) {
                let stored = try await env.roadmap.addMeasure(measure, toProgramme: id, as: user.acting)
                return SiteURL.programme(id).at("measure-\(stored.id)")
            }
        }

        // One form saves the status, the evidence, what/when/who and a file together; a refusal
        // brings the form back open, with everything typed and the reason beside its field.
        router.post("/measures/:id/update") { request, context -> Response in
            let user = try context.requireIdentity()
            guard let id = Int(try context.parameters.require("id")) else { throw WebError.notFound }
            let (measure, programme) = try await useCase { try await env.roadmap.measure(id: id, as: user.acting) }
            var request = request
            let body = try await request.collectBody(within: measureFileLimit + 64 * 1024)
            var form: FormData
            var file: RoadmapUseCase.NewFile?
            if let boundary = MultipartForm.boundary(request.headers[.contentType]) {
                guard let multipart = try? MultipartForm(body, boundary: boundary) else {
                    throw WebError.badRequest(ru: "Не удалось прочитать форму.", en: "The form could not be read.")
                }
                form = FormData(values: Dictionary(multipart.parts.filter { $0.filename == nil }.map { ($0.name, String(buffer: $0.body)) },
                                                   uniquingKeysWith: { _, last in last }))
                if let part = multipart.parts.first(where: { $0.name == "file" && !($0.filename ?? "").isEmpty }) {
                    file = .init(name: part.filename ?? "file", contentType: contentType(of: part.filename ?? ""), content: Data(buffer: part.body))
                }
            } else {
                form = FormData(body)
            }
            // A template's measure is edited to fit the school: what, by when, who.
            func text(_ key: String) -> String? {
                let v = form[key].trimmingCharacters(in: .whitespacesAndNewlines)
                return form.values[key] == nil || v.isEmpty ? nil : v
            }
            let change = MeasureChange(status: MeasureStatus(rawValue: form["status"]).flatMap { MeasureStatus.settable.contains($0) ? $0 : nil },
                                       evidence: form["evidence"], title: text("title"),
                                       deadline: Deadline(date: form["deadline"], recurrence: form["recurrence"]), responsible: text("responsible"))
            do {
                _ = try await env.roadmap.updateMeasure(id: measure.id, change, attaching: file, as: user.acting)
                return Response(status: .seeOther, headers: [.location: SiteURL.programme(programme.id).at("measure-\(measure.id)")])
            } catch let refusal as UseCaseError {
                let status = try formStatus(refusal)
                // A browser cannot fill a file field again: say so when one was chosen.
                let again = file == nil ? "" : context.language.pick(ru: " Файл не сохранён: выберите его снова.", en: " The file was not saved: choose it again.")
                let kept = KeptMeasureForm(measureID: measure.id, form: form, message: context.language.pick(refusal.message) + again, field: refusal.field)
                return try await render(programme.id, env: env, context: context, user: user, error: nil, kept: kept, status: status).makeResponse(status: status)
            }
        }

        router.post("/measures/:id/comments") { request, context -> Response in
            let (user, id, form) = try await programmeForm(request, context)
            let (measure, programme) = try await useCase { try await env.roadmap.measure(id: id, as: user.acting) }
            return try await saving(programme.id, env, context, user) {
                _ = try await env.roadmap.comment(measureID: measure.id, body: form["body"], as: user.acting)
                return SiteURL.programme(programme.id).at("measure-\(measure.id)")
            }
        }

        router.post("/measures/:id/files") { request, context -> Response in
            let user = try context.requireIdentity()
            guard let id = Int(try context.parameters.require("id")) else { throw WebError.notFound }
            let (measure, programme) = try await useCase { try await env.roadmap.measure(id: id, as: user.acting) }
            var request = request
            let body = try await request.collectBody(within: measureFileLimit + 64 * 1024)
            guard let boundary = MultipartForm.boundary(request.headers[.contentType]),
                  let form = try? MultipartForm(body, boundary: boundary),
                  let part = form.parts.first(where: { $0.name == "file" && !($0.filename ?? "").isEmpty }) else {
                return try await render(programme.id, env: env, context: context, user: user, status: .badRequest,
                                        error: context.language.pick(ru: "Выберите файл.", en: "Choose a file."))
            }
            return try await saving(programme.id, env, context, user) {
                _ = try await env.roadmap.attach(measureID: measure.id, fileName: part.filename ?? "file", contentType: contentType(of: part.filename ?? ""),
                                                 content: Data(buffer: part.body), as: user.acting)
                return SiteURL.programme(programme.id).at("measure-\(measure.id)")
            }
        }

        router.get("/files/:id") { _, context -> Response in
            let user = try context.requireIdentity()
            guard let id = Int(try context.parameters.require("id")),
                  let (file, content) = try await env.database.scoped(user.scope).file(id: id) else { throw WebError.notFound }
            // Always a download, never rendered in Opora's origin.
            let encoded = file.fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
            return Response(status: .ok, headers: [
                .contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"file\"; filename*=UTF-8''\(encoded)",
                HeaderName("X-Content-Type-Options")!: "nosniff", .cacheControl: "no-store",
            ], body: .init(byteBuffer: ByteBuffer(bytes: content)))
        }

        router.post("/programmes/:id/indicators") { request, context -> Response in
            let (user, id, form) = try await programmeForm(request, context, limit: 16 * 1024)
            guard let unit = MonitoringIndicator.Unit(rawValue: form["unit"]), let direction = Direction(rawValue: form["direction"]),
                  let period = MonitoringIndicator.Period(rawValue: form["period"]) else { throw WebError.badRequest(ru: "Неполная форма.", en: "Incomplete form.") }
            // Baseline and target as typed, read by the unit; an empty one is «not set», a wrong one refused.
            var typed: [String: Double] = [:]
            for field in ["baseline", "target"] where !form[field].trimmingCharacters(in: .whitespaces).isEmpty {
                switch unit.value(typed: form[field]) {
                case .success(let v): typed[field] = v
                case .failure(let problem):
                    let name = context.language.pick(field == "baseline" ? LocalizedText(ru: "Исходное значение", en: "Baseline") : LocalizedText(ru: "Цель", en: "Target"))
                    return try await render(id, env: env, context: context, user: user, status: .badRequest,
                                            error: name + ": " + context.language.pick(problem.message))
                }
            }
            let indicator = MonitoringIndicator(name: form["name"].trimmingCharacters(in: .whitespaces), unit: unit, direction: direction,
                                                baseline: typed["baseline"], target: typed["target"], period: period)
            return try await saving(id, env, context, user) {
                _ = try await env.roadmap.addIndicator(indicator, toProgramme: id, as: user.acting)
                return SiteURL.programme(id).at("indicators")
            }
        }

        router.post("/indicators/:id/values") { request, context -> Response in
            let (user, id, form) = try await programmeForm(request, context, limit: 16 * 1024)
            guard let found = try await env.database.scoped(user.scope).indicator(id: id) else { throw WebError.notFound }
            return try await saving(found.programme.id, env, context, user) {
                _ = try await env.roadmap.record(indicatorID: id, period: form["period"].trimmingCharacters(in: .whitespaces), typed: form["value"],
                                                 as: user.acting)
                return SiteURL.programme(found.programme.id).at("indicators")
            }
        }
    }

    /// The account, the numeric id in the path (else 404) and the posted form.
    static func programmeForm(_ request: Request, _ context: OporaRequestContext, limit: Int = 64 * 1024) async throws -> (CurrentUser, Int, FormData) {
        let user = try context.requireIdentity()
        guard let id = Int(try context.parameters.require("id")) else { throw WebError.notFound }
        var request = request
        return (user, id, FormData(try await request.collectBody(within: limit)))
    }

    /// Runs a change and goes to the anchor it returns; a refusal is shown on the programme's page.
    static func saving(_ programmeID: Int, _ env: WebEnvironment, _ context: OporaRequestContext, _ user: CurrentUser,
                       _ change: () async throws -> String) async throws -> Response {
        do {
            return Response(status: .seeOther, headers: [.location: try await change()])
        } catch let refusal as UseCaseError {
            return try await render(programmeID, env: env, context: context, user: user, status: try formStatus(refusal),
                                    error: context.language.pick(refusal.message))
        }
    }

    /// A number as people type it ("0,35", "35", "35%"); a share above 1 was typed as per cent.
    static func contentType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "pdf": "application/pdf"
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        default: "application/octet-stream"
        }
    }

    static func render(_ id: Int, env: WebEnvironment, context: OporaRequestContext, user: CurrentUser, status: HTTPResponse.Status = .ok,
                       error: String?) async throws -> Response {
        try await render(id, env: env, context: context, user: user, error: error, status: status).makeResponse(status: status)
    }

    static func render(_ id: Int, env: WebEnvironment, context: OporaRequestContext, user: CurrentUser, error: String?,
                       kept: KeptMeasureForm? = nil, status: HTTPResponse.Status) async throws -> HTML {
        let language = context.language
        let store = env.database.scoped(user.scope)
        guard let programme = try await store.programme(id: id), let measures = try await store.measures(programmeID: id),
              let indicators = try await store.indicators(programmeID: id), let readings = try await store.readings(programmeID: id) else {
            throw WebError.notFound
        }
        var files: [Int: [MeasureFile]] = [:], comments: [Int: [MeasureComment]] = [:]
        for m in measures {
            files[m.id] = try await store.files(measureID: m.id) ?? []
            comments[m.id] = try await store.comments(measureID: m.id) ?? []
        }
        var shown: [Int: [IndicatorReading]] = [:]
        for i in indicators {
            shown[i.id] = try await IndicatorReadings.of(i, stored: readings[i.id] ?? [], owner: programme.owner, env: env, store: store)
        }
        let ownerName: String
        switch programme.owner {
        case .school(let sid): ownerName = try await store.school(id: sid)?.name ?? sid
        case .municipality(let m): ownerName = m
        }
        let page = ProgrammePageModel(
            programme, ownerName: ownerName, measures: measures, files: files, comments: comments, indicators: indicators, readings: shown,
            today: Day(env.now), canWrite: Policy.allows(user.user.role, RoadmapUseCase.permission(toWrite: programme)),
            canComment: Policy.allows(user.user.role, .commentPlan), error: error, kept: kept, language)
        return Views.render(page, title: programme.title, language: language, user: user, status: status)
    }

    static func deadlineText(_ d: Deadline, today: Day, _ language: Language) -> String {
        switch d {
        case .date(let day): day.text(language)
        case .recurring(let r): language.pick(r.name) + language.pick(ru: " (до ", en: " (by ") + d.due(on: today).text(language) + ")"
        }
    }

    static func value(_ v: Double, _ unit: MonitoringIndicator.Unit, _ language: Language) -> String {
        switch unit {
        case .share: Wording.percent(v, language)
        case .yesNo: v >= 0.5 ? language.pick(ru: "да", en: "yes") : language.pick(ru: "нет", en: "no")
        case .count: NumberFormat.decimal(v, digits: v.rounded() == v ? 0 : 1, language)
        default: NumberFormat.decimal(v, digits: 2, language)
        }
    }




    static func sizeText(_ bytes: Int, _ language: Language) -> String {
        bytes < 1024 * 1024 ? NumberFormat.integer(max(1, bytes / 1024), language) + language.pick(ru: " КБ", en: " KB")
            : NumberFormat.decimal(Double(bytes) / 1_048_576, digits: 1, language) + language.pick(ru: " МБ", en: " MB")
    }
}

/// An indicator as its tables show it: name, baseline, target, latest value and period, light.
struct IndicatorCells {
    var name, baseline, target, latest, latestPeriod, light, lightName: String

    /// `readings`: the values entered so far, oldest first.
    init(_ i: MonitoringIndicator, readings: [IndicatorReading], _ language: Language, noTarget: String = "—") {
        let reading = readings.last
        let light = i.light(values: readings.map(\.value))
        name = i.name
        baseline = i.baseline.map { ProgrammePage.value($0, i.unit, language) } ?? "—"
        target = i.target.map { ProgrammePage.value($0, i.unit, language) } ?? noTarget
        latest = reading.map { ProgrammePage.value($0.value, i.unit, language) } ?? "—"
        latestPeriod = reading?.period ?? ""
        self.light = light.rawValue
        lightName = language.pick(light.name)
    }
}

/// A programme's page: its goals, indicators with value entry, and its roadmap by section.
struct ProgrammePageModel: PageModel {
    static let view = View.programme
    struct FileLink { var url, name, size: String }
    struct Comment { var at, author, role, body: String }
    struct MeasureRow {
        var id: Int
        var title, responsible, expected: String
        /// The date of a dated deadline, for the date field; empty for a recurring one.
        var deadlineISO: String
        var recurrenceOptions: [Choice]
        var deadline, status, statusCode: String
        var statusOptions: [Choice]
        var evidence: String
        var indicator: String?
        var files: [FileLink]
        var comments: [Comment]
        var updateURL, filesURL, commentsURL: String
        /// The measure's one form: as stored, or as typed when it was refused.
        var edit: Edit
    }
    /// What the measure's form shows: the stored values, or what was typed with the reason it was refused.
    struct Edit {
        var title, responsible, deadlineISO, evidence: String
        var recurrenceOptions, statusOptions: [Choice]
        var open: Bool
        var formError, evidenceError, fileError: String?
    }
    struct Section {
        var name: String
        var measures: [MeasureRow]
    }
    struct IndicatorRow {
        var id: Int
        var name, baseline, target, latest, latestPeriod, light, lightName: String
        var period: String
        var computed: Bool
        var currentPeriod: String
        /// "%" for a share, as the value field's placeholder.
        var unitHint: String
        var inputMode: String
        var valuesURL: String
    }

    var title, kind: String
    var risk: String?
    var ownerName, ownerLink: String
    /// The catalogue template it was made from, by its title.
    var template: String?
    var error: String?
    var canWrite, canComment: Bool
    var goals, tasks: [String]
    var hasGoals: Bool
    var progress: String
    var hasIndicators: Bool
    var indicators: [IndicatorRow]
    var sections: [Section]
    var sectionOptions, recurrences, units, periods: [Choice]
    var roadmapURL, indicatorsURL, measuresURL: String

    init(_ programme: Programme, ownerName: String, measures: [Measure], files: [Int: [MeasureFile]], comments: [Int: [MeasureComment]],
         indicators: [MonitoringIndicator], readings: [Int: [IndicatorReading]], today: Day, canWrite: Bool, canComment: Bool, error: String?,
         kept: KeptMeasureForm? = nil, _ language: Language) {
        title = programme.title
        kind = language.pick(programme.kind.name)
        risk = programme.riskFactor.map { language.pick($0.name) }
        self.ownerName = ownerName
        switch programme.owner {
        case .school(let sid): ownerLink = SiteURL.schoolPlan(sid).path
        case .municipality: ownerLink = SiteURL.municipalPlans.path
        }
        // The template by its title (its id is an internal word), unless the programme kept that title.
        template = programme.templateID.flatMap(ProgrammeTemplates.find).map { t in
            let title = language.pick(ru: t.titleRU, en: t.titleEN)
            return title == programme.title ? language.pick(ru: "из каталога образцов", en: "from the catalogue of templates")
                : language.pick(ru: "по образцу «\(title)»", en: "from the template “\(title)”")
        }
        self.error = error
        (self.canWrite, self.canComment) = (canWrite, canComment)
        (goals, tasks) = (programme.goals, programme.tasks)
        hasGoals = !(programme.goals.isEmpty && programme.tasks.isEmpty)
        let progress = RoadmapProgress(measures, today: today)
        self.progress = language.pick(
            ru: "Мероприятий: \(progress.total); выполнено \(progress.done), просрочено \(progress.late), срок в ближайшие 2 недели — \(progress.atRisk).",
            en: "Measures: \(progress.total); done \(progress.done), late \(progress.late), due within 2 weeks \(progress.atRisk).")

        let noTarget = language.pick(ru: "не задана", en: "not set")
        hasIndicators = !indicators.isEmpty
        self.indicators = indicators.map { i in
            let cells = IndicatorCells(i, readings: readings[i.id] ?? [], language, noTarget: noTarget)
            return IndicatorRow(id: i.id, name: cells.name, baseline: cells.baseline, target: cells.target, latest: cells.latest,
                                latestPeriod: cells.latestPeriod, light: cells.light, lightName: cells.lightName,
                                period: language.pick(i.period.name), computed: i.computed.map(ComputedIndicators.known.contains) ?? false,
                                currentPeriod: i.period.label(of: today),
                                unitHint: i.unit == .share ? "%" : i.unit == .yesNo ? language.pick(ru: "да/нет", en: "yes/no") : "",
                                inputMode: i.unit == .yesNo ? "text" : i.unit == .count ? "numeric" : "decimal",
                                valuesURL: SiteURL.indicatorValues(i.id).path)
        }

        let indicatorNames = Dictionary(uniqueKeysWithValues: indicators.map { ($0.id, $0.name) })
        var rows: [MeasureSection: [MeasureRow]] = [:]
        for m in measures {
            let status = m.status(on: today)
            var recurrence: Deadline.Recurrence?
            var deadlineISO = ""
            switch m.deadline {
            case .date(let d): deadlineISO = d.description
            case .recurring(let r): recurrence = r
            }
            rows[m.section, default: []].append(MeasureRow(
                id: m.id, title: m.title, responsible: m.responsible, expected: m.expectedResult, deadlineISO: deadlineISO,
                recurrenceOptions: Deadline.Recurrence.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0 == recurrence) },
                deadline: ProgrammePage.deadlineText(m.deadline, today: today, language), status: language.pick(status.name), statusCode: status.rawValue,
                statusOptions: MeasureStatus.settable.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0 == m.recordedStatus) },
                evidence: m.evidence, indicator: m.indicatorID.flatMap { indicatorNames[$0] },
                files: (files[m.id] ?? []).map { FileLink(url: SiteURL.file($0.id).path, name: $0.fileName, size: ProgrammePage.sizeText($0.size, language)) },
                comments: (comments[m.id] ?? []).map { Comment(at: DateText.moment($0.at, language), author: $0.author, role: $0.authorRole, body: $0.body) },
                updateURL: SiteURL.measureUpdate(m.id).path, filesURL: SiteURL.measureFiles(m.id).path, commentsURL: SiteURL.measureComments(m.id).path,
                edit: kept.flatMap { $0.measureID == m.id ? $0.edit(language) : nil } ?? Edit(
                    title: m.title, responsible: m.responsible, deadlineISO: deadlineISO, evidence: m.evidence,
                    recurrenceOptions: Deadline.Recurrence.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0 == recurrence) },
                    statusOptions: MeasureStatus.settable.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0 == m.recordedStatus) },
                    open: false)))
        }
        sections = MeasureSection.allCases.compactMap { s in rows[s].map { Section(name: language.pick(s.name), measures: $0) } }
        sectionOptions = MeasureSection.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name)) }
        recurrences = Deadline.Recurrence.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name)) }
        units = MonitoringIndicator.Unit.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name)) }
        periods = MonitoringIndicator.Period.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name)) }
        roadmapURL = SiteURL.roadmapXLSX(programme.id).path
        indicatorsURL = SiteURL.programmeIndicators(programme.id).path
        measuresURL = SiteURL.programmeMeasures(programme.id).path
    }
}

/// A measure's form as it was posted and refused: shown again open, with what was typed and the
/// reason beside the field it concerns.
struct KeptMeasureForm {
    var measureID: Int
    var form: FormData
    var message: String
    var field: String?

    func edit(_ language: Language) -> ProgrammePageModel.Edit {
        let recurrence = Deadline.Recurrence(rawValue: form["recurrence"])
        return ProgrammePageModel.Edit(
            title: form["title"], responsible: form["responsible"], deadlineISO: form["deadline"], evidence: form["evidence"],
            recurrenceOptions: Deadline.Recurrence.allCases.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0 == recurrence) },
            statusOptions: MeasureStatus.settable.map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0.rawValue == form["status"]) },
            open: true,
            formError: field == "evidence" || field == "file" ? nil : message,
            evidenceError: field == "evidence" ? message : nil,
            fileError: field == "file" ? message : nil)
    }
}
