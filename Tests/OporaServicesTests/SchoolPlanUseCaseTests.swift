import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

/// Issue 18: a school's self-diagnosis, questionnaire and risk profile are saved by one use case
/// with the seeds' rules (evidence for a rating, a reason for a priority).
@Suite("School plan use case")
struct SchoolPlanUseCaseTests {
    @Test func rulesAndPermissions() async throws {
        let db = try await temporaryDatabase(schools: [("0101", "М")])
        do {
            let plan = SchoolPlanUseCase(database: db)
            let school = Acting(role: .school, scope: .schools(["0101"]), actor: Actor(userID: nil, login: "school"))
            let curator = Acting(role: .curator, scope: .schools(["0101"]), actor: Actor(userID: nil, login: "curator"))
            let priority = SchoolPlanUseCase.RiskChoice(factor: .staffShortage, level: .high, priority: true, reason: "")
            #expect(await refusal { try await plan.saveRiskProfile(schoolID: "0101", [priority], suggestions: [:], as: curator) }?.kind == .forbidden)
            #expect(await refusal { try await plan.saveRiskProfile(schoolID: "0201", [priority], suggestions: [:], as: school) }?.kind == .notFound)
            #expect(await refusal { try await plan.saveRiskProfile(schoolID: "0101", [priority], suggestions: [:], as: school) }?.field == "reason_staff_shortage")
            var reasoned = priority
            reasoned.reason = "две вакансии учителей математики"
            try await plan.saveRiskProfile(schoolID: "0101", [reasoned], suggestions: [:], as: school)
            #expect(try await db.scoped(school.scope).riskProfile(schoolID: "0101")?.first { $0.factor == .staffShortage }?.priority == true)

            let unsupported = DiagnosisRating(item: "1.1", rating: .insufficient, evidence: "")
            #expect(await refusal { try await plan.saveDiagnosis(schoolID: "0101", [unsupported], swot: [:], as: school) }?.message.ru
                    == "Укажите, чем подтверждается оценка: 1.1")

            let factor = try #require(RiskFactorCatalogue.standard.factors.first)
            let question = try #require(factor.questions.first)
            let invalid = await refusal { try await plan.saveQuestionnaire(schoolID: "0101", [factor.factor: [question.id: "7"]], as: school) }
            #expect(invalid?.kind == .malformed && invalid?.message.ru.contains("\(factor.factor.rawValue).\(question.id)") == true)
            try await plan.saveQuestionnaire(schoolID: "0101", [factor.factor: [question.id: String(question.scale.values.first!)]], as: school)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
