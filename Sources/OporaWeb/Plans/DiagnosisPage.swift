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
            return Response(status: .seeOther, headers: [.location: "/schools/\(id)/diagnosis"])
        }
    }

    static func render(_ id: String, env: WebEnvironment, context: OporaRequestContext, user: CurrentUser, status: HTTPResponse.Status = .ok,
                       error: String?) async throws -> HTML {
        let language = context.language
        let store = env.database.scoped(user.scope)
        guard let school = try await store.school(id: id), let saved = try await store.selfDiagnosis(schoolID: id),
              let swot = try await store.swot(schoolID: id) else { throw WebError.notFound }
        let byItem = Dictionary(uniqueKeysWithValues: saved.map { ($0.item, $0) })
        let catalogue = SelfDiagnosisCatalogue.standard
        let insufficient = saved.filter { $0.rating == .insufficient }.count
        let data: [String: Any] = [
            "id": id, "name": school.name, "error": error ?? "", "canWrite": Policy.allows(user.user.role, .writeSchoolPlan),
            "title": language.pick(catalogue.title),
            "summary": language.pick(ru: "Оценено показателей: \(saved.count) из \(catalogue.itemCodes.count); «недостаточно» — \(insufficient).",
                                     en: "Rated: \(saved.count) of \(catalogue.itemCodes.count); insufficient: \(insufficient)."),
            "areas": catalogue.areas.map { area -> [String: Any] in
                ["code": area.code, "title": language.pick(area.title), "items": area.items.map { item -> [String: Any] in
                    let r = byItem[item.code]
                    return ["code": item.code, "name": language.pick(item.name), "topic": language.pick(item.topic),
                            "plus": r?.rating == .sufficient, "insufficient": r?.rating == .insufficient, "evidence": r?.evidence ?? ""]
                }]
            },
            "swot": catalogue.swot.map { b -> [String: Any] in
                ["code": b.code, "title": language.pick(b.title), "prompt": language.pick(b.prompt),
                 "text": SWOTQuadrant(rawValue: b.code).flatMap { swot[$0] } ?? ""]
            },
        ]
        return Views.render("diagnosis", data, title: language.pick(catalogue.title), language: language, user: user, status: status)
    }
}
