/// Region → municipality → school: the territory every user and every query is scoped to.
public struct Region: Hashable, Sendable, Codable {
    public var name: String
    public init(name: String) { self.name = name }
}

public struct Municipality: Hashable, Sendable, Codable {
    public var name: String
    public var region: String
    public init(name: String, region: String) {
        self.name = name
        self.region = region
    }
}

public enum Settlement: String, CaseIterable, Sendable, Codable {
    case urban, rural
}

/// The kind of educational organisation (ОО). Lyceums and gymnasiums select strong students, so
/// some criteria treat them differently.
public enum SchoolKind: String, CaseIterable, Sendable, Codable {
    case general, lyceum, gymnasium, evening, boarding, special, other
}

/// A school (образовательная организация, ОО). `id` is a code kept as a string: leading zeros matter.
public struct School: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var municipality: String
    public var region: String
    public var settlement: Settlement
    public var kind: SchoolKind
    public var students: Int?
    /// Distance to the municipal centre in km, when known (remote schools).
    public var distanceKm: Double?

    public init(
        id: String, name: String, municipality: String, region: String,
        settlement: Settlement, kind: SchoolKind, students: Int?, distanceKm: Double? = nil
    ) {
        self.id = id
        self.name = name
        self.municipality = municipality
        self.region = region
        self.settlement = settlement
        self.kind = kind
        self.students = students
        self.distanceKm = distanceKm
    }
}

extension Settlement {
    public var name: LocalizedText {
        switch self {
        case .urban: LocalizedText(ru: "город", en: "urban")
        case .rural: LocalizedText(ru: "село", en: "rural")
        }
    }
}

extension SchoolKind {
    public var name: LocalizedText {
        switch self {
        case .general: LocalizedText(ru: "общеобразовательная", en: "general")
        case .lyceum: LocalizedText(ru: "лицей", en: "lyceum")
        case .gymnasium: LocalizedText(ru: "гимназия", en: "gymnasium")
        case .evening: LocalizedText(ru: "вечерняя", en: "evening")
        case .boarding: LocalizedText(ru: "интернат", en: "boarding")
        case .special: LocalizedText(ru: "специальная", en: "special")
        case .other: LocalizedText(ru: "другая", en: "other")
        }
    }
}
