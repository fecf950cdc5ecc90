import Foundation
import Hummingbird
import OporaCore
import OporaServices
import OporaStore

/// `/schools/{id}/diagnosis`: the school rates each indicator of the «комплексная диагностика»
/// «+» or «недост» with its evidence, and writes its SWOT. Insufficient items are what its programme
/// should address, so the plan page lists them.
enum DiagnosisPage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/schools/:id/diagnosis") { _, context -> HTML in
            let user = try context.requireIdentity()
            return try await render(try context.parameters.require("id"), env: env, context: context, user: user, error: nil)
        }

        router.post("/schools/:id/diagnosis") { request, context -> Response in
            let (user, id, _, form) = try await SchoolForm.read(request, context, env, limit: 512 * 1024).parts
            var ratings: [DiagnosisRating] = []
            for area in SelfDiagnosisCatalogue.standard.areas {
                for item in area.items {
                    guard let rating = DiagnosisRating.Rating(rawValue: form["rating_\(item.code)"]) else { continue }
                    ratings.append(DiagnosisRating(item: item.code, rating: rating, evidence: form["evidence_\(item.code)"].trimmingCharacters(in: .whitespacesAndNewlines)))
                }
            }
            var swot: [SWOTQuadrant: String] = [:]
            for q in SWOTQuadrant.allCases { swot[q] = form["swot_\(q.rawValue)"].trimmingCharacters(in: .whitespacesAndNewlines) }
            do {
                try await env.schoolPlan.saveDiagnosis(schoolID: id, ratings, swot: swot, as: user.acting)
            } catch let refusal as UseCaseError {
                let status = try formStatus(refusal)
                return try await render(id, env: env, context: context, user: user, status: status, error: context.language.pick(refusal.message))
                    .makeResponse(status: status)
            }
            return Response(status: .seeOther, headers: [.location: SiteURL.diagnosis(id).path])
        }
    }

    static func render(_ id: String, env: WebEnvironment, context: OporaRequestContext, user: CurrentUser, status: HTTPResponse.Status = .ok,
                       error: String?) async throws -> HTML {
        let language = context.language
        let store = env.database.scoped(user.scope)
        guard let school = try await store.school(id: id), let saved = try await store.selfDiagnosis(schoolID: id),
              let swot = try await store.swot(schoolID: id) else { throw WebError.notFound }
        let catalogue = SelfDiagnosisCatalogue.standard
        let page = DiagnosisPageModel(school, catalogue: catalogue, saved: saved, swot: swot, canWrite: Policy.allows(user.user.role, .writeSchoolPlan),
                                      error: error, language)
        return Views.render(page, title: language.pick(catalogue.title), language: language, user: user, status: status)
    }
}

/// The self-diagnosis form: each area's items rated «+» or «недост» with evidence, then the SWOT.
struct DiagnosisPageModel: PageModel {
    static let view = View.diagnosis
    struct Area {
        var code, title: String
        var items: [Item]
    }
    struct Item {
        var code, name, topic: String
        var plus, insufficient: Bool
        var evidence: String
    }
    struct SWOTBox { var code, title, prompt, text: String }

    var name, title, summary: String
    var error: String?
    var canWrite: Bool
    var areas: [Area]
    var swot: [SWOTBox]
    var planURL, schoolURL, diagnosisURL: String

    init(_ school: School, catalogue: SelfDiagnosisCatalogue, saved: [DiagnosisRating], swot: [SWOTQuadrant: String], canWrite: Bool, error: String?,
         _ language: Language) {
        let byItem = Dictionary(uniqueKeysWithValues: saved.map { ($0.item, $0) })
        let insufficient = saved.filter { $0.rating == .insufficient }.count
        name = school.name
        title = language.pick(catalogue.title)
        summary = language.pick(ru: "Оценено показателей: \(saved.count) из \(catalogue.itemCodes.count); «недостаточно» — \(insufficient).",
                                en: "Rated: \(saved.count) of \(catalogue.itemCodes.count); insufficient: \(insufficient).")
        self.error = error
        self.canWrite = canWrite
        areas = catalogue.areas.map { area in
            Area(code: area.code, title: language.pick(area.title), items: area.items.map { item in
                let r = byItem[item.code]
                return Item(code: item.code, name: language.pick(item.name), topic: language.pick(item.topic), plus: r?.rating == .sufficient,
                            insufficient: r?.rating == .insufficient, evidence: r?.evidence ?? "")
            })
        }
        self.swot = catalogue.swot.map { b in
            SWOTBox(code: b.code, title: language.pick(b.title), prompt: language.pick(b.prompt), text: SWOTQuadrant(rawValue: b.code).flatMap { swot[$0] } ?? "")
        }
        planURL = SiteURL.schoolPlan(school.id).path
        schoolURL = SiteURL.school(school.id).path
        diagnosisURL = SiteURL.diagnosis(school.id).path
    }
}
