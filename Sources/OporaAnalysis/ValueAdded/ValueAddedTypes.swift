import Foundation
import OporaCore

// Value-added (context-adjusted results): "did the school do better or worse than expected for
// its context?". See DOMAIN.md §4 and ValueAddedModel.fit for the models.

/// Which model estimates the school effects.
public enum ValueAddedModelKind: String, Sendable, Codable, CaseIterable {
    /// School-level residuals: school mean outcome ~ school context (+ school mean prior), by OLS.
    case ols
    /// Random-intercept model fitted by REML: student outcome ~ prior + context + u_school + e;
    /// school effects are the empirical-Bayes (shrunken) u_school.
    case multilevel
}

/// The band of a school's estimate. `below` / `above` only when the 95% interval excludes zero.
public enum ValueAddedBand: String, Sendable, Codable, CaseIterable {
    case below, expected, above
    /// The school fails the data rules (too few students, too little coverage, no context).
    case notEnoughData = "not_enough_data"

    /// Band of an interval: below when it lies entirely under zero, above when entirely over zero.
    public static func of(low: Double, high: Double) -> ValueAddedBand {
        if high < 0 { return .below }
        if low > 0 { return .above }
        return .expected
    }
}

/// Why a school has no estimate.
public enum ValueAddedExclusion: String, Sendable, Codable, CaseIterable {
    /// Fewer students with usable data than `ValueAddedRules.minimumStudents`.
    case tooFewStudents = "too_few_students"
    /// Too small a share of the outcome's participants could be linked to a prior result.
    case lowCoverage = "low_coverage"
    /// At least one requested context indicator has no value for the school (outcome year or earlier).
    case noContext = "no_context"
}

/// Minimum n and coverage rules, after Sweden's SALSA (≥ 15 pupils, ≥ 75% with background data).
public struct ValueAddedRules: Sendable, Hashable, Codable {
    /// `ols`: a school needs at least this many students with an outcome score (and, with a prior,
    /// a linked prior score) to enter the school-level regression and to get an estimate.
    public var minimumStudents: Int
    /// `multilevel`: schools with fewer students still enter the fit (their students inform the
    /// fixed effects, and empirical-Bayes shrinkage already pulls small schools to zero), but get
    /// no estimate below this many students. Default 1: every school gets its shrunken estimate.
    public var multilevelMinimumStudents: Int
    /// With a prior: the share of the school's outcome participants (with a score) whose prior
    /// score was found must be at least this (both models). A school below it still contributes
    /// its linked students to the multilevel fit but gets no estimate (selective linkage could
    /// bias it); in `ols` it is left out of the regression.
    public var minimumCoverage: Double
    /// Confidence level of the intervals.
    public var level: Double

    public init(minimumStudents: Int = 15, multilevelMinimumStudents: Int = 1, minimumCoverage: Double = 0.75,
                level: Double = 0.95) {
        self.minimumStudents = minimumStudents
        self.multilevelMinimumStudents = multilevelMinimumStudents
        self.minimumCoverage = minimumCoverage
        self.level = level
    }

    public static let salsa = ValueAddedRules()
}

/// What to estimate.
public struct ValueAddedSpecification: Sendable, Hashable {
    public var outcome: Procedure
    public var prior: Procedure?
    /// School context indicator codes (as in context.csv), in the order they appear in the output.
    public var context: [String]
    public var kind: ValueAddedModelKind
    public var rules: ValueAddedRules

    public init(outcome: Procedure, prior: Procedure? = nil, context: [String] = [],
                kind: ValueAddedModelKind = .multilevel, rules: ValueAddedRules = .salsa) {
        self.outcome = outcome
        self.prior = prior
        self.context = context
        self.kind = kind
        self.rules = rules
    }
}

/// One fixed effect (coefficient) of the model.
public struct ValueAddedCoefficient: Sendable, Hashable {
    /// `intercept`, `prior`, or a context indicator code.
    public var name: String
    public var estimate: Double
    public var se: Double
}

