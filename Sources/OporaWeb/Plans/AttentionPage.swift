import Foundation
import Hummingbird
import OporaCore
import OporaServices
import OporaStore

/// `/attention`: the user's list of what needs doing, by kind, within their territory.
enum AttentionPage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/attention") { _, context -> HTML in
            let user = try context.requireIdentity()
            let language = context.language
            let store = env.database.scoped(user.scope)
            let names = Dictionary(try await env.analysis.current().data.schools.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let attention = try await Attention.collect(store: store, today: Day(env.now), schoolNames: names)
            let kinds: [(Attention.Item.Kind, LocalizedText)] = [
                (.late, LocalizedText(ru: "Просроченные мероприятия", en: "Late measures")),
                (.dueSoon, LocalizedText(ru: "Срок в ближайшие две недели", en: "Due within two weeks")),
                (.missingValue, LocalizedText(ru: "Не внесены значения показателей", en: "Indicator values missing")),
                (.visitOverdue, LocalizedText(ru: "Давно не было визита куратора", en: "Curator's visit overdue")),
                (.exitProposed, LocalizedText(ru: "Предложен выход из программы", en: "Exit proposed")),
            ]
            let groups = kinds.compactMap { kind, title -> [String: Any]? in
                let list = attention.items.filter { $0.kind == kind }
                guard !list.isEmpty else { return nil }
                return ["title": language.pick(title), "kind": kind.rawValue, "count": NumberFormat.integer(list.count, language),
                        "items": list.map { ["owner": $0.owner, "text": language.pick($0.text), "link": $0.link] }]
            }
            return Views.render("attention", ["groups": groups, "empty": groups.isEmpty,
                                              "total": NumberFormat.integer(attention.items.count, language)],
                                title: language.pick(ru: "Требует внимания", en: "Needs attention"), language: language, user: user)
        }
    }
}
