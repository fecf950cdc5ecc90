import OporaCore
import OporaStore

/// A school's own analysis before its plan: the self-diagnosis with its SWOT, the risk
/// questionnaire and the risk profile (seed 002's «комплексная диагностика», the «500+» risk
/// profile). The school's administration and the coordinators above it write them.
public struct SchoolPlanUseCase: Sendable {
    let database: OporaDatabase

    public init(database: OporaDatabase) {
        self.database = database
    }

    /// What the profile form says about one risk factor.
    public struct RiskChoice: Sendable {
        public var factor: RiskFactor
        public var level: RiskLevel?
        public var priority: Bool
        public var reason: String
        public init(factor: RiskFactor, level: RiskLevel?, priority: Bool, reason: String) {
            (self.factor, self.level, self.priority, self.reason) = (factor, level, priority, reason)
        }
    }

    /// A school of the territory whose plan the role may write.
    func writableSchool(_ schoolID: String, as who: Acting) async throws -> ScopedStore {
        let store = database.scoped(who.scope)
        guard try await store.school(id: schoolID) != nil else { throw UseCaseError.notFound }
        try who.require(.writeSchoolPlan)
        return store
    }

    /// Saves the profile: each chosen level or priority with the data's suggestion beside it (so
    /// the record shows what the data said when the school decided) and the questionnaire's answers.
    public func saveRiskProfile(schoolID: String, _ choices: [RiskChoice], suggestions: [RiskFactor: RiskSuggestions.Suggestion],
                                as who: Acting) async throws {
        let store = try await writableSchool(schoolID, as: who)
        if let missing = choices.first(where: { $0.priority && $0.reason.isEmpty }) {
            throw UseCaseError(.unprocessable, "priority_reason", LocalizedText(
                ru: "Профиль рисков не сохранён: для приоритетного риска укажите, почему он выбран.",
                en: "The risk profile was not saved: give the reason for each priority risk."), field: "reason_\(missing.factor.rawValue)")
        }
        let answers = Dictionary(uniqueKeysWithValues: (try await store.riskProfile(schoolID: schoolID) ?? []).map { ($0.factor, $0.answers) })
        let assessments = choices.filter { $0.level != nil || $0.priority || !$0.reason.isEmpty }.map { c in
            let s = suggestions[c.factor]
            return RiskAssessment(factor: c.factor, suggestedLevel: s?.level, suggestion: s.map { "\($0.reason.ru) / \($0.reason.en)" } ?? "",
                                  level: c.level, answers: answers[c.factor] ?? [:], priority: c.priority, priorityReason: c.reason)
        }
        try await UseCaseError.translatingProgrammeStore { try await store.saveRiskProfile(schoolID: schoolID, assessments, actor: who.actor) }
    }

    /// Saves the questionnaire; `answers` holds each question's answer as typed (empty: not answered).
    public func saveQuestionnaire(schoolID: String, _ answers: [RiskFactor: [String: String]], as who: Acting) async throws {
        let store = try await writableSchool(schoolID, as: who)
        var given: [RiskFactor: [String: String]] = [:]
        var invalid: [String] = []
        for factor in RiskFactorCatalogue.standard.factors {
            var valid: [String: String] = [:]
            for q in factor.questions {
                guard let raw = answers[factor.factor]?[q.id], !raw.isEmpty else { continue }
                guard let v = Int(raw), q.scale.values.contains(v) else { invalid.append("\(factor.factor.rawValue).\(q.id)"); continue }
                valid[q.id] = String(v)
            }
            given[factor.factor] = valid
        }
        guard invalid.isEmpty else {
            throw UseCaseError(.malformed, "invalid", LocalizedText(
                ru: "Ответы не сохранены: недопустимое значение в вопросах " + invalid.joined(separator: ", "),
                en: "The answers were not saved: an invalid value in questions " + invalid.joined(separator: ", ")))
        }
        try await UseCaseError.translatingProgrammeStore { try await store.saveRiskAnswers(schoolID: schoolID, given, actor: who.actor) }
    }

    /// Saves the self-diagnosis and the SWOT. A rating without its evidence is a label nobody can
    /// check: the seeds ask for both.
    public func saveDiagnosis(schoolID: String, _ ratings: [DiagnosisRating], swot: [SWOTQuadrant: String], as who: Acting) async throws {
        let store = try await writableSchool(schoolID, as: who)
        let missing = ratings.filter { $0.evidence.isEmpty }.map(\.item)
        guard missing.isEmpty else {
            throw UseCaseError(.unprocessable, "evidence", LocalizedText(
                ru: "Укажите, чем подтверждается оценка: " + missing.joined(separator: ", "),
                en: "Say what supports the rating: " + missing.joined(separator: ", ")))
        }
        try await UseCaseError.translatingProgrammeStore {
            try await store.saveSelfDiagnosis(schoolID: schoolID, ratings, actor: who.actor)
            try await store.saveSWOT(schoolID: schoolID, swot, actor: who.actor)
        }
    }
}
