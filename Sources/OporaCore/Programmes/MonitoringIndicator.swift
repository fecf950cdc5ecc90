import Foundation

/// A target indicator of a programme: measured against its baseline and target each period,
/// either entered by people or computed from the data Opora already holds.
public struct MonitoringIndicator: Sendable, Hashable, Codable {
    public enum Unit: String, CaseIterable, Sendable, Codable, Hashable {
        /// 0…1, shown as per cent.
        case share
        case count, score, mark
        case yesNo = "yes_no"
        case percentPoints = "percent_points"
    }

    public enum Period: String, CaseIterable, Sendable, Codable, Hashable {
        case quarterly
        case halfYear = "half_year"
        case annual, once

        /// How long one period lasts (`once` counts as a year).
        public var months: Int {
            switch self {
            case .quarterly: 3
            case .halfYear: 6
            case .annual, .once: 12
            }
        }
    }

    public var id: Int
    public var programmeID: Int
    public var name: String
    public var unit: Unit
    public var direction: Direction
    public var baseline: Double?
    /// `nil` until someone sets it (the seeds often give a baseline and «положительная динамика» only).
    public var target: Double?
    public var period: Period
    /// A data-derived definition (e.g. `vpr_fail_share`), when Opora computes the values itself.
    public var computed: String?

    public init(id: Int = 0, programmeID: Int = 0, name: String, unit: Unit, direction: Direction, baseline: Double? = nil,
                target: Double?, period: Period, computed: String? = nil) {
        self.id = id
        self.programmeID = programmeID
        self.name = name
        self.unit = unit
        self.direction = direction
        self.baseline = baseline
        self.target = target
        self.period = period
        self.computed = computed
    }

    /// Traffic light of the latest value, judged in the indicator's direction: green = target
    /// reached; amber = better than where it started (the baseline, else the first value entered),
    /// but short of the target; red = no better than where it started, or a yes/no indicator not yet
    /// «да»; `notMet` = short of the target with nothing to compare it with (one value, no baseline),
    /// which says nothing of progress either way.
    public enum Light: String, Sendable, Codable, Hashable, CaseIterable {
        case green, amber, red
        case notMet = "not_met"
        /// No value yet.
        case none
        /// A value, but no target to judge it by.
        case noTarget = "no_target"
    }

    /// The light of the values entered so far, oldest first.
    public func light(values: [Double]) -> Light {
        light(latest: values.last, first: values.count > 1 ? values.first : nil)
    }

    /// `first`: the earliest of the values entered before `latest`, the starting point when the
    /// indicator has no baseline.
    public func light(latest value: Double?, first: Double? = nil) -> Light {
        guard let value else { return .none }
        guard let target else { return .noTarget }
        let better: (Double, Double) -> Bool = direction == .higherIsBetter ? { $0 >= $1 } : { $0 <= $1 }
        if better(value, target) { return .green }
        // Yes/no has no way part of the way: «нет» while the target is «да» is not progress.
        if unit == .yesNo { return .red }
        guard let start = baseline ?? first else { return .notMet }
        let strictlyBetter: (Double, Double) -> Bool = direction == .higherIsBetter ? { $0 > $1 } : { $0 < $1 }
        return strictlyBetter(value, start) ? .amber : .red
    }

    /// A value as a person types it for this indicator (see `Unit.value(typed:)`).
    public func value(typed text: String) -> Result<Double, ValueProblem> { unit.value(typed: text) }

    /// Why a typed value was not taken.
    public struct ValueProblem: Error, Sendable, Equatable {
        public let message: LocalizedText
        public init(_ message: LocalizedText) { self.message = message }
    }

    static func decimal(_ text: String) -> Double? {
        let cleaned = text.replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: "")
            .replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: "\u{202F}", with: "")
        guard !cleaned.isEmpty, let v = Double(cleaned), v.isFinite else { return nil }
        return v
    }

    /// Share of the way from baseline to target (0 at the baseline, 1 at the target), `nil` without a baseline.
    public func progress(latest value: Double) -> Double? {
        guard let baseline, let target, target != baseline else { return nil }
        return (value - baseline) / (target - baseline)
    }
}

