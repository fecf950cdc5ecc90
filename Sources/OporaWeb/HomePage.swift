import Hummingbird
import OporaCore
import OporaStore

/// The start page: the schools of the account's territory by municipality, with their registry
/// status. (The dashboards come with the pages session.)
enum HomePage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/") { request, context -> HTML in
            let user = try context.requireIdentity()
            let store = env.database.scoped(user.scope)
            let schools = try await store.schools()
            let registry = Dictionary(uniqueKeysWithValues: try await store.registry().map { ($0.schoolID, $0.status) })
            return render(language: context.language, user: user, schools: schools, registry: registry)
        }
    }

    static func render(language: Language, user: CurrentUser?, schools: [School], registry: [String: RegistryStatus]) -> HTML {
        let byMunicipality = Dictionary(grouping: schools, by: \.municipality)
        let names = byMunicipality.keys.sorted()
        let municipalities: [[String: Any]] = names.map { name in
            let list = byMunicipality[name] ?? []
            return [
                "name": name,
                "count": NumberFormat.count(list.count, .school, en: "school", language),
                "schools": list.map { school -> [String: Any] in
                    ["id": school.id, "name": school.name, "settlement": settlementName(school.settlement, language),
                     "kind": kindName(school.kind, language), "students": school.students.map { NumberFormat.integer($0, language) } ?? "—",
                     "registry": registry[school.id].map { statusName($0, language) } ?? ""]
                },
            ]
        }
        let summary = NumberFormat.count(names.count, .municipality, en: "municipality", enPlural: "municipalities", language) + ", "
            + NumberFormat.count(schools.count, .school, en: "school", language)
        return Views.render("home", ["heading": language.pick(ru: "Муниципалитеты и школы", en: "Municipalities and schools"),
                                     "summary": summary, "empty": schools.isEmpty, "municipalities": municipalities],
                            title: language.pick(ru: "Школы", en: "Schools"), language: language, user: user)
    }

    static func statusName(_ status: RegistryStatus, _ language: Language) -> String {
        switch status {
        case .included: language.pick(ru: "включена", en: "included")
        case .inProgramme: language.pick(ru: "в программе", en: "in the programme")
        case .exitProposed: language.pick(ru: "предложен выход", en: "exit proposed")
        case .exited: language.pick(ru: "вышла", en: "exited")
        }
    }

    static func settlementName(_ settlement: Settlement, _ language: Language) -> String {
        switch settlement {
        case .urban: language.pick(ru: "город", en: "urban")
        case .rural: language.pick(ru: "село", en: "rural")
        }
    }

    static func kindName(_ kind: SchoolKind, _ language: Language) -> String {
        switch kind {
        case .general: language.pick(ru: "общеобразовательная", en: "general")
        case .lyceum: language.pick(ru: "лицей", en: "lyceum")
        case .gymnasium: language.pick(ru: "гимназия", en: "gymnasium")
        case .evening: language.pick(ru: "вечерняя", en: "evening")
        case .boarding: language.pick(ru: "интернат", en: "boarding")
        case .special: language.pick(ru: "специальная", en: "special")
        case .other: language.pick(ru: "другая", en: "other")
        }
    }
}
