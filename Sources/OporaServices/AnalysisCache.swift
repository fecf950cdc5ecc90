import Foundation
import OporaAnalysis
import OporaCore
import OporaStore

/// One `AnalysisSnapshot` per data version, shared by every request. The first request after an
/// import loads the data (concurrent requests wait for the same load); later ones reuse it. The
/// version is looked up at most once a second, so a busy page costs no extra query.
public actor AnalysisCache {
    let database: OporaDatabase
    private var snapshot: AnalysisSnapshot?
    private var loading: (version: Int, task: Task<AnalysisSnapshot, Error>)?
    private var checked: ContinuousClock.Instant?
    private var valueAdded: [ValueAddedKey: Task<ValueAddedReport?, Never>] = [:]
    private let recheck: Duration

    public init(database: OporaDatabase, recheck: Duration = .seconds(1)) {
        self.database = database
        self.recheck = recheck
    }

    public func current() async throws -> AnalysisSnapshot {
        let now = ContinuousClock.now
        if let snapshot, let checked, now - checked < recheck { return snapshot }
        let version = try await database.dataVersion()
        checked = now
        if let snapshot, snapshot.version == version { return snapshot }
        if let loading, loading.version == version { return try await loading.task.value }
        let database = self.database
        let task = Task { AnalysisSnapshot(version: version, loaded: try await StoredAnalysis.fromDatabase(database)) }
        loading = (version, task)
        do {
            let made = try await task.value
            if made.version >= (snapshot?.version ?? -1) {
                snapshot = made
                valueAdded = [:]
            }
            if loading?.version == version { loading = nil }
            return made
        } catch {
            if loading?.version == version { loading = nil }
            throw error
        }
    }

    /// Forget the snapshot (after an import through the web, so the next page sees the new data at once).
    public func invalidate() {
        checked = nil
    }

    struct ValueAddedKey: Hashable {
        var version: Int
        var specification: ValueAddedSpecification
    }

    /// A multilevel value-added model of one procedure (with the prior procedure when the data links
    /// students to it), fitted once per data version; `nil` when it cannot be fitted.
    public func valueAdded(_ spec: ValueAddedSpecification, snapshot: AnalysisSnapshot) async -> ValueAddedReport? {
        let key = ValueAddedKey(version: snapshot.version, specification: spec)
        if let task = valueAdded[key] { return await task.value }
        let database = self.database
        let indicators = snapshot.data.indicators
        let task = Task<ValueAddedReport?, Never> {
            var results: [StudentResult] = []
            for p in [spec.outcome, spec.prior].compactMap({ $0 }) {
                guard let r = try? await database.results(procedure: p) else { return nil }
                results += r
            }
            return try? ValueAddedModel.fit(spec, results: results, indicators: indicators)
        }
        valueAdded[key] = task
        return await task.value
    }
}
