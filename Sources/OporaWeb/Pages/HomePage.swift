import Foundation
import Hummingbird
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// The start page: the dashboard of the account's territory. A school account goes straight to its
/// school's profile.
enum HomePage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/") { request, context -> Response in
            let user = try context.requireIdentity()
            if user.user.role == .school, case .schools(let ids) = user.scope, ids.count == 1 {
                return Response(status: .seeOther, headers: [.location: SiteURL.school(ids.first!).path])
            }
            let page = try await dashboard(request: request, context: context, env: env, user: user)
            return page.makeResponse(status: .ok)
        }
    }

    static func dashboard(request: Request, context: OporaRequestContext, env: WebEnvironment, user: CurrentUser) async throws -> HTML {
        let language = context.language
        let snapshot = try await env.analysis.current()
        let store = env.database.scoped(user.scope)
        // Every registry change is audited: the audit version keys the territory's registry and every
        // figure made from it, so a request reads one number instead of the whole registry.
        let auditVersion = try await env.database.auditVersion()
        let entries = try await env.registries.value("\(auditVersion)|\(user.scope.cacheKey)") { try await store.registry() }
        var yearRuns: [(IdentificationRunRecord, IdentificationResult)] = []
        for record in try await env.runs.latestPerYear() {
            if let result = try await env.runs.result(record.id) { yearRuns.append((record, result)) }
        }
        let newest = yearRuns.first
        let filter = Dashboard.Filter(request.query.values)
        // The territory's rows in the asked order, once per data version, run, registry and territory:
        // a region has thousands of schools, and a page shows a hundred.
        let base = "\(snapshot.version)|\(yearRuns.map { String($0.0.id) }.joined(separator: ","))|\(auditVersion)|\(user.scope.cacheKey)"
        let ordered = env.rows.value("\(base)|\(filter.sort)|\(filter.descending)") {
            let registry = Dictionary(uniqueKeysWithValues: entries.map { ($0.schoolID, $0.status) })
            let rows = Dashboard.rows(snapshot: snapshot, scope: user.scope, run: newest?.1, registry: registry)
            return Dashboard.Table(rows: filter.sorted(rows), ids: Set(rows.map(\.school.id)),
                                   municipalities: Array(Set(rows.map(\.school.municipality))).sorted())
        }
        let all = ordered.rows
        let matching = filter.isActive ? all.filter(filter.matches) : all
        // A page of the table at a time: a region has thousands of schools.
        let pages = max(1, (matching.count + Dashboard.pageSize - 1) / Dashboard.pageSize)
        let pageNumber = min(pages, max(1, Int(request.query.get("page") ?? "") ?? 1))
        let shown = Array(matching.dropFirst((pageNumber - 1) * Dashboard.pageSize).prefix(Dashboard.pageSize))
        let ids = ordered.ids
        let municipalities = ordered.municipalities

        var page = DashboardPage(
            heading: heading(user, language),
            summary: summaryLine(schools: all.count, students: ordered.students, rural: ordered.rural, municipalities: municipalities.count, language),
            empty: all.isEmpty,
            shownCount: shownText(matching: matching.count, all: all.count, page: pageNumber, filtered: filter.isActive, language),
            pager: pages > 1,
            previous: pageNumber > 1 ? filter.link(sortingBy: filter.sort, keepDirection: true) + "&page=\(pageNumber - 1)" : nil,
            next: pageNumber < pages ? filter.link(sortingBy: filter.sort, keepDirection: true) + "&page=\(pageNumber + 1)" : nil,
            pageOf: language.pick(ru: "страница \(pageNumber) из \(pages)", en: "page \(pageNumber) of \(pages)"),
            rowsHTML: SchoolTableHTML.rows(shown, language),
            refreshing: await env.analysis.isRefreshing)
        // The form and the table head: rendered once per territory, filter and language.
        let parts = await env.fragments.value("filters|\(snapshot.version)|\(user.scope.cacheKey)|\(municipalities.count)|\(filter.link(sortingBy: filter.sort, keepDirection: true))|\(language.rawValue)") {
            let form = DashboardFilterForm(filter: filter, regionWide: user.scope.isRegionWide, municipalities: municipalities, language)
            return ["filters": Views.fragment(form, view: .dashboardFilters, language: language),
                    "head": Views.fragment(form, view: .dashboardHead, language: language)]
        }
        page.filtersHTML = parts["filters"] ?? ""
        page.headHTML = parts["head"] ?? ""
        if let newest {
            page.run = .init(id: newest.0.id, year: newest.0.year, date: DateText.day(newest.0.createdAt, language), rules: newest.0.rulesName,
                             url: SiteURL.run(newest.0.id).path)
        }
        // The figures depend on the data, the runs, the registry and the territory only: rendered once
        // per their versions (the registry by the audit version).
        let key = "dashboard|\(base)|\(language.rawValue)"
        page.figuresHTML = await env.fragments.value(key) {
            let byYear = Dashboard.categoriesByYear(runs: yearRuns, scope: ids)
            let trend = DashboardCharts.failTrend(snapshot: snapshot, scope: user.scope, municipalities: municipalities, language)
            let effect = SupportEffect.estimate(supported: entries, snapshot: snapshot).map { effectText($0, language) }
            return ["html": Views.fragment(DashboardFigures(byYear: byYear, trend: trend, effect: effect, language), language: language)]
        }["html"] ?? ""
        if !all.isEmpty {
            page.programmesHTML = try await DashboardProgrammes.html(env: env, user: user, snapshot: snapshot, auditVersion: auditVersion,
                                                                     registry: entries, language: language)
        }
        return Views.render(page, title: language.pick(ru: "Обзор", en: "Overview"), language: language, user: user)
    }

    static func effectText(_ e: SupportEffect, _ language: Language) -> DashboardFigures.Effect {
        func pp(_ v: Double) -> String { (v > 0 ? "+" : "") + NumberFormat.decimal(v * 100, digits: 1, language) + language.pick(ru: " п.п.", en: " pp") }
        let verdict: String
        if e.high < 0 {
            verdict = language.pick(ru: "Доля «2» у школ программы снизилась сильнее, чем у похожих школ без поддержки: поддержка, по-видимому, помогает.",
                                    en: "The share of «2» fell more in supported schools than in similar unsupported ones: support appears to help.")
        } else if e.low > 0 {
            verdict = language.pick(ru: "У школ программы доля «2» изменилась хуже, чем у похожих школ: стоит пересмотреть меры.",
                                    en: "Supported schools did worse than similar ones: the measures deserve a review.")
        } else {
            verdict = language.pick(ru: "Разница с похожими школами в пределах случайности: данных пока недостаточно для вывода.",
                                    en: "The difference from similar schools is within chance: not enough data to conclude yet.")
        }
        return DashboardFigures.Effect(
            schools: NumberFormat.count(e.pairs.count, .school, en: "school", language), year: e.outcomeYear,
            supported: pp(e.supportedChange), matched: pp(e.matchedChange), effect: pp(e.effect),
            interval: "\(pp(e.low)) … \(pp(e.high))", verdict: verdict)
    }

    /// "Всего 2 000 школ, показаны 1–100" / "По фильтру — 12 из 2 000 школ".
    static func shownText(matching: Int, all: Int, page: Int, filtered: Bool, _ language: Language) -> String {
        var text = filtered
            ? language.pick(ru: "По фильтру — \(NumberFormat.integer(matching)) из \(NumberFormat.count(all, .school, en: "school"))",
                            en: "Matching the filter: \(NumberFormat.integer(matching, .en)) of \(NumberFormat.count(all, .school, en: "school", .en))")
            : language.pick(ru: "Всего \(NumberFormat.count(all, .school, en: "school"))", en: "All \(NumberFormat.count(all, .school, en: "school", .en))")
        if matching > Dashboard.pageSize {
            let first = (page - 1) * Dashboard.pageSize + 1, last = min(matching, page * Dashboard.pageSize)
            text += language.pick(ru: ", показаны ", en: ", showing ") + "\(NumberFormat.integer(first, language))–\(NumberFormat.integer(last, language))"
        }
        return text
    }

    static func heading(_ user: CurrentUser, _ language: Language) -> String {
        switch user.scope {
        case .everything: language.pick(ru: "Все регионы", en: "All regions")
        case .region(let name): name
        case .municipality(let name): name
        case .schools: language.pick(ru: "Мои школы", en: "My schools")
        }
    }

    static func summaryLine(schools count: Int, students: Int, rural: Int, municipalities: Int, _ language: Language) -> String {
        let schools = NumberFormat.count(count, .school, en: "school", language)
        let m = NumberFormat.count(municipalities, .municipality, en: "municipality", enPlural: "municipalities", language)
        return language.pick(
            ru: "\(schools) в \(municipalities == 1 ? "1 муниципалитете" : "\(NumberFormat.integer(municipalities)) муниципалитетах"), "
                + "\(NumberFormat.integer(students)) обучающихся, сельских школ: \(NumberFormat.integer(rural)).",
            en: "\(schools) in \(m), \(NumberFormat.integer(students, .en)) students, \(NumberFormat.integer(rural, .en)) rural schools.")
    }

    static func columns(_ filter: Dashboard.Filter, _ language: Language) -> [DashboardFilterForm.Column] {
        let names: [(String, String, String)] = [
            ("id", "Код", "Code"), ("name", "Школа", "School"), ("municipality", "Муниципалитет", "Municipality"),
            ("students", "Обучающихся", "Students"), ("wellbeing", "ИСБ, процентиль", "Well-being, percentile"),
            ("fails", "Доля «2», последний год", "Share of «2», latest year"), ("flags", "Категории", "Categories"),
        ]
        return names.map { key, ru, en in
            let active = filter.sort == key
            return DashboardFilterForm.Column(name: language.pick(ru: ru, en: en), link: filter.link(sortingBy: key),
                                              sort: active ? (filter.descending ? "descending" : "ascending") : "none",
                                              arrow: active ? (filter.descending ? " ▼" : " ▲") : "")
        }
    }


}

