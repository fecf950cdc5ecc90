import Foundation
import Hummingbird
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// The school profile: context and the well-being index, every flag with its evidence, results of
/// the latest year, one procedure in detail (trend, marks, journal comparison, score histogram and
/// tasks against the region, value-added among the municipality's schools), and the registry.
enum SchoolPage {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/schools/:id") { request, context -> HTML in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("id")
            let store = env.database.scoped(user.scope)
            guard let school = try await store.school(id: id) else { throw WebError.notFound }
            return try await render(school, request: request, context: context, env: env, user: user, store: store)
        }
    }

    static func render(_ school: School, request: Request, context: OporaRequestContext, env: WebEnvironment, user: CurrentUser,
                       store: ScopedStore) async throws -> HTML {
        let language = context.language
        let snapshot = try await env.analysis.current()
        var page = SchoolProfilePage(school: school, language)

        // Flags of the newest run of each year.
        for record in try await env.runs.latestPerYear() {
            guard let result = try await env.runs.result(record.id), let s = result.schools.first(where: { $0.schoolID == school.id }) else { continue }
            page.runs.append(.init(record: record, school: s, language))
        }
        page.hasRuns = !page.runs.isEmpty

        // Results, the procedure in detail and the context depend on the data only: rendered once per
        // data version, school, chosen procedure and language (Mustache over these tables was the
        // dearest part of the page).
        let asked = request.query.get("procedure") ?? ""
        // A school account compares itself with other schools it cannot name (its territory is itself).
        let anonymous = user.user.role == .school
        page.dataHTML = await env.fragments.value("school|\(snapshot.version)|\(school.id)|\(asked)|\(language.rawValue)|\(anonymous ? "anon" : "named")") {
            ["html": Views.fragment(await dataSection(school, asked: asked, snapshot: snapshot, env: env, anonymous: anonymous, language), language: language)]
        }["html"] ?? ""

        // Registry.
        if let entry = try await store.registryEntry(schoolID: school.id) {
            let history = try await store.registryHistory(schoolID: school.id) ?? []
            page.registry = .init(
                status: language.pick(entry.status.name), category: language.pick(entry.category.name),
                reason: entry.reason, start: DateText.day(entry.startDate, language), coordinator: entry.coordinator,
                url: SiteURL.registryEntry(school.id).path,
                history: history.map { h in
                    .init(at: DateText.moment(h.changedAt, language), by: h.changedBy, status: language.pick(h.status.name), note: h.note)
                })
        } else {
            page.canInclude = Policy.allows(user.user.role, .writeRegistry)
        }
        page.refreshing = await env.analysis.isRefreshing
        return Views.render(page, title: school.name, language: language, user: user)
    }

    /// The data-only part of the profile: results of the latest year, one procedure in detail, the context.
    static func dataSection(_ school: School, asked: String, snapshot: AnalysisSnapshot, env: WebEnvironment, anonymous: Bool = false,
                            _ language: Language) async -> SchoolDataSection {
        var data = SchoolDataSection()
        let stats = snapshot.schoolStats(school.id)
        let municipal = Dictionary((snapshot.municipalityStats[school.municipality] ?? []).map { ($0.procedure, $0) }, uniquingKeysWith: { a, _ in a })
        let region = Dictionary(snapshot.regionStats.map { ($0.procedure, $0) }, uniquingKeysWith: { a, _ in a })
        let latestYear = stats.map(\.year).max()
        // Results of the latest year.
        let latest = stats.filter { $0.year == latestYear }
        data.latestYear = latestYear
        data.results = latest.map { s in
            let p = procedure(s)
            return .init(
                name: Wording.procedure(p, language), key: key(p), participants: NumberFormat.integer(s.participants, language),
                meanMark: s.meanMark.map { NumberFormat.decimal($0, digits: 2, language) } ?? "—",
                fail: share(s.marks.first, language), pass: share(s.passShare, language), quality: share(s.qualityShare, language),
                regionFail: share(region[s.procedure]?.marks.first, language),
                confirmed: share(s.confirmed, language), source: s.source == "aggregates")
        }
        data.hasResults = !stats.isEmpty

        // One procedure in detail.
        let families = Array(Set(stats.map { key(procedure($0)) })).sorted()
        // By default the first ВПР with marks of the latest year: the richest detail (journal, tasks, value-added).
        // Prefer one whose students took the same subject a grade earlier: then value-added can be shown too.
        let hasPrior: (ProcedureStats) -> Bool = { s in
            snapshot.data.procedures.contains { $0.year == s.year - 1 && $0.grade == s.grade - 1 && $0.subject == s.subject
                && $0.assessment.rawValue == s.assessment && snapshot.data.cells[$0] != nil }
        }
        let preferred = latest.first { $0.assessment == "vpr" && !$0.marks.isEmpty && $0.source == "results" && hasPrior($0) }
            ?? latest.first { $0.assessment == "vpr" && !$0.marks.isEmpty && $0.source == "results" }
            ?? latest.first { !$0.marks.isEmpty } ?? latest.first
        let chosen = families.contains(asked) ? asked : (preferred.map { key(procedure($0)) } ?? families.first ?? "")
        data.procedureOptions = families.map { k in
            let s = stats.last { key(procedure($0)) == k }!
            return Choice(value: k, name: Wording.procedure(procedure(s), language), selected: k == chosen)
        }
        let series = stats.filter { key(procedure($0)) == chosen }.sorted { $0.year < $1.year }
        if let last = series.last {
            let p = procedure(last)
            // Sections render only when the data has them.
            data.detail = .init(
                name: Wording.procedure(p, language, year: true),
                trend: ProfileCharts.trend(school: series, municipality: series.compactMap { municipal[$0.procedure] },
                                           region: series.compactMap { region[$0.procedure] }, language),
                marks: ProfileCharts.marks(school: last, region: region[last.procedure], language),
                journal: last.confirmed == nil ? nil : ProfileCharts.journal(school: last, region: region[last.procedure], language),
                gap2: share(last.gap2, language),
                histogram: last.histogram.isEmpty ? nil : ProfileCharts.histogram(school: last, boundaries: snapshot.data.markBoundaries(p), language),
                tasks: last.tasks.isEmpty ? nil : ProfileCharts.tasks(school: last, language))
            data.valueAdded = await valueAdded(p, school: school, snapshot: snapshot, env: env, anonymous: anonymous, language)
        }

        // Context and well-being.
        let indicators = snapshot.indicatorsBySchool[school.id] ?? []
        if let year = indicators.map(\.year).max() {
            let medians = snapshot.indicatorMedians[year] ?? [:]
            data.contextYear = year
            data.indicators = indicators.filter { $0.year == year }
                .sorted { (IndicatorCatalogue.category(of: $0.indicator).rawValue, $0.indicator) < (IndicatorCatalogue.category(of: $1.indicator).rawValue, $1.indicator) }
                .map { v in
                    .init(name: Wording.indicatorName(v.indicator, language).capitalisedFirst,
                          value: Wording.indicatorValue(v.indicator, v.value, language),
                          median: medians[v.indicator].map { Wording.indicatorValue(v.indicator, $0, language) } ?? "—",
                          group: language.pick((IndicatorCategory(rawValue: IndicatorCatalogue.category(of: v.indicator).rawValue) ?? .other).name))
                }
        }
        if let (year, w) = snapshot.latestWellbeing(school.id) {
            data.wellbeing = .init(
                year: year,
                index: w.index.map { NumberFormat.decimal($0, digits: 2, language) } ?? "—",
                percentile: w.percentile.map { NumberFormat.integer(Int(($0 * 100).rounded()), language) } ?? "—",
                components: NumberFormat.integer(w.componentsUsed, language),
                known: w.index != nil)
        }

        return data
    }

    /// The school's value-added in procedure `p` (students linked to the same subject a grade and a
    /// year earlier), with the municipality's schools as a caterpillar plot. `anonymous` (a school
    /// account): the other schools without names or codes («Школа 1», «Школа 2»… from the highest
    /// estimate down: the chart's own order, which names no one), the school's own name shown.
    /// ВПР results do not rate schools: for a ВПР no place among the schools is stated.
    static func valueAdded(_ p: Procedure, school: School, snapshot: AnalysisSnapshot, env: WebEnvironment,
                           anonymous: Bool = false, _ language: Language) async -> SchoolDataSection.ValueAdded? {
        guard p.assessment == .vpr || p.assessment == .oge || p.assessment == .ege, snapshot.data.cells[p] != nil else { return nil }
        let prior = snapshot.data.procedures.first {
            $0.year == p.year - 1 && $0.grade == p.grade - 1 && $0.subject == p.subject && $0.assessment == p.assessment && snapshot.data.cells[$0] != nil
        }
        guard let prior else { return nil }
        let spec = ValueAddedSpecification(outcome: p, prior: prior, context: [], kind: .multilevel)
        guard let report = await env.analysis.valueAdded(spec, snapshot: snapshot),
              let own = report.schools.first(where: { $0.schoolID == school.id }) else { return nil }
        let names = Dictionary(snapshot.data.schools.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var peers = report.schools.filter { names[$0.schoolID]?.municipality == school.municipality && $0.estimate != nil }
        var labels = names.mapValues(\.name)
        if anonymous {
            peers.sort { ($0.estimate!, $0.schoolID) > ($1.estimate!, $1.schoolID) }
            labels = [school.id: school.name]
            var number = 0
            peers = peers.map { peer in
                guard peer.schoolID != school.id else { return peer }
                number += 1
                var other = peer
                other.schoolID = "other-\(number)"
                labels[other.schoolID] = language.pick(ru: "Школа \(number)", en: "School \(number)")
                return other
            }
        }
        var out = SchoolDataSection.ValueAdded(
            prior: Wording.procedure(prior, language, year: true),
            n: NumberFormat.integer(own.n, language),
            band: language.pick(own.band.name),
            caterpillar: ProfileCharts.caterpillar(peers, highlight: school.id, names: labels, ranked: p.assessment != .vpr, language),
            peers: NumberFormat.count(peers.count, .school, en: "school", language))
        if let e = own.estimate, let lo = own.ciLow, let hi = own.ciHigh {
            out.estimate = NumberFormat.decimal(e, digits: 2, language)
            out.interval = "\(NumberFormat.decimal(lo, digits: 2, language)) … \(NumberFormat.decimal(hi, digits: 2, language))"
        }
        return out
    }



    static func procedure(_ s: ProcedureStats) -> Procedure {
        Procedure(year: s.year, assessment: Assessment(s.assessment), subject: s.subject, grade: s.grade)
    }

    /// A procedure across years: `vpr:math:5`.
    static func key(_ p: Procedure) -> String { "\(p.assessment.rawValue):\(p.subject):\(p.grade)" }

    static func share(_ s: ShareStat?, _ language: Language) -> String {
        s.map { Wording.percent($0.share, language) } ?? "—"
    }
}

