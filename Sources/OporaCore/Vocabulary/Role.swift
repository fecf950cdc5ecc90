/// What an account may do. Territory decides *where*; the role decides *what*.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// Everything, everywhere: accounts, audit log, all regions.
    case admin
    /// Regional analyst: the whole region; runs identification, keeps the registry.
    case region
    /// Municipal coordinator: its municipality; keeps the registry of its schools.
    case municipality
    /// Curator or mentor: the schools assigned to them; reads, comments and records visits.
    case curator
    /// School team: its own school.
    case school
    /// Read-only at its territory (a region, a municipality or a school).
    case viewer

    public var name: LocalizedText {
        switch self {
        case .admin: LocalizedText(ru: "администратор", en: "administrator")
        case .region: LocalizedText(ru: "региональный аналитик", en: "regional analyst")
        case .municipality: LocalizedText(ru: "муниципальный координатор", en: "municipal coordinator")
        case .curator: LocalizedText(ru: "куратор", en: "curator")
        case .school: LocalizedText(ru: "школа", en: "school")
        case .viewer: LocalizedText(ru: "наблюдатель", en: "viewer")
        }
    }
}

/// The kind of territory an account is bound to.
public enum TerritoryKind: String, CaseIterable, Sendable, Codable {
    case region, municipality, school
}
