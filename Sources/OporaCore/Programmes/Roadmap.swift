import Foundation

/// The sections a roadmap's measures are grouped in (the seeds' own headings).
public enum MeasureSection: String, CaseIterable, Sendable, Codable, Hashable {
    case normative, organisational, methodological, staff, material, monitoring, informational

    public var name: LocalizedText {
        switch self {
        case .normative: LocalizedText(ru: "Нормативно-правовое обеспечение", en: "Normative")
        case .organisational: LocalizedText(ru: "Организационные мероприятия", en: "Organisational")
        case .methodological: LocalizedText(ru: "Методическое сопровождение", en: "Methodological")
        case .staff: LocalizedText(ru: "Кадровое обеспечение", en: "Staff")
        case .material: LocalizedText(ru: "Материально-техническое обеспечение", en: "Material")
        case .monitoring: LocalizedText(ru: "Мониторинг и контроль", en: "Monitoring")
        case .informational: LocalizedText(ru: "Информационное сопровождение", en: "Informational")
        }
    }
}

/// What the people doing a measure say about it. `late` is never stored: it is what an unfinished
/// measure past its deadline *is* (see `Measure.status(on:)`).
public enum MeasureStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case planned
    case inProgress = "in_progress"
    case done
    case late
    case cancelled

    public var name: LocalizedText {
        switch self {
        case .planned: LocalizedText(ru: "запланировано", en: "planned")
        case .inProgress: LocalizedText(ru: "выполняется", en: "in progress")
        case .done: LocalizedText(ru: "выполнено", en: "done")
        case .late: LocalizedText(ru: "просрочено", en: "late")
        case .cancelled: LocalizedText(ru: "отменено", en: "cancelled")
        }
    }

    /// The statuses a person may set (`late` is computed).
    public static let settable: [MeasureStatus] = [.planned, .inProgress, .done, .cancelled]
}

/// When a measure is due: a date, or a recurrence («ежеквартально», «в течение года»), whose next
/// due date is the end of the current period.
public enum Deadline: Sendable, Hashable, Codable {
    case date(Day)
    case recurring(Recurrence)

    public enum Recurrence: String, CaseIterable, Sendable, Codable, Hashable {
        case monthly, quarterly
        case halfYear = "half_year"
        case annual
        /// «В течение года»: due by the end of the calendar year.
        case duringYear = "during_year"

        public var name: LocalizedText {
            switch self {
            case .monthly: LocalizedText(ru: "ежемесячно", en: "monthly")
            case .quarterly: LocalizedText(ru: "ежеквартально", en: "quarterly")
            case .halfYear: LocalizedText(ru: "раз в полугодие", en: "every half-year")
            case .annual: LocalizedText(ru: "ежегодно", en: "annually")
            case .duringYear: LocalizedText(ru: "в течение года", en: "during the year")
            }
        }
    }

    /// The day by which the measure is due, seen on `today`: the date itself, or the last day of
    /// the recurrence's current period.
    public func due(on today: Day) -> Day {
        switch self {
        case .date(let day): return day
        case .recurring(let r):
            let months: Int
            switch r {
            case .monthly: months = 1
            case .quarterly: months = 3
            case .halfYear: months = 6
            case .annual, .duringYear: months = 12
            }
            let periodEnd = ((today.month - 1) / months + 1) * months
            return Day(year: today.year, month: periodEnd, day: Day.daysIn(month: periodEnd, year: today.year))
        }
    }

    /// Stored as text: `2025-12-31` or `every:quarterly`.
    public var storageText: String {
        switch self {
        case .date(let day): day.description
        case .recurring(let r): "every:\(r.rawValue)"
        }
    }

    /// A deadline as typed in the API: `2025-12-31`, `every:quarterly` or `quarterly`.
    public init?(text: String) {
        if let d = Deadline(storageText: text) {
            self = d
        } else if let r = Recurrence(rawValue: text) {
            self = .recurring(r)
        } else {
            return nil
        }
    }

    /// A deadline as a form posts it: a recurrence, when one is chosen, else the date.
    public init?(date: String, recurrence: String) {
        if let r = Recurrence(rawValue: recurrence) {
            self = .recurring(r)
        } else if let day = Day(date) {
            self = .date(day)
        } else {
            return nil
        }
    }

    public init?(storageText text: String) {
        if text.hasPrefix("every:") {
            guard let r = Recurrence(rawValue: String(text.dropFirst(6))) else { return nil }
            self = .recurring(r)
        } else {
            guard let day = Day(text) else { return nil }
            self = .date(day)
        }
    }
}

/// A calendar day without a time zone (deadlines, start dates), written `2026-11-22`.
public struct Day: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; `nil` for anything else or an impossible date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        // Digits only (Int() would take «+202»), and a year a deadline can have: «0028-08-29» came
        // back as «28-08-29», which is not a date (schemathesis).
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1900...2199).contains(y),
              (1...12).contains(m), d >= 1, d <= Day.daysIn(month: m, year: y) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day of `date` in UTC.
    public init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: c.year!, month: c.month!, day: c.day!)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// `22.11.2026` in Russian; `22 Nov 2026` in English.
    public func text(_ language: Language) -> String {
        if language == .ru { return "\(day < 10 ? "0" : "")\(day).\(month < 10 ? "0" : "")\(month).\(year)" }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(day) \(months[month - 1]) \(year)"
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The day `months` calendar months later (clamped to the month's last day).
    public func adding(months: Int) -> Day {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return Day(year: y, month: m, day: min(day, Day.daysIn(month: m, year: y)))
    }
}

/// One measure of a roadmap.
public struct Measure: Sendable, Hashable, Codable {
    public var id: Int
    public var programmeID: Int
    public var section: MeasureSection
    public var title: String
    public var deadline: Deadline
    public var responsible: String
    public var expectedResult: String
    public var indicatorID: Int?
    /// As set by people: never `late`.
    public var recordedStatus: MeasureStatus
    public var evidence: String

    public init(id: Int = 0, programmeID: Int = 0, section: MeasureSection, title: String, deadline: Deadline, responsible: String,
                expectedResult: String = "", indicatorID: Int? = nil, recordedStatus: MeasureStatus = .planned, evidence: String = "") {
        self.id = id
        self.programmeID = programmeID
        self.section = section
        self.title = title
        self.deadline = deadline
        self.responsible = responsible
        self.expectedResult = expectedResult
        self.indicatorID = indicatorID
        self.recordedStatus = recordedStatus == .late ? .inProgress : recordedStatus
        self.evidence = evidence
    }

    /// The status as of `today`: an unfinished, uncancelled measure past its due day is `late`.
    /// A recurring measure is never late: each period is a new due day (its evidence says what was done).
    public func status(on today: Day) -> MeasureStatus {
        switch recordedStatus {
        case .done, .cancelled: return recordedStatus
        default:
            if case .date(let day) = deadline, day < today { return .late }
            return recordedStatus
        }
    }

    /// Unfinished and due within `days` days (the "needs attention" list warns about these).
    public func isAtRisk(on today: Day, within days: Int = 14) -> Bool {
        guard status(on: today) == .planned || status(on: today) == .inProgress, case .date(let due) = deadline else { return false }
        return due.julian - today.julian <= days
    }
}

extension Day {
    /// Days since a fixed origin, for differences between days.
    public var julian: Int {
        let a = (14 - month) / 12, y = year + 4800 - a, m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }
}
