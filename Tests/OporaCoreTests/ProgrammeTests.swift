import Foundation
import Testing
@testable import OporaCore

@Suite("Programmes: deadlines, measure status, indicator lights")
struct ProgrammeTests {
    @Test func daysParseOnlyRealDatesAndPrintBothWays() {
        #expect(Day("2026-11-22")?.text(.ru) == "22.11.2026")
        #expect(Day("2026-11-22")?.text(.en) == "22 Nov 2026")
        #expect(Day("2024-02-29") != nil && Day("2025-02-29") == nil && Day("2026-13-01") == nil && Day("22.11.2026") == nil)
        #expect(Day("2026-01-31")!.adding(months: 1) == Day("2026-02-28"))
        #expect(Day("2026-03-01")!.julian - Day("2026-02-28")!.julian == 1)
    }

    @Test func recurringDeadlinesAreDueAtTheEndOfTheirPeriod() {
        let today = Day("2026-05-10")!
        #expect(Deadline.recurring(.quarterly).due(on: today) == Day("2026-06-30"))
        #expect(Deadline.recurring(.halfYear).due(on: today) == Day("2026-06-30"))
        #expect(Deadline.recurring(.monthly).due(on: today) == Day("2026-05-31"))
        #expect(Deadline.recurring(.duringYear).due(on: today) == Day("2026-12-31"))
        #expect(Deadline(storageText: "every:quarterly") == .recurring(.quarterly))
        #expect(Deadline(storageText: Deadline.date(today).storageText) == .date(today))
        #expect(Deadline(storageText: "soon") == nil)
    }

    @Test func lateIsComputedFromTheDeadlineNeverStored() {
        var m = Measure(section: .methodological, title: "Семинар", deadline: .date(Day("2026-03-31")!), responsible: "ММС")
        #expect(m.status(on: Day("2026-03-31")!) == .planned)
        #expect(m.status(on: Day("2026-04-01")!) == .late)
        #expect(m.isAtRisk(on: Day("2026-03-20")!) && !m.isAtRisk(on: Day("2026-02-01")!))
        m.recordedStatus = .done
        #expect(m.status(on: Day("2026-04-01")!) == .done)
        #expect(Measure(section: .staff, title: "x", deadline: .recurring(.quarterly), responsible: "y").status(on: Day("2030-01-01")!) == .planned)
        #expect(Measure(section: .staff, title: "x", deadline: .recurring(.annual), responsible: "y", recordedStatus: .late).recordedStatus == .inProgress)
    }

    @Test func trafficLightsFollowTheIndicatorsDirection() {
        let fails = MonitoringIndicator(name: "Доля «2»", unit: .share, direction: .lowerIsBetter, baseline: 0.3, target: 0.15, period: .annual)
        #expect(fails.light(latest: nil) == .none)
        #expect(fails.light(latest: 0.14) == .green)
        #expect(fails.light(latest: 0.2) == .amber)
        #expect(fails.light(latest: 0.31) == .red)
        #expect(abs(fails.progress(latest: 0.2)! - 2.0 / 3.0) < 1e-12)
        let trained = MonitoringIndicator(name: "Обучено педагогов", unit: .count, direction: .higherIsBetter, target: 20, period: .annual)
        // No baseline: one value says nothing of progress; later values are judged against the first.
        #expect(trained.light(values: [20]) == .green && trained.light(values: [5]) == .notMet)
        #expect(trained.light(values: [5, 8]) == .amber && trained.light(values: [8, 5]) == .red && trained.light(values: [5, 5]) == .red)
    }

    /// Issue 16: every unit, both directions, with and without a baseline, as (values so far, light).
    @Test(arguments: [
        // «Количество вакансий» = 3 with target 0: not progress (it was «есть продвижение»).
        (MonitoringIndicator.Unit.count, Direction.lowerIsBetter, nil as Double?, 0.0, [3.0], MonitoringIndicator.Light.notMet),
        (.count, .lowerIsBetter, nil, 0, [5, 3], .amber),
        (.count, .lowerIsBetter, nil, 0, [3, 3], .red),
        (.count, .lowerIsBetter, nil, 0, [0], .green),
        (.count, .lowerIsBetter, 4, 0, [3], .amber),
        (.count, .lowerIsBetter, 4, 0, [5], .red),
        (.count, .higherIsBetter, 5, 20, [12], .amber),
        (.count, .higherIsBetter, 5, 20, [5], .red),
        (.count, .higherIsBetter, 5, 20, [25], .green),
        // «Наличие педагога-психолога»: «нет» with target «да» is red, «да» = «да» is green (both were amber).
        (.yesNo, .higherIsBetter, nil, 1, [0], .red),
        (.yesNo, .higherIsBetter, nil, 1, [1], .green),
        (.yesNo, .higherIsBetter, 0, 1, [0, 0], .red),
        (.yesNo, .lowerIsBetter, nil, 0, [1], .red),
        (.yesNo, .lowerIsBetter, nil, 0, [0], .green),
        (.share, .lowerIsBetter, 0.3, 0.15, [0.2], .amber),
        (.share, .lowerIsBetter, 0.3, 0.15, [0.3], .red),
        (.share, .higherIsBetter, 0.5, 0.7, [0.72], .green),
        (.share, .higherIsBetter, nil, 0.7, [0.6], .notMet),
        (.score, .higherIsBetter, 12, 15, [13.5], .amber),
        (.mark, .higherIsBetter, nil, 4, [3.4, 3.6], .amber),
        (.percentPoints, .lowerIsBetter, nil, -5, [-2, 1], .red),
    ])
    func theLightJudgesTheLatestValueInTheIndicatorsDirection(_ unit: MonitoringIndicator.Unit, _ direction: Direction, _ baseline: Double?,
                                                             _ target: Double, _ values: [Double], _ light: MonitoringIndicator.Light) {
        let i = MonitoringIndicator(name: "x", unit: unit, direction: direction, baseline: baseline, target: target, period: .annual)
        #expect(i.light(values: values) == light)
        #expect(i.light(values: []) == .none)
        #expect(MonitoringIndicator(name: "x", unit: unit, direction: direction, baseline: baseline, target: nil, period: .annual)
            .light(values: values) == .noTarget)
    }

    /// Issue 16: «да» can be typed for a yes/no indicator, a count takes whole numbers only.
    @Test func valuesAreTypedAsTheUnitAsksAndRefusedWithAReason() {
        func value(_ unit: MonitoringIndicator.Unit, _ text: String) -> Double? { try? unit.value(typed: text).get() }
        #expect(value(.yesNo, "да") == 1 && value(.yesNo, " Нет ") == 0 && value(.yesNo, "yes") == 1 && value(.yesNo, "может быть") == nil)
        #expect(value(.count, "3") == 3 && value(.count, "1,5") == nil && value(.count, "-1") == nil && value(.count, "три") == nil)
        #expect(value(.share, "45") == 0.45 && value(.share, "45 %") == 0.45 && value(.share, "0,45") == 0.45 && value(.share, "0,5%") == 0.005)
        #expect(value(.share, "120") == nil && value(.share, "-3") == nil)
        #expect(value(.score, "3,5") == 3.5 && value(.mark, "4.2") == 4.2 && value(.percentPoints, "-2,5") == -2.5 && value(.score, "") == nil)
        guard case .failure(let problem) = MonitoringIndicator.Unit.count.value(typed: "1,5") else { Issue.record("1,5 taken as a count"); return }
        #expect(problem.message.ru.contains("целое число") && problem.message.en.contains("whole number"))
    }
}
