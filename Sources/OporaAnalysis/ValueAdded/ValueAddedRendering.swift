import Foundation
import OporaCore

/// Output formats of a value-added report: JSON (the stable contract of `opora value-added`),
/// CSV (one row per school) and a plain text table.
public enum ValueAddedFormat: String, Sendable, CaseIterable {
    case json, csv, table
}

extension ValueAddedReport {
    /// Renders in the given format.
    public func rendered(_ format: ValueAddedFormat) -> String {
        switch format {
        case .json: return json()
        case .csv: return csv()
        case .table: return table()
        }
    }

    /// The JSON of the command-line contract (keys in this fixed order; numbers with full
    /// precision; a missing value is `null`):
    ///
    ///     {"model": {"kind", "outcome", "prior", "context", "n_students", "n_schools",
    ///                "fixed": {"intercept", "prior", <context codes>...}, "fixed_se": {...},
    ///                "school_variance", "residual_variance", "within_school_variance",
    ///                "log_likelihood", "r_squared", "level"},
    ///      "schools": [{"school_id", "n", "estimate", "se", "ci_low", "ci_high", "band",
    ///                   "n_outcome", "coverage", "shrinkage", "reason"}],
    ///      "dropped": {"students_without_score", "students_without_prior",
    ///                  "schools_without_context", "students_in_schools_without_context",
    ///                  "schools_failing_rules", "students_in_schools_failing_rules"}}
    /// `lines: true` (default) puts the model and each school on a line of its own.
    public func json(lines: Bool = true) -> String {
        let nl = lines ? "\n" : ""
        let ind1 = lines ? "  " : "", ind2 = lines ? "    " : ""
        let sep = lines ? ",\n" : ", "
        var out = "{" + nl
        let m = model
        let modelFields: [(String, String)] = [
            ("kind", ValueAddedJSONText.string(m.kind.rawValue)),
            ("outcome", ValueAddedJSONText.string(m.outcome.description)),
            ("prior", m.prior.map { ValueAddedJSONText.string($0.description) } ?? "null"),
            ("context", "[" + m.context.map(ValueAddedJSONText.string).joined(separator: ", ") + "]"),
            ("n_students", String(m.studentCount)),
            ("n_schools", String(m.schoolCount)),
            ("fixed", "{" + m.fixed.map { "\(ValueAddedJSONText.string($0.name)): \(ValueAddedJSONText.number($0.estimate))" }.joined(separator: ", ") + "}"),
            ("fixed_se", "{" + m.fixed.map { "\(ValueAddedJSONText.string($0.name)): \(ValueAddedJSONText.number($0.se))" }.joined(separator: ", ") + "}"),
            ("school_variance", ValueAddedJSONText.number(m.schoolVariance)),
            ("residual_variance", ValueAddedJSONText.number(m.residualVariance)),
            ("within_school_variance", ValueAddedJSONText.number(m.withinSchoolVariance)),
            ("log_likelihood", ValueAddedJSONText.number(m.logLikelihood)),
            ("r_squared", ValueAddedJSONText.number(m.rSquared)),
            ("level", ValueAddedJSONText.number(m.level)),
        ]
        out += ind1 + "\"model\": {" + modelFields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}," + (lines ? nl : " ")
        out += ind1 + "\"schools\": [" + nl
        out += schools.map { s in
            let fields: [(String, String)] = [
                ("school_id", ValueAddedJSONText.string(s.schoolID)),
                ("n", String(s.n)),
                ("estimate", ValueAddedJSONText.number(s.estimate)),
                ("se", ValueAddedJSONText.number(s.se)),
                ("ci_low", ValueAddedJSONText.number(s.ciLow)),
                ("ci_high", ValueAddedJSONText.number(s.ciHigh)),
                ("band", ValueAddedJSONText.string(s.band.rawValue)),
                ("n_outcome", String(s.outcomeCount)),
                ("coverage", ValueAddedJSONText.number(s.coverage)),
                ("shrinkage", ValueAddedJSONText.number(s.shrinkage)),
                ("reason", s.exclusion.map { ValueAddedJSONText.string($0.rawValue) } ?? "null"),
            ]
            return ind2 + "{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}"
        }.joined(separator: sep)
        out += (schools.isEmpty ? "" : nl) + ind1 + "]," + (lines ? nl : " ")
        let d = dropped
        let droppedFields: [(String, String)] = [
            ("students_without_score", String(d.studentsWithoutScore)),
            ("students_without_prior", String(d.studentsWithoutPrior)),
            ("schools_without_context", "[" + d.schoolsWithoutContext.map(ValueAddedJSONText.string).joined(separator: ", ") + "]"),
            ("students_in_schools_without_context", String(d.studentsInSchoolsWithoutContext)),
            ("schools_failing_rules", "[" + d.schoolsFailingRules.map(ValueAddedJSONText.string).joined(separator: ", ") + "]"),
            ("students_in_schools_failing_rules", String(d.studentsInSchoolsFailingRules)),
        ]
        out += ind1 + "\"dropped\": {" + droppedFields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}" + nl
        out += "}\n"
        return out
    }

    /// One row per school: `school_id,n,estimate,se,ci_low,ci_high,band,n_outcome,coverage,shrinkage,reason`;
    /// an empty cell is a missing value.
    public func csv() -> String {
        var lines = ["school_id,n,estimate,se,ci_low,ci_high,band,n_outcome,coverage,shrinkage,reason"]
        // Numbers formatted here stay numbers (an estimate of -0.25 must not become text); the
        // school's code is text from an upload, so it is neutralised (`CSVText`).
        func num(_ x: Double?) -> String { x.map { $0.isFinite ? "\($0)" : "" } ?? "" }
        for s in schools {
            lines.append([CSVText.text(s.schoolID), String(s.n), num(s.estimate), num(s.se), num(s.ciLow), num(s.ciHigh),
                          s.band.rawValue, String(s.outcomeCount), num(s.coverage), num(s.shrinkage),
                          s.exclusion?.rawValue ?? ""].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A plain text table for people: the model, then one line per school.
    public func table() -> String {
        func f(_ x: Double?, _ digits: Int = 3) -> String {
            guard let x, x.isFinite else { return "—" }
            return String(format: "%.\(digits)f", x)
        }
        let m = model
        var lines: [String] = []
        let kind = m.kind == .multilevel ? "multilevel (REML, random intercept)" : "ols (school-level residuals)"
        lines.append("Модель / model: \(kind); итог / outcome \(m.outcome)" + (m.prior.map { "; до / prior \($0)" } ?? "")
                     + (m.context.isEmpty ? "" : "; контекст / context: " + m.context.joined(separator: ", ")))
        lines.append("Учащихся / students: \(m.studentCount); школ / schools: \(m.schoolCount)")
        lines.append("Коэффициенты / fixed effects: " + m.fixed.map { "\($0.name) = \(f($0.estimate, 4)) (SE \(f($0.se, 4)))" }.joined(separator: "; "))
        var variances = "σ² = \(f(m.residualVariance, 4))"
        if let t = m.schoolVariance { variances = "τ² = \(f(t, 4)); " + variances }
        if let w = m.withinSchoolVariance { variances += "; внутришкольная / within-school = \(f(w, 4))" }
        if let r2 = m.rSquared { variances += "; R² = \(f(r2, 3))" }
        lines.append("Дисперсии / variances: " + variances)
        let d = dropped
        lines.append("Исключено / dropped: без балла / no score \(d.studentsWithoutScore); без предыдущего результата / no prior \(d.studentsWithoutPrior); "
                     + "школ без контекста / schools without context \(d.schoolsWithoutContext.count) (\(d.studentsInSchoolsWithoutContext) уч. / students); "
                     + "школ ниже порогов / schools below the rules \(d.schoolsFailingRules.count)")
        lines.append("")
        let level = Int((m.level * 100).rounded())
        let header = ["school_id", "n", "estimate", "se", "ci_low", "ci_high", "band"]
        var rows: [[String]] = [header]
        for s in schools {
            let band = s.band == .notEnoughData ? "not_enough_data" + (s.exclusion.map { " (\($0.rawValue))" } ?? "") : s.band.rawValue
            rows.append([s.schoolID, String(s.n), f(s.estimate), f(s.se), f(s.ciLow), f(s.ciHigh), band])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        for (ri, r) in rows.enumerated() {
            let cells = r.enumerated().map { i, c -> String in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return (i == 0 || i == r.count - 1) ? c + pad : pad + c   // numbers right-aligned
            }
            lines.append(cells.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression))
            if ri == 0 { lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
        lines.append("")
        lines.append("Интервалы \(level)%; «below»/«above» — только если интервал не содержит 0. / "
                     + "\(level)% intervals; «below»/«above» only when the interval excludes 0.")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Minimal JSON text helpers (key order matters for the contract, so no JSONEncoder).
enum ValueAddedJSONText {
    static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    static func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "null" }
        return "\(x)"
    }
}
