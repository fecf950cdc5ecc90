import Foundation
import OporaAnalysis
import OporaCore
import OporaStore

/// Running identification over loaded data and storing the run: shared by `opora identify --db`
/// and the web's "run identification" page, so both store exactly the same thing.
public enum IdentificationService {
    /// Fills each school's `value_added` with its estimate, interval and band in the given model.
    public static func attachValueAdded(_ spec: ValueAddedSpecification, results: [StudentResult], indicators: [IndicatorValue],
                                 to result: inout IdentificationResult) throws(ValueAddedError) {
        let report = try ValueAddedModel.fit(spec, results: results, indicators: indicators)
        let bySchool = Dictionary(report.schools.map { ($0.schoolID, $0) }, uniquingKeysWith: { a, _ in a })
        func number(_ x: Double?) -> OporaJSONValue { x.map { .number($0) } ?? .null }
        for i in result.schools.indices {
            guard let s = bySchool[result.schools[i].schoolID] else { continue }
            result.schools[i].valueAdded = .object([
                "outcome": .string(spec.outcome.description),
                "prior": spec.prior.map { .string($0.description) } ?? .null,
                "model": .string(spec.kind.rawValue),
                "n": .number(Double(s.n)),
                "estimate": number(s.estimate), "se": number(s.se),
                "ci_low": number(s.ciLow), "ci_high": number(s.ciHigh),
                "band": .string(s.band.rawValue),
            ])
        }
    }

    /// The rule set's value-added for the run's year, fitted on the stored results of its
    /// procedures (nothing when the rule set has none).
    public static func attachValueAdded(of rules: RuleSet, from db: OporaDatabase, indicators: [IndicatorValue],
                                        to result: inout IdentificationResult) async throws {
        guard let rule = rules.valueAdded else { return }
        let spec = rule.specification(year: result.run.year)
        var results: [StudentResult] = []
        for p in [spec.outcome, spec.prior].compactMap({ $0 }) { results += try await db.results(procedure: p) }
        try attachValueAdded(spec, results: results, indicators: indicators, to: &result)
    }

    public static func save(_ result: IdentificationResult, rules: RuleSet, digest: DataDigest, into db: OporaDatabase,
                            createdBy: String? = nil) async throws -> Int {
        let flags = result.schools.flatMap { school in
            school.flags.map { flag in
                StoredFlag(schoolID: school.schoolID, category: flag.category, criterion: flag.criterion, year: flag.year,
                           strength: flag.strength?.rawValue, value: flag.value, threshold: flag.threshold, n: flag.n,
                           textRU: flag.textRU, textEN: flag.textEN)
            }
        }
        let record = IdentificationRunRecord(
            createdBy: createdBy, year: result.run.year, rulesName: rules.name, rulesDigest: rules.digest, rulesText: rules.canonicalJSON(),
            dataDigest: digest.hex, dataRecords: digest.records, schools: result.run.schools,
            flaggedSchools: result.run.schoolsFlagged)
        return try await db.saveIdentificationRun(record, resultJSON: result.json(), flags: flags)
    }
}
