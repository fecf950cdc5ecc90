import Foundation
import Hummingbird
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

/// Identification on the web: the runs, running one with a chosen rule set and year, a run's list
/// with filters and evidence, two runs compared, and the list as CSV. A run is region-wide; every
/// list shows only the schools of the viewer's territory.
enum IdentificationPages {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/identification") { _, context -> HTML in
            try await runsPage(env, context: context, error: nil, rulesText: "", status: .ok)
        }

        router.post("/identification/run") { request, context -> Response in
            let (user, form) = try await context.postedForm(request, limit: 1024 * 1024)
            let language = context.language
            let pasted = form["rules_text"].trimmingCharacters(in: .whitespacesAndNewlines)
            let rules: RuleSet
            switch form["rules"] {
            case "", "default": rules = .default
            case "pasted":
                do { rules = try RuleSet.parse(pasted) } catch let error as RuleSetError {
                    let text = error.problems.map { p in
                        p.path + (p.line.map { language.pick(ru: " (строка \($0))", en: " (line \($0))") } ?? "") + ": " + language.pick(p.message)
                    }.joined(separator: "\n")
                    return try await runsPage(env, context: context, error: language.pick(ru: "Набор правил не принят:\n", en: "The rule set was not accepted:\n") + text,
                                              rulesText: pasted, status: .badRequest).makeResponse(status: .badRequest)
                }
            case let digest:
                guard let stored = try await env.runs.runs().first(where: { $0.rulesDigest == digest }),
                      let parsed = try? RuleSet.parse(stored.rulesText) else {
                    return try await runsPage(env, context: context, error: language.pick(ru: "Нет такого набора правил.", en: "No such rule set."),
                                              rulesText: pasted, status: .badRequest).makeResponse(status: .badRequest)
                }
                rules = parsed
            }
            let snapshot = try await env.analysis.current()
            let id: Int
            do {
                id = try await env.identification.run(rules: rules, year: Int(form["year"]), data: snapshot.data, digest: snapshot.digest, as: user.acting).id
            } catch let refusal as UseCaseError {
                let status = try formStatus(refusal)
                return try await runsPage(env, context: context, error: language.pick(refusal.message), rulesText: pasted, status: status)
                    .makeResponse(status: status)
            }
            await env.runs.runAdded()
            return Response(status: .seeOther, headers: [.location: SiteURL.run(id).path])
        }

        router.get("/identification/runs/:id") { request, context -> HTML in
            let user = try context.requireIdentity()
            guard let id = Int(try context.parameters.require("id")), let loaded = try await scopedRun(id, env: env, user: user) else {
                throw WebError.notFound
            }
            return try await runPage(loaded, request: request, context: context, env: env, user: user)
        }

        router.get("/identification/runs/:id/csv") { request, context -> Response in
            let user = try context.requireIdentity()
            guard let id = Int(try context.parameters.require("id")), let loaded = try await scopedRun(id, env: env, user: user) else {
                throw WebError.notFound
            }
            let filter = RunFilter(request)
            var result = loaded.result
            result.schools = result.schools.filter(filter.matches)
            // Excel opens a UTF-8 CSV with a byte-order mark correctly.
            let body = "\u{FEFF}" + result.csv()
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"opora-run-\(id).csv\""],
                            body: .init(byteBuffer: .init(string: body)))
        }

        router.get("/identification/compare") { request, context -> HTML in
            let user = try context.requireIdentity()
            let params = request.query
            guard let a = params.get("a").flatMap(Int.init), let b = params.get("b").flatMap(Int.init),
                  let first = try await scopedRun(a, env: env, user: user), let second = try await scopedRun(b, env: env, user: user) else {
                throw WebError.notFound
            }
            return comparePage(first, second, language: context.language, user: user)
        }
    }

    /// A run with only the schools of the viewer's territory.
    struct ScopedResult {
        var record: IdentificationRunRecord
        var result: IdentificationResult
        var schoolsInScope: Int
    }

    static func scopedRun(_ id: Int, env: WebEnvironment, user: CurrentUser) async throws -> ScopedResult? {
        guard let record = try await env.runs.record(id), var result = try await env.runs.result(id) else { return nil }
        let snapshot = try await env.analysis.current()
        let ids = Set(snapshot.data.schools.filter(user.scope.contains).map(\.id))
        result.schools = result.schools.filter { ids.contains($0.schoolID) }
        return ScopedResult(record: record, result: result, schoolsInScope: ids.count)
    }

    struct RunFilter {
        var category: String
        var criterion: String
        var municipality: String
        var query: String
        var all: Bool

        init(_ request: Request) {
            let p = request.query
            category = p.get("category") ?? ""
            criterion = p.get("criterion") ?? ""
            municipality = p.get("municipality") ?? ""
            query = (p.get("q") ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            all = p.get("show") == "all"
        }

        func matches(_ s: SchoolIdentification) -> Bool {
            if !all, s.categories.isEmpty, category.isEmpty, criterion.isEmpty { return false }
            if !category.isEmpty, !s.categories.contains(category) { return false }
            if !criterion.isEmpty, !s.flags.contains(where: { $0.criterion == criterion }) { return false }
            if !municipality.isEmpty, s.municipality != municipality { return false }
            if !query.isEmpty, !s.name.lowercased().contains(query), !s.schoolID.lowercased().contains(query) { return false }
            return true
        }

        var queryString: String {
            [("category", category), ("criterion", criterion), ("municipality", municipality), ("q", query), ("show", all ? "all" : "")]
                .filter { !$0.1.isEmpty }.map { "\($0.0)=\(Dashboard.Filter.escape($0.1))" }.joined(separator: "&")
        }
    }

    static func runsPage(_ env: WebEnvironment, context: OporaRequestContext, error: String?, rulesText: String,
                         status: HTTPResponse.Status) async throws -> HTML {
        let user = try context.requireIdentity()
        let language = context.language
        let runs = try await env.runs.runs()
        let snapshot = try await env.analysis.current()
        let ids = Set(snapshot.data.schools.filter(user.scope.contains).map(\.id))
        var flagged: [Int: Int] = [:]
        for r in runs {
            flagged[r.id] = try await env.runs.result(r.id)?.schools.filter { ids.contains($0.schoolID) && !$0.categories.isEmpty }.count ?? 0
        }
        let page = RunsPage(runs: runs, flagged: flagged, years: Array(Set(snapshot.data.procedures.map(\.year))).sorted(by: >),
                            canRun: Policy.allows(user.user.role, .runIdentification), error: error, rulesText: rulesText, language)
        return Views.render(page, title: language.pick(ru: "Выявление", en: "Identification"), language: language, user: user, status: status)
    }

    static func runPage(_ run: ScopedResult, request: Request, context: OporaRequestContext, env: WebEnvironment,
                        user: CurrentUser) async throws -> HTML {
        let language = context.language
        let filter = RunFilter(request)
        let shown = run.result.schools.filter(filter.matches)
        let flagged = run.result.schools.filter { !$0.categories.isEmpty }
        var counts: [String: Int] = [:]
        for s in flagged { for c in s.categories { counts[c, default: 0] += 1 } }
        let criteria = Array(Set(run.result.schools.flatMap { $0.flags.map(\.criterion) })).sorted()
        let registry = Dictionary(uniqueKeysWithValues: try await env.database.scoped(user.scope).registry().map { ($0.schoolID, $0.status) })
        let page = RunPage(run: run, filter: filter, shown: shown, flaggedCount: flagged.count, counts: counts, criteria: criteria, registry: registry,
                           mayInclude: Policy.allows(user.user.role, .writeRegistry), language)
        return Views.render(page, title: language.pick(ru: "Выявление № \(run.record.id)", en: "Identification #\(run.record.id)"),
                            language: language, user: user)
    }

    /// «Добавленная ценность (vpr:math:5:2025): +0,21 (95% интервал 0,05…0,37) — выше ожидаемого», when the run has it.
    static func valueAddedText(_ value: OporaJSONValue?, _ language: Language) -> String {
        guard case .object(let v)? = value, case .number(let estimate)? = v["estimate"], case .string(let outcome)? = v["outcome"],
              case .string(let band)? = v["band"], let b = ValueAddedBand(rawValue: band) else { return "" }
        func number(_ x: Double) -> String { (x > 0 ? "+" : "") + NumberFormat.decimal(x, digits: 2, language) }
        var interval = ""
        if case .number(let low)? = v["ci_low"], case .number(let high)? = v["ci_high"] {
            interval = language.pick(ru: " (95% интервал \(number(low))…\(number(high)))", en: " (95% interval \(number(low))…\(number(high)))")
        }
        return language.pick(ru: "Добавленная ценность", en: "Value-added") + " (\(outcome)): \(number(estimate))\(interval) — " + language.pick(b.name)
    }


    /// Who entered and who left each category between two runs (within the viewer's territory).
    static func comparePage(_ a: ScopedResult, _ b: ScopedResult, language: Language, user: CurrentUser) -> HTML {
        let names = Dictionary((a.result.schools + b.result.schools).map { ($0.schoolID, ($0.name, $0.municipality)) }, uniquingKeysWith: { x, _ in x })
        func members(_ r: ScopedResult, _ category: String?) -> Set<String> {
            Set(r.result.schools.filter { category == nil ? !$0.categories.isEmpty : $0.categories.contains(category!) }.map(\.schoolID))
        }
        func list(_ ids: Set<String>) -> [ComparePage.School] {
            ids.sorted().map { ComparePage.School(id: $0, name: names[$0]?.0 ?? $0, municipality: names[$0]?.1 ?? "", url: SiteURL.school($0).path) }
        }
        let groups: [String?] = [nil] + Dashboard.categories.map { Optional($0) }
        let sections = groups.map { c -> ComparePage.Section in
            let before = members(a, c), after = members(b, c)
            return ComparePage.Section(
                name: c.map { Wording.categoryName($0, language) } ?? language.pick(ru: "Любая категория", en: "Any category"),
                before: NumberFormat.integer(before.count, language), after: NumberFormat.integer(after.count, language),
                stayed: NumberFormat.integer(before.intersection(after).count, language),
                entered: list(after.subtracting(before)), left: list(before.subtracting(after)),
                enteredCount: NumberFormat.integer(after.subtracting(before).count, language),
                leftCount: NumberFormat.integer(before.subtracting(after).count, language))
        }
        func info(_ r: ScopedResult) -> ComparePage.Run {
            ComparePage.Run(id: r.record.id, year: r.record.year, rules: r.record.rulesName, created: DateText.moment(r.record.createdAt, language),
                            url: SiteURL.run(r.record.id).path)
        }
        return Views.render(ComparePage(a: info(a), b: info(b), sections: sections),
                            title: language.pick(ru: "Сравнение запусков", en: "Runs compared"), language: language, user: user)
    }
}