/// The dashboard of a territory; its heavy parts arrive rendered (and cached) as HTML.
struct DashboardPage: PageModel {
    static let view = View.dashboard
    struct Run { var id, year: Int; var date, rules, url: String }
    var heading, summary: String
    var empty: Bool
    var shownCount: String
    var pager: Bool
    var previous, next: String?
    var pageOf: String
    var rowsHTML: String
    var refreshing: Bool
    var filtersHTML = "", headHTML = "", figuresHTML = ""
    var programmesHTML: String?
    var run: Run?
}

/// The schools table's filter form and sortable head (two views of one model).
struct DashboardFilterForm {
    struct Column { var name, link, sort, arrow: String }
    var filterActive: Bool
    var q: String
    var regionWide: Bool
    var municipalities: [Choice]
    var categoryOptions, registryOptions, settlementOptions: [Choice]
    var columns: [Column]

    init(filter: Dashboard.Filter, regionWide: Bool, municipalities: [String], _ language: Language) {
        filterActive = filter.isActive
        q = filter.query
        self.regionWide = regionWide
        self.municipalities = municipalities.map { Choice(value: $0, name: $0, selected: $0 == filter.municipality) }
        categoryOptions = ([("any", language.pick(ru: "любая категория", en: "any category")), ("none", language.pick(ru: "без категорий", en: "no category"))]
                           + Dashboard.categories.map { ($0, Wording.categoryName($0, language)) })
            .map { Choice(value: $0.0, name: $0.1, selected: $0.0 == filter.category) }
        registryOptions = ([("none", language.pick(ru: "не в реестре", en: "not in the registry"))]
                           + RegistryStatus.allCases.map { ($0.rawValue, language.pick($0.name)) })
            .map { Choice(value: $0.0, name: $0.1, selected: $0.0 == filter.registry) }
        settlementOptions = [Settlement.urban, .rural].map { Choice(value: $0.rawValue, name: language.pick($0.name), selected: $0.rawValue == filter.settlement) }
        columns = HomePage.columns(filter, language)
    }
}

