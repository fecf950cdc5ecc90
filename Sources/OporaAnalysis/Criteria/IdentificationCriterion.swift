import OporaCore

/// One criterion of identification, declared in its own file under `Criteria/` with its computation
/// and evidence: its id (as in rule sets and stored runs), its category, the name people read, its
/// parameters (the rule schema is built from these), and how it runs. `all` is the one list the
/// rule schema, the run order and the wording read.
struct IdentificationCriterion: Sendable {
    let id: String
    let category: String
    let title: LocalizedText
    /// A sign of non-objective results, named in `combined_signs`' sentences.
    let isSign: Bool
    let parameters: [RuleSchema.Parameter]
    /// Reads only the data; nil for `combined_signs`, which reads the other signs' tests afterwards.
    let run: (@Sendable (RuleCriterion, IdentificationContext, inout Outcome) -> Void)?

    /// Every criterion, in the order of the schema, of runs and of a school's flags.
    static let all: [IdentificationCriterion] = [
        .officialFailShare, .stablyLow,
        .wellbeingIndex,
        .staffDeficit, .materialDeficit,
        .journalMismatch, .notConfirmedByExam, .taskPattern, .scoreHeaping, .vanishingJump, .combinedSigns,
    ]

    static let categoryOrder = ["low_results", "social_risk", "resource_deficit", "non_objective"]

    static let byID: [String: IdentificationCriterion] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}
