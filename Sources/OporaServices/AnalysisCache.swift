import Foundation
import OporaAnalysis
import OporaCore
import OporaStore

/// One `AnalysisSnapshot` per data version, shared by every request. The version is looked up at
/// most once a second, so a busy page costs no extra query.
///
/// After an import the new snapshot takes a while to build (seconds to tens of seconds for a large
/// region). Meanwhile pages are served from the previous snapshot once a request has waited
/// `staleWait` for the new one, so an import never makes every colleague's page hang; only the very
/// first load (nothing to serve yet) is waited for. `isRefreshing` tells a page to say so.
public actor AnalysisCache {
    let database: OporaDatabase
    private var snapshot: AnalysisSnapshot?
    private var loading: (version: Int, task: Task<AnalysisSnapshot, Error>)?
    private var checked: ContinuousClock.Instant?
    private var valueAdded: [ValueAddedKey: Task<ValueAddedReport?, Never>] = [:]
    private let recheck: Duration
    private let staleWait: Duration?

    /// `staleWait`: how long a request waits for a newer snapshot before the previous one is served;
    /// `nil` always waits (tests that check a page right after an import).
    public init(database: OporaDatabase, recheck: Duration = .seconds(1), staleWait: Duration? = .milliseconds(100)) {
        self.database = database
        self.recheck = recheck
        self.staleWait = staleWait
    }

    /// A newer snapshot is being built while an older one is served.
    public var isRefreshing: Bool { loading != nil && snapshot != nil }

    public func current() async throws -> AnalysisSnapshot {
        let now = ContinuousClock.now
        if let snapshot, let checked, now - checked < recheck { return snapshot }
        let version = try await database.dataVersion()
        checked = now
        if let snapshot, snapshot.version == version { return snapshot }
        let task = load(version)
        guard let stale = snapshot, let staleWait else { return try await task.value }
        // Poll rather than race the load's task: a task group would wait for the load anyway
        // (awaiting a Task's value does not end when the waiter is cancelled).
        let deadline = ContinuousClock.now + staleWait
        while ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            if let fresh = snapshot, fresh.version >= version { return fresh }
            if loading == nil { break } // the load failed: the previous data is all there is
        }
        return snapshot ?? stale
    }

    /// The newest data, waited for however long it takes to build (after an import through the web,
    /// so that the uploader's next page shows it).
    public func fresh() async throws -> AnalysisSnapshot {
        let version = try await database.dataVersion()
        checked = ContinuousClock.now
        if let snapshot, snapshot.version == version { return snapshot }
        return try await load(version).value
    }

    /// The load of `version`, started once; it installs its snapshot itself, so a load nobody waits
    /// for any more still replaces the stale one.
    private func load(_ version: Int) -> Task<AnalysisSnapshot, Error> {
        if let loading, loading.version == version { return loading.task }
        let database = self.database
        // Detached: building the snapshot is seconds of CPU that must not hold the actor, which
        // meanwhile answers other requests with the previous snapshot.
        let task = Task.detached {
            do {
                let made = AnalysisSnapshot(version: version, loaded: try await StoredAnalysis.fromDatabase(database))
                await self.install(made)
                return made
            } catch {
                await self.failed(version)
                throw error
            }
        }
        loading = (version, task)
        return task
    }

    private func install(_ made: AnalysisSnapshot) {
        if made.version >= (snapshot?.version ?? -1) {
            snapshot = made
            valueAdded = [:]
        }
        if loading?.version == made.version { loading = nil }
    }

    private func failed(_ version: Int) {
        if loading?.version == version { loading = nil }
    }

    /// Look at the data version on the next request (after an import through the web), and start
    /// building the new snapshot now rather than on that request.
    public func invalidate() async {
        checked = nil
        if let version = try? await database.dataVersion(), version != snapshot?.version {
            checked = ContinuousClock.now
            _ = load(version)
        }
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
