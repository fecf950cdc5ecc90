/// What a plan is (FIOKO «500+»: a development concept, a medium-term programme of transition to
/// effective work, and one anti-risk programme per priority risk; municipalities keep roadmaps).
public enum ProgrammeKind: String, CaseIterable, Sendable, Codable, Hashable {
    case concept
    case mediumTerm = "medium_term_programme"
    case antiRisk = "anti_risk_programme"
    case roadmap

    public var name: LocalizedText {
        switch self {
        case .concept: LocalizedText(ru: "Концепция развития", en: "Development concept")
        case .mediumTerm: LocalizedText(ru: "Среднесрочная программа перехода в эффективный режим работы",
                                        en: "Medium-term programme of transition to effective work")
        case .antiRisk: LocalizedText(ru: "Антирисковая программа", en: "Anti-risk programme")
        case .roadmap: LocalizedText(ru: "Дорожная карта", en: "Roadmap")
        }
    }
}

/// Whose plan it is: a school's, or a municipality's.
public enum ProgrammeOwner: Sendable, Hashable, Codable {
    case school(String)
    case municipality(String)

    public var kind: String {
        switch self {
        case .school: "school"
        case .municipality: "municipality"
        }
    }

    public var id: String {
        switch self {
        case .school(let id), .municipality(let id): id
        }
    }

    public init?(kind: String, id: String) {
        switch kind {
        case "school": self = .school(id)
        case "municipality": self = .municipality(id)
        default: return nil
        }
    }
}

public struct Programme: Sendable, Hashable, Codable {
    public var id: Int
    public var owner: ProgrammeOwner
    public var kind: ProgrammeKind
    public var title: String
    /// For an anti-risk programme: the risk it answers.
    public var riskFactor: RiskFactor?
    /// The template it was started from, if any.
    public var templateID: String?
    public var goals: [String]
    public var tasks: [String]
    public var start: Day?
    public var end: Day?

    public init(id: Int = 0, owner: ProgrammeOwner, kind: ProgrammeKind, title: String, riskFactor: RiskFactor? = nil,
                templateID: String? = nil, goals: [String] = [], tasks: [String] = [], start: Day? = nil, end: Day? = nil) {
        self.id = id
        self.owner = owner
        self.kind = kind
        self.title = title
        self.riskFactor = riskFactor
        self.templateID = templateID
        self.goals = goals
        self.tasks = tasks
        self.start = start
        self.end = end
    }
}
