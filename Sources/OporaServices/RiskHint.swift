import Foundation
import OporaCore

/// When the data suggests a risk level: the `data_hint` of catalogue/risk_factors.yaml. A level
/// applies when any of its conditions holds (high before medium, else low); a condition over a
/// missing figure is unknown, not false, and a hint with every condition unknown says nothing.
public struct RiskHint: Sendable {
    public var high: [Condition]
    public var medium: [Condition]
    public var justification: LocalizedText

    /// `<code> <op> <number>` or `<code> / <code> <op> <number>`.
    public struct Comparison: Sendable, Equatable {
        public enum Operator: String, Sendable, CaseIterable {
            case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=="
        }
        public var code: String
        public var divisor: String?
        public var op: Operator
        public var threshold: Double

        /// The compared figure, or `nil` when the data lacks it (or the divisor is zero).
        public func figure(_ value: (String) -> Double?) -> Double? {
            guard let a = value(code) else { return nil }
            guard let divisor else { return a }
            guard let b = value(divisor), b > 0 else { return nil }
            return a / b
        }

        public func holds(for x: Double) -> Bool {
            switch op {
            case .less: x < threshold
            case .lessOrEqual: x <= threshold
            case .greater: x > threshold
            case .greaterOrEqual: x >= threshold
            case .equal: abs(x - threshold) < 1e-9
            }
        }
    }

    /// Comparisons joined with " and ".
    public struct Condition: Sendable, Equatable {
        public var parts: [Comparison]

        public init(parsing text: String) throws {
            parts = try text.components(separatedBy: " and ").map { part in
                let words = part.split(separator: " ").map(String.init)
                let (code, divisor, rest): (String, String?, ArraySlice<String>) = words.count == 5 && words[1] == "/"
                    ? (words[0], words[2], words[3...]) : (words.first ?? "", nil, words.dropFirst())
                guard rest.count == 2, let op = Comparison.Operator(rawValue: rest[rest.startIndex]),
                      let threshold = Double(rest[rest.startIndex + 1]), !code.isEmpty else {
                    throw TemplateError(description: "cannot read the condition «\(part)»")
                }
                return Comparison(code: code, divisor: divisor, op: op, threshold: threshold)
            }
        }

        /// true / false, or `nil` when a part is unknown and no part is false.
        public func holds(_ value: (String) -> Double?) -> Bool? {
            var unknown = false
            for p in parts {
                guard let x = p.figure(value) else { unknown = true; continue }
                if !p.holds(for: x) { return false }
            }
            return unknown ? nil : true
        }
    }

    public struct Outcome: Sendable {
        public var level: RiskLevel
        /// The conditions that decided the level (for low: none held; the comparisons that were checked).
        public var evidence: [Comparison]
    }

    public var codes: Set<String> {
        Set((high + medium).flatMap { $0.parts.flatMap { [$0.code] + ($0.divisor.map { [$0] } ?? []) } })
    }

    public func evaluate(_ value: (String) -> Double?) -> Outcome? {
        var anyKnown = false
        for (level, conditions) in [(RiskLevel.high, high), (.medium, medium)] {
            let held = conditions.filter { c in
                let h = c.holds(value)
                if h != nil { anyKnown = true }
                return h == true
            }
            if !held.isEmpty { return Outcome(level: level, evidence: held.flatMap(\.parts)) }
        }
        guard anyKnown else { return nil }
        var checked: [Comparison] = []
        // The medium thresholds first: a low level is "below medium", the threshold a director checks.
        for p in (medium + high).flatMap(\.parts) where p.figure(value) != nil && !checked.contains(where: { $0.code == p.code && $0.divisor == p.divisor }) {
            checked.append(p)
        }
        return Outcome(level: .low, evidence: checked)
    }
}
