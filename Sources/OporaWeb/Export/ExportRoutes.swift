import Foundation
import Hummingbird
import OporaAnalysis
import OporaCore
import OporaStore

/// Downloads for people who continue in Excel: a programme's roadmap, and a run's list of flags
/// (the same rows as its CSV). Scoped like the pages they come from: outside the territory, 404.
enum ExportRoutes {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/programmes/:id/roadmap.xlsx") { _, context -> Response in
            let user = try context.requireIdentity()
            let store = env.database.scoped(user.scope)
            guard let id = Int(try context.parameters.require("id")),
                  let measures = try await store.measures(programmeID: id), let indicators = try await store.indicators(programmeID: id) else {
                throw WebError.notFound
            }
            let sheet = roadmap(measures: measures, indicators: indicators, today: Day(env.now), context.language)
            return try download(sheet, fileName: "opora-roadmap-\(id).xlsx")
        }

        router.get("/identification/runs/:id/xlsx") { request, context -> Response in
            let user = try context.requireIdentity()
            guard let id = Int(try context.parameters.require("id")), let loaded = try await IdentificationPages.scopedRun(id, env: env, user: user) else {
                throw WebError.notFound
            }
            let filter = IdentificationPages.RunFilter(request)
            return try download(flags(loaded.result.schools.filter(filter.matches), context.language), fileName: "opora-run-\(id).xlsx")
        }
    }

    static func download(_ sheet: Spreadsheet, fileName: String) throws -> Response {
        Response(status: .ok, headers: [.contentType: Spreadsheet.contentType, .contentDisposition: "attachment; filename=\"\(fileName)\""],
                 body: .init(byteBuffer: .init(data: try sheet.data())))
    }

    static func roadmap(measures: [Measure], indicators: [MonitoringIndicator], today: Day, _ l: Language) -> Spreadsheet {
        let names = Dictionary(uniqueKeysWithValues: indicators.map { ($0.id, $0.name) })
        var sheet = Spreadsheet(sheetName: l.pick(ru: "Дорожная карта", en: "Roadmap"), header: l == .ru
            ? ["Раздел", "Мероприятие", "Срок", "Ближайший срок", "Ответственный", "Ожидаемый результат", "Показатель", "Статус", "Подтверждение"]
            : ["Section", "Measure", "Deadline", "Next due", "Responsible", "Expected result", "Indicator", "Status", "Evidence"])
        for m in measures {
            let deadline: String = switch m.deadline {
            case .date(let day): day.text(l)
            case .recurring(let r): l.pick(r.name)
            }
            sheet.rows.append([.text(l.pick(m.section.name)), .text(m.title), .text(deadline), .text(m.deadline.due(on: today).text(l)),
                               .text(m.responsible), .text(m.expectedResult), .text(m.indicatorID.flatMap { names[$0] } ?? ""),
                               .text(l.pick(m.status(on: today).name)), .text(m.evidence)])
        }
        return sheet
    }

    static func flags(_ schools: [SchoolIdentification], _ l: Language) -> Spreadsheet {
        var sheet = Spreadsheet(sheetName: l.pick(ru: "Признаки", en: "Flags"), header: IdentificationResult.csvHeader)
        for s in schools {
            for f in s.flags {
                sheet.rows.append([.text(s.schoolID), .text(s.name), .text(s.municipality), .text(f.category), .text(f.criterion), .number(Double(f.year)),
                                   .text(f.procedures.joined(separator: ";")), .number(f.value), .number(f.threshold), .number(Double(f.n)),
                                   .text(f.strength?.rawValue ?? ""), f.qValue.map(Spreadsheet.Cell.number) ?? .empty, .text(f.textRU), .text(f.textEN)])
            }
        }
        return sheet
    }
}
