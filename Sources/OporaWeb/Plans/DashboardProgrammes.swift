import Foundation
import OporaCore
import OporaServices
import OporaStore

/// The programme-level indicators on the dashboard of a municipality or the region (issue: "on the
/// municipal dashboard"): the seeds' figures (schools in the programme, with a plan, measures done
/// and late, exits) and the indicators of the territory's municipal roadmaps with their latest value,
/// target and light. Rendered once per data version, audited change, day, territory and language.
enum DashboardProgrammes {
    static func html(env: WebEnvironment, user: CurrentUser, snapshot: AnalysisSnapshot, auditVersion: Int,
                     language: Language) async throws -> String {
        let today = Day(env.now)
        let key = "programmes|\(snapshot.version)|\(auditVersion)|\(today)|\(user.scope.cacheKey)|\(language.rawValue)"
        return try await env.fragments.value(key) {
            let store = env.database.scoped(user.scope)
            let schools = snapshot.data.schools.filter(user.scope.contains).map(\.id)
            let plans = try await store.planOverview()
            let programmes = plans.programmes
            let figures = ProgrammeFigures.compute(schools: schools, plans: plans, registry: try await store.registry(), today: today)
            var indicators: [[String: Any]] = []
            for p in programmes where p.owner.kind == "municipality" {
                for i in plans.indicators[p.id] ?? [] {
                    let shown = try await IndicatorReadings.of(i, stored: plans.readings[i.id] ?? [], owner: p.owner, env: env, store: store)
                    let latest = shown.last
                    let light = i.light(latest: latest?.value)
                    indicators.append([
                        "name": i.name, "programme": p.title, "programmeID": p.id, "municipality": p.owner.id,
                        "baseline": i.baseline.map { ProgrammePage.value($0, i.unit, language) } ?? "—",
                        "target": i.target.map { ProgrammePage.value($0, i.unit, language) } ?? "—",
                        "latest": latest.map { ProgrammePage.value($0.value, i.unit, language) } ?? "—", "latestPeriod": latest?.period ?? "",
                        "light": light.rawValue, "lightName": ProgrammePage.lightName(light, language),
                    ])
                }
            }
            let data: [String: Any] = [
                "ru": language == .ru, "figures": figures.rows(language), "indicators": indicators, "hasIndicators": !indicators.isEmpty,
                "multipleMunicipalities": Set(programmes.filter { $0.owner.kind == "municipality" }.map(\.owner.id)).count > 1,
            ]
            return ["html": Views.fragment("dashboardProgrammes", data)]
        }["html"] ?? ""
    }
}
