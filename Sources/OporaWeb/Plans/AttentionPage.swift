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
            return Views.render(AttentionPageModel(attention, language),
                                title: language.pick(ru: "Требует внимания", en: "Needs attention"), language: language, user: user)
        }
    }
}

/// The attention list: one group per kind that has items, each item linking to where it is dealt with.
struct AttentionPageModel: PageModel {
    static let view = View.attention
    struct Group {
        var title, kind, count: String
        var items: [Item]
    }
    struct Item {
        var owner, text, link: String
    }
    var groups: [Group]
    var empty: Bool

    static let kinds: [(Attention.Item.Kind, LocalizedText)] = [
        (.late, LocalizedText(ru: "Просроченные мероприятия", en: "Late measures")),
        (.dueSoon, LocalizedText(ru: "Срок в ближайшие две недели", en: "Due within two weeks")),
        (.missingValue, LocalizedText(ru: "Не внесены значения показателей", en: "Indicator values missing")),
        (.visitOverdue, LocalizedText(ru: "Давно не было визита куратора", en: "Curator's visit overdue")),
        (.exitProposed, LocalizedText(ru: "Предложен выход из программы", en: "Exit proposed")),
    ]

    init(_ attention: Attention, _ language: Language) {
        groups = Self.kinds.compactMap { kind, title in
            let list = attention.items.filter { $0.kind == kind }
            guard !list.isEmpty else { return nil }
            return Group(title: language.pick(title), kind: kind.rawValue, count: NumberFormat.integer(list.count, language),
                         items: list.map { Item(owner: $0.owner, text: language.pick($0.text), link: $0.link) })
        }
        empty = groups.isEmpty
    }
}