/// The fitted model.
public struct ValueAddedModelSummary: Sendable {
    public var kind: ValueAddedModelKind
    public var outcome: Procedure
    public var prior: Procedure?
    public var context: [String]
    /// Students in the fit (multilevel), or behind the school means used (ols).
    public var studentCount: Int
    /// Schools in the fit.
    public var schoolCount: Int
    /// intercept, prior (if any), then the context codes in the requested order.
    public var fixed: [ValueAddedCoefficient]
    /// τ², the between-school variance (multilevel); nil for ols.
    public var schoolVariance: Double?
    /// multilevel: σ², the student-level residual variance; ols: the residual variance of the
    /// school-level regression.
    public var residualVariance: Double
    /// ols: pooled within-school variance of the student outcome (net of the prior when given),
    /// used for the schools' standard errors; nil for multilevel.
    public var withinSchoolVariance: Double?
    /// multilevel: REML log-likelihood; nil for ols.
    public var logLikelihood: Double?
    /// ols: R² of the school-level regression.
    public var rSquared: Double?
    /// Confidence level of the intervals.
    public var level: Double
}

/// Data left out, counted so that nothing disappears silently.
public struct ValueAddedDropped: Sendable, Hashable {
    /// Outcome participants with an empty score.
    public var studentsWithoutScore = 0
    /// Outcome participants with a score but no prior score under the same participant code.
    public var studentsWithoutPrior = 0
    /// Schools with outcome results but a missing context indicator, sorted.
    public var schoolsWithoutContext: [String] = []
    /// Students (with usable scores) of those schools.
    public var studentsInSchoolsWithoutContext = 0
    /// ols: schools failing the minimum-n or coverage rule (left out of the regression);
    /// multilevel: schools failing the rules (still in the fit, no estimate). Sorted.
    public var schoolsFailingRules: [String] = []
    /// ols: students of those schools.
    public var studentsInSchoolsFailingRules = 0
}

/// One school's context-adjusted result.
public struct ValueAddedSchoolResult: Sendable, Hashable {
    public var schoolID: String
    /// Students with usable data (outcome score, and a linked prior score when a prior is given).
    public var n: Int
    /// Outcome participants with a score (the denominator of coverage).
    public var outcomeCount: Int
    /// n / outcomeCount when a prior is given; nil without a prior.
    public var coverage: Double?
    /// ols: the residual (school mean − expected mean); multilevel: the EB school effect.
    /// nil when the band is `not_enough_data`.
    public var estimate: Double?
    public var se: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    public var band: ValueAddedBand
    /// multilevel: shrinkage factor λ = τ²/(τ² + σ²/n).
    public var shrinkage: Double?
    /// Why there is no estimate.
    public var exclusion: ValueAddedExclusion?
}

/// The whole answer: model, per-school results (sorted by school code), and what was dropped.
public struct ValueAddedReport: Sendable {
    public var model: ValueAddedModelSummary
    public var schools: [ValueAddedSchoolResult]
    public var dropped: ValueAddedDropped
}

/// Why a value-added model could not be fitted. Messages in Russian and English.
public struct ValueAddedError: Error, Sendable, CustomStringConvertible {
    public var message: LocalizedText
    public init(ru: String, en: String) { message = LocalizedText(ru: ru, en: en) }
    public var description: String { "\(message.ru) / \(message.en)" }
}

extension ValueAddedBand {
    public var name: LocalizedText {
        switch self {
        case .below: LocalizedText(ru: "ниже ожидаемого", en: "below expected")
        case .above: LocalizedText(ru: "выше ожидаемого", en: "above expected")
        case .expected: LocalizedText(ru: "в пределах ожидаемого", en: "as expected")
        case .notEnoughData: LocalizedText(ru: "недостаточно данных", en: "not enough data")
        }
    }
}
