import OporaAnalysis
import OporaCore
import OporaStore

/// Running identification over the stored data and keeping the run, as the web's «run
/// identification» and `opora identify --db` both do: the permission, the year (the rule set's
/// latest with results unless asked), the rule set's value-added fitted on the stored results of
/// its procedures, and the stored run. A run is region-wide; lists are scoped when they are read.
public struct IdentificationUseCase: Sendable {
    let database: OporaDatabase

    public init(database: OporaDatabase) {
        self.database = database
    }

    /// The result for `year` over `data`, not stored.
    public func identify(rules: RuleSet, year asked: Int?, data: AnalysisData, digest: DataDigest?, as who: Acting) async throws -> IdentificationResult {
        try who.require(.runIdentification)
        guard let year = asked ?? Identification.defaultYear(data, rules: rules), data.procedures.contains(where: { $0.year == year }) else {
            throw UseCaseError(.unprocessable, "no_results",
                               LocalizedText(ru: "Нет результатов за этот год.", en: "There are no results for this year."), field: "year")
        }
        var result = Identification.run(data: data, rules: rules, year: year, dataDigest: digest?.hex)
        do {
            try await IdentificationService.attachValueAdded(of: rules, from: database, indicators: data.indicators, to: &result)
        } catch let error as ValueAddedError {
            throw UseCaseError(.unprocessable, "value_added",
                               LocalizedText(ru: "Добавленная ценность не рассчитана: " + error.message.ru, en: "Value-added was not computed: " + error.message.en))
        }
        return result
    }

    /// Identifies and stores the run; returns its number with the result.
    public func run(rules: RuleSet, year: Int?, data: AnalysisData, digest: DataDigest, as who: Acting) async throws -> (id: Int, result: IdentificationResult) {
        let result = try await identify(rules: rules, year: year, data: data, digest: digest, as: who)
        let id = try await IdentificationService.save(result, rules: rules, digest: digest, into: database, createdBy: who.actor.login)
        return (id, result)
    }
}
