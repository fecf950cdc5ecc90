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

    /// Traffic light of the latest value: green = target reached; amber = moved from the baseline
    /// towards the target (or no baseline to judge by); red = no progress or worse than the baseline.
    public enum Light: String, Sendable, Codable, Hashable {
        case green, amber, red
        /// No value yet.
        case none
        /// A value, but no target to judge it by.
        case noTarget = "no_target"
    }

    public func light(latest value: Double?) -> Light {
        guard let value else { return .none }
        guard let target else { return .noTarget }
        let better: (Double, Double) -> Bool = direction == .higherIsBetter ? { $0 >= $1 } : { $0 <= $1 }
        if better(value, target) { return .green }
        guard let baseline else { return .amber }
        let strictlyBetter: (Double, Double) -> Bool = direction == .higherIsBetter ? { $0 > $1 } : { $0 < $1 }
        return strictlyBetter(value, baseline) ? .amber : .red
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
        case .none: LocalizedText(ru: "нет значения", en: "no value")
        case .noTarget: LocalizedText(ru: "цель не задана", en: "no target set")
        }
    }
}
