import Foundation
import OporaCore
import OporaStore

/// The programme-level indicators of the seeds, for a territory: share of schools in the programme,
/// share of supported schools with a plan, roadmap execution, and schools that left the list.
struct ProgrammeFigures {
    var schools = 0
    var inRegistry = 0
    var withPlan = 0
    var measures = 0, done = 0, late = 0
    var exited = 0

    static func compute(schools ids: [String], plans: PlanOverview, registry: [RegistryEntry], today: Day) -> ProgrammeFigures {
        let programmes = plans.programmes
        var f = ProgrammeFigures()
        f.schools = ids.count
        let active = registry.filter { $0.status != .exited }
        f.inRegistry = active.count
        f.exited = registry.filter { $0.status == .exited }.count
        let planned = Set(programmes.compactMap { if case .school(let id) = $0.owner { id } else { nil } })
        f.withPlan = active.filter { planned.contains($0.schoolID) }.count
        for p in programmes {
            let progress = RoadmapProgress(plans.measures[p.id] ?? [], today: today)
            f.measures += progress.total - progress.cancelled
            f.done += progress.done
            f.late += progress.late
        }
        return f
    }

    /// A figure as the tables show it: what it counts, and the count with its share.
    struct Row {
        var name: String
        var value: String
    }

    func rows(_ language: Language) -> [Row] {
        func share(_ k: Int, _ n: Int) -> String { n > 0 ? NumberFormat.decimal(Double(k) * 100 / Double(n), digits: 1, language) + "%" : "—" }
        return [
            Row(name: language.pick(ru: "Школ в программе поддержки (доля от всех школ)", en: "Schools in the support programme (share of all)"),
                value: "\(NumberFormat.integer(inRegistry, language)) · \(share(inRegistry, schools))"),
            Row(name: language.pick(ru: "Из них с программой или дорожной картой", en: "Of them with a programme or roadmap"),
                value: "\(NumberFormat.integer(withPlan, language)) · \(share(withPlan, inRegistry))"),
            Row(name: language.pick(ru: "Мероприятий выполнено", en: "Measures done"), value: "\(NumberFormat.integer(done, language)) · \(share(done, measures))"),
            Row(name: language.pick(ru: "Мероприятий просрочено", en: "Measures late"), value: "\(NumberFormat.integer(late, language)) · \(share(late, measures))"),
            Row(name: language.pick(ru: "Школ вышли из программы", en: "Schools that exited the programme"), value: NumberFormat.integer(exited, language)),
        ]
    }
}