/// The figures above the schools table: categories by year, the trend of «2», the effect of support.
struct DashboardFigures: PageModel {
    static let view = View.dashboardFigures
    struct Cell { var value: String }
    struct CategoryRow { var name: String; var cells: [Cell] }
    struct Year { var year: Int; var run: Int; var url: String }
    struct TrendYear { var year: Int }
    struct Effect { var schools: String; var year: Int; var supported, matched, effect, interval, verdict: String }
    var byYear: Bool
    var byYearRows: [CategoryRow]
    var byYearYears: [Year]
    var byYearFlagged: [Cell]
    var byYearChart: String
    var trendChart: String
    var trendRows: [DashboardCharts.Trend.Row]
    var trendYears: [TrendYear]
    var hasTrend: Bool
    var effect: Effect?

    init(byYear counts: [(year: Int, run: Int, counts: [String: Int], flagged: Int)], trend: DashboardCharts.Trend, effect: Effect?,
         _ language: Language) {
        byYear = !counts.isEmpty
        byYearRows = Dashboard.categories.map { c in
            CategoryRow(name: Wording.categoryName(c, language), cells: counts.map { Cell(value: NumberFormat.integer($0.counts[c] ?? 0, language)) })
        }
        byYearYears = counts.map { Year(year: $0.year, run: $0.run, url: SiteURL.run($0.run).path) }
        byYearFlagged = counts.map { Cell(value: NumberFormat.integer($0.flagged, language)) }
        byYearChart = DashboardCharts.categoriesByYear(counts, language)
        trendChart = trend.chart
        trendRows = trend.rows
        trendYears = trend.years.map { TrendYear(year: $0) }
        hasTrend = !trend.rows.isEmpty
        self.effect = effect
    }
}
