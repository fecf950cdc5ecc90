import Foundation

/// Timestamps are stored as ISO 8601 text in UTC: the same on SQLite and PostgreSQL, and sortable.
enum Timestamp {
    static func now() -> String { ISO8601DateFormatter().string(from: Date()) }
}
