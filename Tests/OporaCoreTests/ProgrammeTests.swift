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
        #expect(trained.light(latest: 20) == .green && trained.light(latest: 5) == .amber)
    }
}
