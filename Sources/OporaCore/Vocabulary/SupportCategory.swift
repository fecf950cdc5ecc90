/// Why a school is supported: the four identification categories, which are also the categories of
/// the registry of supported schools. The codes are stored and travel in files and the API.
public enum SupportCategory: String, CaseIterable, Sendable, Codable {
    case lowResults = "low_results"
    case socialRisk = "social_risk"
    case resourceDeficit = "resource_deficit"
    case nonObjective = "non_objective"

    public var name: LocalizedText {
        switch self {
        case .lowResults: LocalizedText(ru: "низкие результаты", en: "low results")
        case .socialRisk: LocalizedText(ru: "неблагоприятные социальные условия", en: "unfavourable social conditions")
        case .resourceDeficit: LocalizedText(ru: "дефицит ресурсов", en: "resource deficit")
        case .nonObjective: LocalizedText(ru: "признаки необъективности", en: "signs of non-objective results")
        }
    }

    /// The codes in their order, for filters, schemas and rule sets.
    public static let codes = allCases.map(\.rawValue)
}
