import Foundation
import OporaCore
import OporaServices
import OporaStore

/// The readings of an indicator as pages and the API show them: computed from the data when the
/// indicator says how (entered by «opora»), entered by people otherwise.
enum IndicatorReadings {
    static func of(_ indicator: MonitoringIndicator, stored: [IndicatorReading], owner: ProgrammeOwner, env: WebEnvironment,
                   store: ScopedStore) async throws -> [IndicatorReading] {
        guard let code = indicator.computed, ComputedIndicators.known.contains(code) else { return stored }
        let snapshot = try await env.analysis.current()
        let registry = code == "schools_in_programme_share" ? try await store.registry() : []
        let computed = ComputedIndicators.values(code, owner: owner, snapshot: snapshot, registry: registry)
        return computed.map { IndicatorReading(indicatorID: indicator.id, period: $0.period, value: $0.value, enteredAt: "", enteredBy: "opora") }
    }
}
