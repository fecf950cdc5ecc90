import Hummingbird
import OporaCore
import OporaStore

/// The start page: municipalities with their schools. (The full dashboards come with the web issue.)
enum HomePage {
    static func register(on router: Router<BasicRequestContext>, database: OporaDatabase) {
        router.get("/") { request, _ -> HTML in
            let language = request.language
            let schools = try await database.schools()
            let municipalities = try await database.municipalities()
            return render(language: language, municipalities: municipalities, schools: schools)
        }
    }

    static func render(language: Language, municipalities: [Municipality], schools: [School]) -> HTML {
        let t = { (ru: String, en: String) in language.pick(ru: ru, en: en) }
        let bySchool = Dictionary(grouping: schools, by: \.municipality)
        var content = "<h1>\(t("Муниципалитеты и школы", "Municipalities and schools"))</h1>"
        content += "<p>\(NumberFormat.count(municipalities.count, .municipality, en: "municipality", enPlural: "municipalities", language)), "
            + "\(NumberFormat.count(schools.count, .school, en: "school", language))</p>"
        if municipalities.isEmpty {
            content += "<p>\(t("Данных пока нет. Загрузите их командой", "No data yet. Load it with")) <code>opora import</code>.</p>"
        }
        for municipality in municipalities {
            let list = bySchool[municipality.name] ?? []
            content += "<h2>\(HTML.escape(municipality.name))</h2>"
            content += "<p>\(NumberFormat.count(list.count, .school, en: "school", language))</p>"
            content += "<table><thead><tr><th>\(t("Код", "Code"))</th><th>\(t("Школа", "School"))</th>"
                + "<th>\(t("Местность", "Settlement"))</th><th>\(t("Вид", "Kind"))</th><th>\(t("Обучающихся", "Students"))</th></tr></thead><tbody>"
            for school in list {
                content += "<tr><td>\(HTML.escape(school.id))</td><td>\(HTML.escape(school.name))</td>"
                    + "<td>\(settlementName(school.settlement, language))</td><td>\(kindName(school.kind, language))</td>"
                    + "<td class=num>\(school.students.map { NumberFormat.integer($0, language) } ?? "—")</td></tr>"
            }
            content += "</tbody></table>"
        }
        return HTML.page(title: t("Школы", "Schools"), language: language, content: content)
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