/// The runs, the form that starts one, and the choice of two to compare.
struct RunsPage: PageModel {
    static let view = View.runs
    struct Run { var id, year: Int; var url, rules, digest, data, created, by, flagged: String }
    struct Year { var year: Int }
    struct RuleSetChoice { var digest, name: String }
    struct CompareOption { var id: Int; var label: String }
    var runs: [Run]
    var hasRuns: Bool
    var canRun: Bool
    var years: [Year]
    var ruleSets: [RuleSetChoice]
    var error: String?
    var rulesText: String
    var compareOptions: [CompareOption]
    var canCompare: Bool

    init(runs records: [IdentificationRunRecord], flagged: [Int: Int], years: [Int], canRun: Bool, error: String?, rulesText: String,
         _ language: Language) {
        runs = records.map { r in
            Run(id: r.id, year: r.year, url: SiteURL.run(r.id).path, rules: r.rulesName, digest: String(r.rulesDigest.prefix(12)),
                data: String(r.dataDigest.prefix(12)), created: DateText.moment(r.createdAt, language), by: r.createdBy ?? "—",
                flagged: NumberFormat.count(flagged[r.id] ?? 0, .school, en: "school", language))
        }
        hasRuns = !runs.isEmpty
        self.canRun = canRun
        self.years = years.map { Year(year: $0) }
        var seen = Set<String>()
        ruleSets = records.filter { $0.rulesDigest != RuleSet.default.digest && seen.insert($0.rulesDigest).inserted }
            .map { RuleSetChoice(digest: $0.rulesDigest, name: "\($0.rulesName) (\($0.rulesDigest.prefix(8)))") }
        (self.error, self.rulesText) = (error, rulesText)
        compareOptions = records.map { CompareOption(id: $0.id, label: "№\($0.id) · \($0.year) · \($0.rulesName)") }
        canCompare = records.count >= 2
    }
}

