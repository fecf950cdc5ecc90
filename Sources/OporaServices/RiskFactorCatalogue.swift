import Foundation
import OporaCore
import Yams

/// The ten risk factors of the «500+» risk profile as catalogue/risk_factors.yaml describes them:
/// what each means, what its levels look like, the self-assessment questions a school answers, and
/// when the data suggests a level. The region edits the file; the binary embeds it.
public struct RiskFactorCatalogue: Sendable {
    public enum Scale: String, Sendable {
        case zeroToTwo = "0-2"
        case yesNo = "yes_no"

        /// The answers a question on this scale accepts, as stored.
        public var values: [Int] { self == .zeroToTwo ? [0, 1, 2] : [0, 2] }
    }

    public struct Question: Sendable {
        public var id: String
        public var scale: Scale
        public var text: LocalizedText
    }

    public struct Factor: Sendable {
        public var factor: RiskFactor
        public var description: LocalizedText
        public var levels: [RiskLevel: LocalizedText]
        public var questions: [Question]
        public var hint: RiskHint?
    }

    public var factors: [Factor]
    /// Share of the questionnaire's points from which the level is low, and from which it is medium.
    public var lowFrom: Double
    public var mediumFrom: Double

    public static let standard: RiskFactorCatalogue = {
        // A constant of this binary, checked by a test.
        try! parse(EmbeddedTemplates.riskFactors)
    }()

    public func factor(_ f: RiskFactor) -> Factor? { factors.first { $0.factor == f } }

    /// The level a school's answers give: points / maximum against the documented thresholds.
    /// `nil` until every question of the factor is answered (a half-filled form says nothing).
    public func levelFromAnswers(_ f: RiskFactor, answers: [String: String]) -> AnswerScore? {
        guard let factor = factor(f), !factor.questions.isEmpty else { return nil }
        var points = 0, maximum = 0
        for q in factor.questions {
            guard let a = answers[q.id].flatMap(Int.init), q.scale.values.contains(a) else { return nil }
            points += a
            maximum += q.scale.values.max()!
        }
        let share = Double(points) / Double(maximum)
        let level: RiskLevel = share >= lowFrom ? .low : share >= mediumFrom ? .medium : .high
        return AnswerScore(level: level, points: points, maximum: maximum)
    }

    public struct AnswerScore: Sendable, Equatable {
        public var level: RiskLevel
        public var points: Int
        public var maximum: Int
    }

    static func parse(_ text: String) throws -> RiskFactorCatalogue {
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw TemplateError(description: "not a mapping") }
        func pair(_ d: [String: Any], _ key: String) -> LocalizedText {
            LocalizedText(ru: d["\(key)_ru"] as? String ?? "", en: d["\(key)_en"] as? String ?? "")
        }
        func number(_ v: Any?) -> Double? { (v as? Double) ?? (v as? Int).map(Double.init) }
        let thresholds = (root["scoring"] as? [String: Any])?["levels_from_share"] as? [String: Any] ?? [:]
        guard let lowFrom = number(thresholds["low"]), let mediumFrom = number(thresholds["medium"]), mediumFrom < lowFrom else {
            throw TemplateError(description: "scoring.levels_from_share needs low > medium")
        }
        let factors = try (root["risk_factors"] as? [[String: Any]] ?? []).map { d -> Factor in
            guard let code = d["code"] as? String, let factor = RiskFactor(rawValue: code) else {
                throw TemplateError(description: "unknown risk factor \(d["code"] ?? "?")")
            }
            var levels: [RiskLevel: LocalizedText] = [:]
            for (key, value) in d["levels"] as? [String: Any] ?? [:] {
                guard let level = RiskLevel(rawValue: key), let t = value as? [String: Any] else { throw TemplateError(description: "\(code): level \(key)") }
                levels[level] = LocalizedText(ru: t["ru"] as? String ?? "", en: t["en"] as? String ?? "")
            }
            let questions = try (d["questions"] as? [[String: Any]] ?? []).map { q -> Question in
                guard let id = q["id"] as? String, let scale = Scale(rawValue: q["scale"] as? String ?? "") else {
                    throw TemplateError(description: "\(code): question \(q["id"] ?? "?")")
                }
                return Question(id: id, scale: scale, text: LocalizedText(ru: q["ru"] as? String ?? "", en: q["en"] as? String ?? ""))
            }
            var hint: RiskHint?
            if let h = d["data_hint"] as? [String: Any] {
                func conditions(_ key: String) throws -> [RiskHint.Condition] {
                    try (h[key] as? [String] ?? []).map { try RiskHint.Condition(parsing: $0) }
                }
                hint = RiskHint(high: try conditions("high"), medium: try conditions("medium"), justification: pair(h, "justification"))
            }
            return Factor(factor: factor, description: pair(d, "description"), levels: levels, questions: questions, hint: hint)
        }
        guard factors.map(\.factor) == RiskFactor.allCases else { throw TemplateError(description: "the ten risk factors, in order") }
        return RiskFactorCatalogue(factors: factors, lowFrom: lowFrom, mediumFrom: mediumFrom)
    }
}
