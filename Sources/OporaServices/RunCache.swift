import Foundation
import OporaAnalysis
import OporaStore

/// Stored identification runs, decoded once: a run never changes after it is stored, so pages read
/// its schools and flags from memory. The list of runs is re-read when a run is added.
public actor RunCache {
    let database: OporaDatabase
    private var results: [Int: IdentificationResult] = [:]
    private var records: [IdentificationRunRecord]?

    public init(database: OporaDatabase) { self.database = database }

    /// Runs, newest first.
    public func runs() async throws -> [IdentificationRunRecord] {
        if let records { return records }
        let loaded = try await database.identificationRuns()
        records = loaded
        return loaded
    }

    /// The newest run of each year, newest year first.
    public func latestPerYear() async throws -> [IdentificationRunRecord] {
        var seen = Set<Int>()
        return try await runs().filter { seen.insert($0.year).inserted }.sorted { $0.year > $1.year }
    }

    /// The whole stored result of a run (every school: callers filter by scope), `nil` if there is no such run.
    public func result(_ id: Int) async throws -> IdentificationResult? {
        if let cached = results[id] { return cached }
        guard let (_, json) = try await database.identificationRun(id: id) else { return nil }
        let decoded = try JSONDecoder().decode(IdentificationResult.self, from: Data(json.utf8))
        results[id] = decoded
        return decoded
    }

    public func record(_ id: Int) async throws -> IdentificationRunRecord? {
        try await runs().first { $0.id == id }
    }

    /// Call after storing a run.
    public func runAdded() { records = nil }
}