extension String {
    var capitalisedFirst: String {
        guard let f = first else { return self }
        return f.uppercased() + dropFirst()
    }
}

/// The school profile: who the school is, its flags by year, the data part (rendered and cached on
/// its own), and its registry entry.
struct SchoolProfilePage: PageModel {
    static let view = View.school
    struct Tag { var code, name: String }
    struct Flag { var title, criterion, category, text, value, threshold, n: String; var strength: String? }
    struct Reason { var title, reason: String }
    struct Run {
        var id, year: Int
        var rules, url: String
        var categories: [Tag]
        var clean: Bool
        var flags: [Flag]
        var hasNotEnough: Bool
        var notEnough: [Reason]

        init(record: IdentificationRunRecord, school s: SchoolIdentification, _ language: Language) {
            (id, year, rules, url) = (record.id, record.year, record.rulesName, SiteURL.run(record.id).path)
            categories = s.categories.map { Tag(code: $0, name: Wording.categoryName($0, language)) }
            clean = s.categories.isEmpty
            flags = s.flags.map { f in
                Flag(title: Wording.criterionTitle(f.criterion, language), criterion: f.criterion, category: f.category,
                     text: language == .ru ? f.textRU : f.textEN, value: NumberFormat.decimal(f.value, digits: 3, language),
                     threshold: NumberFormat.decimal(f.threshold, digits: 3, language), n: NumberFormat.integer(f.n, language),
                     strength: f.strength.map { language.pick($0.name) })
            }
            hasNotEnough = !s.notEnoughData.isEmpty
            notEnough = s.notEnoughData.map { Reason(title: Wording.criterionTitle($0.criterion, language), reason: language == .ru ? $0.reasonRU : $0.reasonEN) }
        }
    }
    struct Registry {
        struct Change { var at, by, status, note: String }
        var status, category, reason, start, coordinator, url: String
        var history: [Change]
    }
    var id, name, municipality, settlement, kind, students: String
    var planURL, includeURL: String
    var runs: [Run] = []
    var hasRuns = false
    var dataHTML = ""
    var registry: Registry?
    var canInclude = false
    var refreshing = false