/// One run's list in the viewer's territory: counts by category, the filter, each school's evidence.
struct RunPage: PageModel {
    static let view = View.run
    struct Count { var code, name, count, link: String }
    struct Tag { var code, name: String }
    struct Flag { var criterion, title, category, text: String; var strength: String? }
    struct School {
        var id, url, name, municipality: String
        var categories: [Tag]
        var flags: [Flag]
        var notEnough: String?
        var valueAdded: String
        var registry: String?
        var canInclude: Bool
        var includeURL: String
    }
    var id, year: Int
    var rules, rulesDigest, dataDigest, created, by, summary: String
    var counts: [Count]
    var categoryOptions, criterionOptions, municipalityOptions: [Choice]
    var q: String
    var showAll: Bool
    var shownCount, csvLink, xlsxLink: String
    var schools: [School]

    init(run: IdentificationPages.ScopedResult, filter: IdentificationPages.RunFilter, shown: [SchoolIdentification], flaggedCount: Int,
         counts byCategory: [String: Int], criteria: [String], registry: [String: RegistryStatus], mayInclude: Bool, _ language: Language) {
        let record = run.record
        (id, year, rules, rulesDigest, dataDigest) = (record.id, record.year, record.rulesName, record.rulesDigest, record.dataDigest)
        created = DateText.moment(record.createdAt, language)
        by = record.createdBy ?? "—"
        summary = language.pick(
            ru: "В вашей территории \(NumberFormat.count(run.schoolsInScope, .school, en: "school")), с категориями — \(NumberFormat.integer(flaggedCount)).",
            en: "Your territory has \(NumberFormat.count(run.schoolsInScope, .school, en: "school", .en)); \(NumberFormat.integer(flaggedCount, .en)) with a category.")
        counts = Dashboard.categories.map { c in
            Count(code: c, name: Wording.categoryName(c, language), count: NumberFormat.integer(byCategory[c] ?? 0, language), link: "?category=\(c)")
        }
        categoryOptions = Dashboard.categories.map { Choice(value: $0, name: Wording.categoryName($0, language), selected: $0 == filter.category) }
        criterionOptions = criteria.map { Choice(value: $0, name: "\(Wording.criterionTitle($0, language)) (\($0))", selected: $0 == filter.criterion) }
        municipalityOptions = Array(Set(run.result.schools.map(\.municipality))).sorted().map { Choice(value: $0, name: $0, selected: $0 == filter.municipality) }
        q = filter.query
        showAll = filter.all
        shownCount = language.pick(ru: "Показано: \(NumberFormat.count(shown.count, .school, en: "school"))",
                                   en: "Shown: \(NumberFormat.count(shown.count, .school, en: "school", .en))")
        csvLink = SiteURL.runCSV(record.id).with(query: filter.queryString)
        xlsxLink = SiteURL.runXLSX(record.id).with(query: filter.queryString)
        schools = shown.map { s in
            School(id: s.schoolID, url: SiteURL.school(s.schoolID).path, name: s.name, municipality: s.municipality,
                   categories: s.categories.map { Tag(code: $0, name: Wording.categoryName($0, language)) },
                   flags: s.flags.map { f in
                       Flag(criterion: f.criterion, title: Wording.criterionTitle(f.criterion, language), category: f.category,
                            text: language == .ru ? f.textRU : f.textEN, strength: f.strength.map { language.pick($0.name) })
                   },
                   notEnough: s.notEnoughData.isEmpty ? nil : NumberFormat.integer(s.notEnoughData.count, language),
                   valueAdded: IdentificationPages.valueAddedText(s.valueAdded, language),
                   registry: registry[s.schoolID].map { language.pick($0.name) },
                   canInclude: registry[s.schoolID] == nil && !s.categories.isEmpty && mayInclude,
                   includeURL: SiteURL.registryNew(school: s.schoolID).path)
        }
    }
}

/// Who entered and who left each category between two runs.
struct ComparePage: PageModel {
    static let view = View.compare
    struct Run { var id, year: Int; var rules, created, url: String }
    struct School { var id, name, municipality, url: String }
    struct Section {
        var name, before, after, stayed: String
        var entered, left: [School]
        var enteredCount, leftCount: String
    }
    var a, b: Run
    var sections: [Section]
}
