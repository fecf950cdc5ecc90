import Foundation
import OporaAnalysis
import OporaCore
import OporaStore

/// What `identify` reads: the analysis summaries and a digest of every input record, so that a
/// stored run can be tied to exactly the data it was computed from.
public struct LoadedAnalysis: Sendable {
    public var data: AnalysisData
    public var digest: DataDigest
    /// Student-level results of the procedures asked for (value-added needs students, not summaries).
    public var kept: [StudentResult] = []

    public init(data: AnalysisData, digest: DataDigest, kept: [StudentResult] = []) {
        self.data = data
        self.digest = digest
        self.kept = kept
    }
}

/// Reads stored data for analysis (the CLI's `identify --db` and the web app share it).
public enum StoredAnalysis {
    /// Everything but results as values; results streamed into per-cell summaries.
    public static func fromDatabase(_ db: OporaDatabase, keeping keep: Set<Procedure> = []) async throws -> LoadedAnalysis {
        let schools = try await db.schools()
        let indicators = try await db.indicatorValues()
        let catalogue = try await db.taskCatalogue()
        let aggregates = try await db.aggregates()
        let sink = BuilderSink(AnalysisDataBuilder(schools: schools, indicators: indicators, tasks: catalogue, aggregates: aggregates))
        try await db.forEachResult { sink.add($0) }
        var digest = sink.finishDigest()
        schools.forEach { digest.add($0) }
        indicators.forEach { digest.add($0) }
        catalogue.values.joined().forEach { digest.add($0) }
        aggregates.forEach { digest.add($0) }
        var kept: [StudentResult] = []
        for procedure in keep.sorted() { kept += try await db.results(procedure: procedure) }
        return LoadedAnalysis(data: sink.build(), digest: digest, kept: kept)
    }
}

/// The database hands rows to a `@Sendable` callback one at a time; this holds the builder.
final class BuilderSink: @unchecked Sendable {
    private let lock = NSLock()
    private var builder: AnalysisDataBuilder
    private var digest = DataDigest()

    init(_ builder: AnalysisDataBuilder) { self.builder = builder }

    func add(_ result: StudentResult) {
        lock.lock()
        builder.add(result)
        digest.add(result)
        lock.unlock()
    }

    func finishDigest() -> DataDigest { lock.lock(); defer { lock.unlock() }; return digest }
    func build() -> AnalysisData { lock.lock(); defer { lock.unlock() }; return builder.build() }
}
