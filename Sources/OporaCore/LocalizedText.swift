/// A message for people in both of Opora's languages. The UI and the CLI pick one; files keep both.
public struct LocalizedText: Hashable, Sendable, Codable {
    public var ru: String
    public var en: String
    public init(ru: String, en: String) {
        self.ru = ru
        self.en = en
    }
}

/// A mark 2–5 as used in Russian schools.
public enum Mark {
    public static let range = 2...5
}
