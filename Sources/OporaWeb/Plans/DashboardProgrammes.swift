import Foundation
import OporaCore
import OporaServices
import OporaStore

/// The programme-level indicators on the dashboard of a municipality or the region (issue: "on the
/// municipal dashboard"): the seeds' figures (schools in the programme, with a plan, measures done
/// and late, exits) and the indicators of the territory's municipal roadmaps with their latest value,
/// target and light. Rendered once per data version, audited change, day, territory and language.
enum DashboardProgrammes {
    static func html(env: WebEnvironment, user: CurrentUser, snapshot: AnalysisSnapshot, auditVersion: Int, registry: [RegistryEntry],
                     language: Language) async throws -> String {
        let today = Day(env.now)
        let key = "programmes|\(snapshot.version)|\(auditVersion)|\(today)|\(user.scope.cacheKey)|\(language.rawValue)"
        return try await env.fragments.value(key) {
            let store = env.database.scoped(user.scope)
            let schools = snapshot.data.schools.filter(user.scope.contains).map(\.id)
            let plans = try await store.planOverview()
            let programmes = plans.programmes
            let figures = ProgrammeFigures.compute(schools: schools, plans: plans, registry: registry, today: today)
            var indicators: [DashboardProgrammesModel.Indicator] = []
            for p in programmes where p.owner.kind == "municipality" {
                for i in plans.indicators[p.id] ?? [] {
                    let shown = try await IndicatorReadings.of(i, stored: plans.readings[i.id] ?? [], owner: p.owner, env: env, store: store)
                    indicators.append(.init(IndicatorCells(i, readings: shown, language), of: p))
                }
            }
            let model = DashboardProgrammesModel(
                figures: figures.rows(language), indicators: indicators, hasIndicators: !indicators.isEmpty,
                multipleMunicipalities: Set(programmes.filter { $0.owner.kind == "municipality" }.map(\.owner.id)).count > 1)
            return ["html": Views.fragment(model, language: language)]
        }["html"] ?? ""
    }
}

/// The dashboard's programme section: the seeds' figures and the municipal roadmaps' indicators.
struct DashboardProgrammesModel: PageModel {
    static let view = View.dashboardProgrammes
    /// A municipal roadmap's indicator, with the roadmap it belongs to.
    struct Indicator {
        var name, baseline, target, latest, latestPeriod, light, lightName: String
        var programme, programmeURL, municipality: String

        init(_ cells: IndicatorCells, of programme: Programme) {
            (name, baseline, target, latest, latestPeriod) = (cells.name, cells.baseline, cells.target, cells.latest, cells.latestPeriod)
            (light, lightName) = (cells.light, cells.lightName)
            self.programme = programme.title
            programmeURL = SiteURL.programme(programme.id).path
            municipality = programme.owner.id
        }
    }
    var figures: [ProgrammeFigures.Row]
    var indicators: [Indicator]
    var hasIndicators: Bool
    var multipleMunicipalities: Bool
}
