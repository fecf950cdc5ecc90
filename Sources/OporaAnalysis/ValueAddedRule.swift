import Foundation
import OporaCore

/// The value-added part of a rule set: which procedure's results are adjusted for context, with
/// which prior attainment and context indicators, in which model. Procedures are named without a
/// year — the outcome is taken in the analysis year and the prior as many years earlier as the
/// grades differ — so the same rule set serves every year and a stored run can be reproduced.
public struct ValueAddedRule: Sendable, Hashable {
    /// `assessment:subject:grade`, e.g. `vpr:math:5`.
    public struct ProcedureKind: Sendable, Hashable, CustomStringConvertible {
        public var assessment: Assessment
        public var subject: String
        public var grade: Int

        public init?(_ text: String) {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, let grade = Int(parts[2]), (1...11).contains(grade) else { return nil }
            assessment = Assessment(parts[0])
            subject = parts[1]
            self.grade = grade
        }

        /// The kind of a dated procedure.
        public init(of p: Procedure) {
            assessment = p.assessment
            subject = p.subject
            grade = p.grade
        }

        public var description: String { "\(assessment.rawValue):\(subject):\(grade)" }

        public func procedure(year: Int) -> Procedure { Procedure(year: year, assessment: assessment, subject: subject, grade: grade) }
    }

    public var outcome: ProcedureKind
    public var prior: ProcedureKind?
    public var context: [String]
    public var kind: ValueAddedModelKind

    public init(outcome: ProcedureKind, prior: ProcedureKind? = nil, context: [String] = [], kind: ValueAddedModelKind = .multilevel) {
        self.outcome = outcome
        self.prior = prior
        self.context = context
        self.kind = kind
    }

    /// The procedures the model reads, whatever the year.
    public var kinds: Set<ProcedureKind> { Set([outcome] + (prior.map { [$0] } ?? [])) }

    /// The model for an analysis year: the prior a grade (and a year) per grade earlier.
    public func specification(year: Int) -> ValueAddedSpecification {
        ValueAddedSpecification(outcome: outcome.procedure(year: year),
                                prior: prior.map { $0.procedure(year: year - max(0, outcome.grade - $0.grade)) },
                                context: context, kind: kind)
    }
}
