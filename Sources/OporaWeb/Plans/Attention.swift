import Foundation
import OporaCore
import OporaStore

/// What needs someone's attention in a territory: late measures, measures due soon, indicator
/// values missing for the current period, curator visits overdue, exits proposed and not yet decided.
struct Attention {
    struct Item {
        enum Kind: String { case late, dueSoon = "due_soon", missingValue = "missing_value", visitOverdue = "visit_overdue", exitProposed = "exit_proposed" }
        var kind: Kind
        var schoolID: String?
        var owner: String
        var text: LocalizedText
        /// Where it is dealt with (a `SiteURL`, with the place on the page).
        var link: String
        var day: Day?
    }

    var items: [Item] = []

    /// Days without a curator's visit after which a supported school is flagged.
    static let visitInterval = 90

    static func collect(store: ScopedStore, today: Day, schoolNames: [String: String]) async throws -> Attention {
        var out = Attention()
        let plans = try await store.planOverview()
        for p in plans.programmes {
            let owner: String
            switch p.owner {
            case .school(let id): owner = schoolNames[id] ?? id
            case .municipality(let m): owner = m
            }
            for m in plans.measures[p.id] ?? [] {
                let status = m.status(on: today)
                if status == .late {
                    out.items.append(Item(kind: .late, schoolID: p.owner.kind == "school" ? p.owner.id : nil, owner: owner,
                                          text: LocalizedText(ru: "просрочено: «\(m.title)» (срок \(m.deadline.due(on: today).text(.ru)))",
                                                              en: "late: «\(m.title)» (due \(m.deadline.due(on: today).text(.en)))"),
                                          link: SiteURL.programme(p.id).at("measure-\(m.id)"), day: m.deadline.due(on: today)))
                } else if m.isAtRisk(on: today) {
                    out.items.append(Item(kind: .dueSoon, schoolID: p.owner.kind == "school" ? p.owner.id : nil, owner: owner,
                                          text: LocalizedText(ru: "срок скоро: «\(m.title)» (до \(m.deadline.due(on: today).text(.ru)))",
                                                              en: "due soon: «\(m.title)» (by \(m.deadline.due(on: today).text(.en)))"),
                                          link: SiteURL.programme(p.id).at("measure-\(m.id)"), day: m.deadline.due(on: today)))
                }
            }
            for i in plans.indicators[p.id] ?? [] where i.computed == nil && i.period != .once {
                // The value of the period that has just ended is due; the current one is still running.
                let previous = i.period.label(of: today.adding(months: -i.period.months))
                if !(plans.readings[i.id] ?? []).contains(where: { $0.period == previous }) {
                    out.items.append(Item(kind: .missingValue, schoolID: p.owner.kind == "school" ? p.owner.id : nil, owner: owner,
                                          text: LocalizedText(ru: "нет значения показателя «\(i.name)» за \(previous)",
                                                              en: "no value of «\(i.name)» for \(previous)"),
                                          link: SiteURL.programme(p.id).at("indicators"), day: nil))
                }
            }
        }
        let visits = Dictionary(grouping: try await store.allEvents().filter { $0.kind == .visit }, by: \.schoolID)
        for entry in try await store.registry() where entry.status == .included || entry.status == .inProgramme || entry.status == .exitProposed {
            let name = schoolNames[entry.schoolID] ?? entry.schoolID
            if entry.status == .exitProposed {
                out.items.append(Item(kind: .exitProposed, schoolID: entry.schoolID, owner: name,
                                      text: LocalizedText(ru: "предложен выход из программы — решение координатора", en: "exit proposed — the coordinator decides"),
                                      link: SiteURL.registryEntry(entry.schoolID).path, day: nil))
                continue
            }
            let last = (visits[entry.schoolID] ?? []).map(\.day).max()
            let since = last ?? Day(entry.startDate)
            if let since, today.julian - since.julian > visitInterval {
                out.items.append(Item(kind: .visitOverdue, schoolID: entry.schoolID, owner: name,
                                      text: last.map { LocalizedText(ru: "визита куратора не было с \($0.text(.ru))", en: "no curator's visit since \($0.text(.en))") }
                                          ?? LocalizedText(ru: "визитов куратора ещё не было", en: "no curator's visit yet"),
                                      link: SiteURL.schoolPlan(entry.schoolID).at("support"), day: last))
            }
        }
        return out
    }
}