extension MonitoringIndicator.Period {
    public var name: LocalizedText {
        switch self {
        case .quarterly: LocalizedText(ru: "ежеквартально", en: "quarterly")
        case .halfYear: LocalizedText(ru: "раз в полугодие", en: "every half-year")
        case .annual: LocalizedText(ru: "ежегодно", en: "annually")
        case .once: LocalizedText(ru: "однократно", en: "once")
        }
    }
}

extension MonitoringIndicator.Unit {
    /// A value as a person types it in this unit: «да»/«нет» for yes/no, a whole
    /// number for a count, a per cent or a share for a share («45», «45 %», «0,45»), a decimal with a
    /// point or a comma otherwise. Nil, with the reason in both languages, when it is none of these.
    public func value(typed text: String) -> Result<Double, MonitoringIndicator.ValueProblem> {
        let typed = text.trimmingCharacters(in: .whitespaces)
        let lower = typed.lowercased()
        switch self {
        case .yesNo:
            switch lower {
            case "да", "yes", "1", "есть", "+": return .success(1)
            case "нет", "no", "0", "-", "—": return .success(0)
            default: return .failure(MonitoringIndicator.ValueProblem(LocalizedText(ru: "Для этого показателя введите «да» или «нет».", en: "Enter «yes» or «no» for this indicator.")))
            }
        case .count:
            guard let n = Int(typed), n >= 0 else {
                return .failure(MonitoringIndicator.ValueProblem(LocalizedText(ru: "Количество — целое число, не меньше нуля (например, 3).",
                                                           en: "A count is a whole number, zero or more (e.g. 3).")))
            }
            return .success(Double(n))
        case .share:
            let percent = lower.hasSuffix("%")
            guard let v = MonitoringIndicator.decimal(percent ? String(lower.dropLast()) : lower), v >= 0 else {
                return .failure(MonitoringIndicator.ValueProblem(LocalizedText(ru: "Доля — число процентов от 0 до 100 (например, 45 или 45 %).",
                                                           en: "A share is a per cent from 0 to 100 (e.g. 45 or 45 %).")))
            }
            // «45» and «45 %» are per cent; «0,45» is the share itself.
            let share = percent || v > 1 ? v / 100 : v
            guard share <= 1 else {
                return .failure(MonitoringIndicator.ValueProblem(LocalizedText(ru: "Доля не может быть больше 100 %.", en: "A share cannot exceed 100 %.")))
            }
            return .success(share)
        case .score, .mark, .percentPoints:
            guard let v = MonitoringIndicator.decimal(lower) else {
                return .failure(MonitoringIndicator.ValueProblem(LocalizedText(ru: "Значение — число (например, 3,5).", en: "The value is a number (e.g. 3.5).")))
            }
            return .success(v)
        }
    }

    public var name: LocalizedText {
        switch self {
        case .share: LocalizedText(ru: "доля, %", en: "share, %")
        case .count: LocalizedText(ru: "количество", en: "count")
        case .score: LocalizedText(ru: "балл", en: "score")
        case .mark: LocalizedText(ru: "отметка", en: "mark")
        case .yesNo: LocalizedText(ru: "да/нет", en: "yes/no")
        case .percentPoints: LocalizedText(ru: "п.п.", en: "percentage points")
        }
    }
}

extension MonitoringIndicator.Light {
    public var name: LocalizedText {
        switch self {
        case .green: LocalizedText(ru: "цель достигнута", en: "target met")
        case .amber: LocalizedText(ru: "есть продвижение", en: "progressing")
        case .red: LocalizedText(ru: "нет продвижения", en: "no progress")
        case .notMet: LocalizedText(ru: "цель не достигнута", en: "target not met")
        case .none: LocalizedText(ru: "нет значения", en: "no value")
        case .noTarget: LocalizedText(ru: "цель не задана", en: "no target set")
        }
    }
}
