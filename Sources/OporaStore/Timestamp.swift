import Foundation

/// Timestamps are stored as ISO 8601 text in UTC (`2026-11-25T22:41:19Z`): the same on SQLite and
/// PostgreSQL, and sortable. Written by hand: every request checks its session's time, and making an
/// `ISO8601DateFormatter` each time was a visible share of a page.
enum Timestamp {
    static func now() -> String { string(Date()) }

    static func string(_ date: Date) -> String {
        var t = time_t(floor(date.timeIntervalSince1970))
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : String(v) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
