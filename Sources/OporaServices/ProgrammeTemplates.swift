import Foundation
import OporaCore
import OporaStore
import Yams

/// A ready plan a school or municipality starts from and then edits: the seeds' own roadmaps and
/// programmes, and one anti-risk programme per risk factor (catalogue/*.yaml, compiled into the binary).
public struct ProgrammeTemplate: Sendable, Equatable {
    public struct Indicator: Sendable, Equatable {
        public var key: String
        public var nameRU: String, nameEN: String
        public var unit: MonitoringIndicator.Unit
        public var direction: Direction
        public var baseline: Double?
        public var target: Double?
        public var period: MonitoringIndicator.Period
        public var computed: String?
    }

    public enum TemplateDeadline: Sendable, Equatable {
        case date(Day)
        case recurring(Deadline.Recurrence)
        case monthsAfterStart(Int)
    }

    public struct Item: Sendable, Equatable {
        public var section: MeasureSection
        public var titleRU: String, titleEN: String
        public var deadline: TemplateDeadline
        public var responsibleRU: String, responsibleEN: String
        public var expectedRU: String, expectedEN: String
        public var indicator: String?
    }

    public var id: String
    public var titleRU: String, titleEN: String
    /// `school` or `municipality`.
    public var level: String
    public var kind: ProgrammeKind
    public var riskFactor: RiskFactor?
    public var source: String
    public var goalsRU: [String], tasksRU: [String]
    public var indicators: [Indicator]
    public var measures: [Item]

    /// The template as a new programme starting on `start`: dated measures keep their month and day
    /// and move by whole years so the earliest falls on or after the start; "within N months" counts from the start.
    public func draft(owner: ProgrammeOwner, start: Day) -> ProgrammeDraft {
        // Whole years, so that the earliest dated measure falls on or after the start: a plan started
        // from a template is never late on its first day.
        let dates = measures.compactMap { if case .date(let d) = $0.deadline { d } else { nil } }
        var shift = 0
        if let earliest = dates.min() {
            shift = start.year - earliest.year
            if Day(year: earliest.year + shift, month: earliest.month, day: min(earliest.day, 28)) < start { shift += 1 }
        }
        let keys = indicators.map(\.key)
        let items: [(measure: Measure, indicator: Int?)] = measures.map { item in
            let deadline: Deadline
            switch item.deadline {
            case .date(let d):
                let y = d.year + shift
                deadline = .date(Day(year: y, month: d.month, day: min(d.day, Day.daysIn(month: d.month, year: y))))
            case .recurring(let r): deadline = .recurring(r)
            case .monthsAfterStart(let n): deadline = .date(start.adding(months: n))
            }
            return (Measure(section: item.section, title: item.titleRU, deadline: deadline, responsible: item.responsibleRU,
                            expectedResult: item.expectedRU), item.indicator.flatMap { keys.firstIndex(of: $0) })
        }
        return ProgrammeDraft(
            programme: Programme(owner: owner, kind: kind, title: titleRU, riskFactor: riskFactor, templateID: id, goals: goalsRU, tasks: tasksRU,
                                 start: start, end: start.adding(months: 12)),
            indicators: indicators.map {
                MonitoringIndicator(name: $0.nameRU, unit: $0.unit, direction: $0.direction, baseline: $0.baseline, target: $0.target,
                                    period: $0.period, computed: $0.computed)
            },
            measures: items)
    }
}

public struct TemplateError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

public enum ProgrammeTemplates {
    /// Every template compiled into the binary, by id.
    public static let all: [ProgrammeTemplate] = {
        EmbeddedTemplates.files.compactMap { name, text in
            do { return try parse(text) } catch {
                // The templates are constants of this binary, checked by a test: a broken one is a programming error.
                assertionFailure("template \(name): \(error)")
                return nil
            }
        }.sorted { $0.id < $1.id }
    }()

    public static func find(_ id: String) -> ProgrammeTemplate? { all.first { $0.id == id } }

    public static func parse(_ text: String) throws -> ProgrammeTemplate {
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw TemplateError(description: "not a mapping") }
        func string(_ d: [String: Any], _ key: String) throws -> String {
            guard let v = d[key] as? String else { throw TemplateError(description: "missing \(key)") }
            return v
        }
        func texts(_ key: String) -> [String] { (root[key] as? [[String: Any]] ?? []).compactMap { $0["ru"] as? String } }
        func number(_ v: Any?) -> Double? { (v as? Double) ?? (v as? Int).map(Double.init) }
        guard let kind = ProgrammeKind(rawValue: try string(root, "kind")) else { throw TemplateError(description: "unknown kind") }
        // Where a seed leaves «ответственные» empty, the plan's owner answers until someone is named.
        let defaultResponsible = try string(root, "level") == "school"
            ? LocalizedText(ru: "руководитель ОО", en: "head of the school")
            : LocalizedText(ru: "орган управления образованием", en: "the education authority")
        let indicators = try (root["indicators"] as? [[String: Any]] ?? []).map { d -> ProgrammeTemplate.Indicator in
            guard let unit = MonitoringIndicator.Unit(rawValue: try string(d, "unit")),
                  let direction = Direction(rawValue: try string(d, "direction")),
                  let period = MonitoringIndicator.Period(rawValue: try string(d, "period")) else { throw TemplateError(description: "indicator \(d["id"] ?? "?")") }
            return .init(key: try string(d, "id"), nameRU: try string(d, "name_ru"), nameEN: try string(d, "name_en"), unit: unit,
                         direction: direction, baseline: number(d["baseline"]), target: number(d["target"]), period: period, computed: d["computed"] as? String)
        }
        let measures = try (root["measures"] as? [[String: Any]] ?? []).map { d -> ProgrammeTemplate.Item in
            guard let section = MeasureSection(rawValue: try string(d, "section")), let due = d["deadline"] as? [String: Any] else {
                throw TemplateError(description: "measure \(d["title_ru"] ?? "?")")
            }
            let deadline: ProgrammeTemplate.TemplateDeadline
            if let date = due["date"] as? String, let day = Day(date) { deadline = .date(day) }
            else if let r = (due["recurrence"] as? String).flatMap(Deadline.Recurrence.init(rawValue:)) { deadline = .recurring(r) }
            else if let n = due["relative_months"] as? Int { deadline = .monthsAfterStart(n) }
            else { throw TemplateError(description: "deadline of \(d["title_ru"] ?? "?")") }
            return .init(section: section, titleRU: try string(d, "title_ru"), titleEN: d["title_en"] as? String ?? "",
                         deadline: deadline, responsibleRU: d["responsible_ru"] as? String ?? defaultResponsible.ru,
                         responsibleEN: d["responsible_en"] as? String ?? defaultResponsible.en,
                         expectedRU: d["expected_result_ru"] as? String ?? "", expectedEN: d["expected_result_en"] as? String ?? "",
                         indicator: d["indicator"] as? String)
        }
        return ProgrammeTemplate(
            id: try string(root, "id"), titleRU: try string(root, "title_ru"), titleEN: try string(root, "title_en"),
            level: try string(root, "level"), kind: kind, riskFactor: (root["risk_factor"] as? String).flatMap(RiskFactor.init(rawValue:)),
            source: root["source"] as? String ?? "", goalsRU: texts("goals"), tasksRU: texts("tasks"), indicators: indicators, measures: measures)
    }
}
