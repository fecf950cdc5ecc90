import Foundation
import OporaCore

/// Dates as Russian readers write them: `22.11.2026`; stored ones are ISO 8601 (`2026-11-22`,
/// `2026-11-22T09:30:00Z`, UTC).
enum DateText {
    /// `2026-11-22` → `22.11.2026` (`22 Nov 2026` in English); anything else as it is.
    static func day(_ iso: String, _ language: Language = .ru) -> String {
        Day(String(iso.prefix(10))).map { $0.text(language) } ?? iso
    }

    /// `2026-11-22T09:30:00Z` → `22.11.2026 09:30` (UTC).
    static func moment(_ iso: String, _ language: Language = .ru) -> String {
        guard iso.count >= 16, iso.dropFirst(10).first == "T" else { return day(iso, language) }
        return day(iso, language) + " " + iso.dropFirst(11).prefix(5)
    }

    /// The day of `date` where the server runs, as `YYYY-MM-DD` (what `<input type="date">` takes).
    static func isoDay(_ date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .current, from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 2000, c.month ?? 1, c.day ?? 1)
    }

    /// A real calendar day written `YYYY-MM-DD`.
    static func isValidDay(_ text: String) -> Bool {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return false }
        let n = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: n[0], month: n[1], day: n[2])) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == n[0] && back.month == n[1] && back.day == n[2]
    }
}