    init(school: School, _ language: Language) {
        (id, name, municipality) = (school.id, school.name, school.municipality)
        settlement = language.pick(school.settlement.name)
        kind = language.pick(school.kind.name)
        students = school.students.map { NumberFormat.integer($0, language) } ?? "—"
        planURL = SiteURL.schoolPlan(school.id).path
        includeURL = SiteURL.registryNew(school: school.id).path
    }
}

/// The data part of the profile: results of the latest year, one procedure in detail, the context.
struct SchoolDataSection: PageModel {
    static let view = View.schoolData
    struct Result {
        var name, key, participants, meanMark, fail, pass, quality, regionFail, confirmed: String
        var source: Bool
    }
    struct Detail {
        var name, trend, marks: String
        var journal: String?
        var gap2: String
        var histogram, tasks: String?
    }
    struct ValueAdded {
        var prior, n, band, caterpillar, peers: String
        var estimate, interval: String?
    }
    struct Indicator { var name, value, median, group: String }
    struct Wellbeing {
        var year: Int
        var index, percentile, components: String
        var known: Bool
    }
    var latestYear: Int?
    var results: [Result] = []
    var hasResults = false
    var procedureOptions: [Choice] = []
    var detail: Detail?
    var valueAdded: ValueAdded?
    var contextYear: Int?
    var indicators: [Indicator] = []
    var wellbeing: Wellbeing?
}
