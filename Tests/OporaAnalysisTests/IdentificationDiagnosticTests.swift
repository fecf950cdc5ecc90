import Foundation
import OporaAnalysis
import OporaCore
import Testing

/// Per-school evidence of the non-objective signs with the thresholds off, for the planted schools
/// and the strongest unplanted ones; run only with OPORA_DIAG=1 (seeds in OPORA_DIAG_SEEDS).
@Suite("Identification diagnostics (OPORA_DIAG=1)")
struct IdentificationDiagnosticTests {
    @Test func nonObjectiveEvidence() throws {
        let env = ProcessInfo.processInfo.environment
        guard env["OPORA_DIAG"] != nil else { return }
        let seeds = (env["OPORA_DIAG_SEEDS"] ?? "7").split(separator: ",").compactMap { UInt64($0) }
        let year = Int(env["OPORA_DIAG_YEAR"] ?? "2025")!
        var open = RuleSet.default
        for ci in open.categories.indices where open.categories[ci].id == "non_objective" {
            for k in open.categories[ci].criteria.indices {
                open.categories[ci].criteria[k].parameters["fdr_q"] = .number(1)
                open.categories[ci].criteria[k].parameters["min_effect"] = .number(-1e9)
            }
        }
        for seed in seeds {
            let region = try GeneratedRegion.make(schools: 300, seed: seed)
            let result = Identification.run(data: region.data, rules: open, year: year)
            let real = Identification.run(data: region.data, rules: .default, year: year)
            let flaggedReal = real.schools(in: "non_objective")
            var mech: [String: String] = [:], changed: [String: (Int, Int, Int)] = [:]
            for r in region.truth where r["category"] == "non_objective" && r["year"] == "2025" {
                mech[r["school_id"]!] = r["mechanism"]!
                let d = Dictionary(uniqueKeysWithValues: r["detail"]!.split(separator: ";").map { kv -> (String, Int) in
                    let p = kv.split(separator: "="); return (String(p[0]), Int(p[1])!) })
                var c = changed[r["school_id"]!] ?? (0, 0, 0)
                c.0 += d["changed"]!; c.1 += d["participants"]!; c.2 += 1
                changed[r["school_id"]!] = c
            }
            let criteria = ["journal_mismatch", "not_confirmed_by_exam", "task_pattern", "score_heaping", "vanishing_jump", "combined_signs"]
            func line(_ s: SchoolIdentification) -> String {
                criteria.map { c -> String in
                    guard let f = s.flags.first(where: { $0.criterion == c }) else { return "\(c.prefix(5))=–" }
                    return String(format: "%@ p=%.1e q=%.1e e=%.2f", String(c.prefix(5)), f.pValue ?? -1, f.qValue ?? -1, f.effect ?? .nan)
                }.joined(separator: " | ")
            }
            if env["OPORA_DIAG_CSV"] != nil {
                for s in result.schools {
                    let ps = criteria.dropLast().map { c -> String in
                        guard let f = s.flags.first(where: { $0.criterion == c }) else { return "," }
                        return String(format: "%.6g,%.4g", f.pValue ?? 1, f.effect ?? 0)
                    }
                    let n = region.data.procedures.filter { $0.year == year && $0.assessment.rawValue == "vpr" }
                        .compactMap { region.data.cell($0, school: s.schoolID)?.scored }.reduce(0, +)
                    print("CSV,\(seed),\(year),\(s.schoolID),\(mech[s.schoolID] ?? "none"),\(changed[s.schoolID]?.0 ?? 0),\(n),\(ps.joined(separator: ","))")
                }
                continue
            }
            if let show = env["OPORA_DIAG_SCHOOL"] {
                for p in region.data.procedures where p.year == 2025 && p.assessment.rawValue == "vpr" {
                    guard let c = region.data.cell(p, school: show) else { continue }
                    let t = region.truth.first { $0["school_id"] == show && $0["procedure"] == "\(p.assessment.rawValue):\(p.subject):\(p.grade)" || ($0["school_id"] == show && ($0["procedure"] ?? "").contains("\(p.subject)") && ($0["procedure"] ?? "").contains("\(p.grade)") && $0["year"] == "2025") }
                    print("CELL \(p) bounds \(region.data.markBoundaries(p) ?? []) n \(c.scored) hist \(c.histogram.map { Int($0) }) joint \(c.journalJoint) truth \(t?["procedure"] ?? "-") \(t?["detail"] ?? "")")
                }
            }
            print("== seed \(seed)")
            for s in result.schools where mech[s.schoolID] != nil {
                let c = changed[s.schoolID]!
                print("TRUE \(flaggedReal.contains(s.schoolID) ? "hit " : "MISS") \(s.schoolID) \(mech[s.schoolID]!) changed \(c.0)/\(c.1) in \(c.2) cells :: \(line(s))")
            }
            for cat in ["social_risk", "resource_deficit"] where env["OPORA_DIAG_CONTEXT"] != nil {
                let truth = region.truthSchools(cat, year: 2025)
                for s in real.schools where s.categories.contains(cat) != truth.contains(s.schoolID) {
                    let school = region.data.school(s.schoolID)!
                    print("\(cat) \(truth.contains(s.schoolID) ? "FN" : "FP") \(s.schoolID) \(school.kind) \(school.settlement) \(school.students ?? 0): "
                          + s.flags.filter { $0.category == cat }.map(\.textEN).joined(separator: " || "))
                }
            }
            for s in real.schools where mech[s.schoolID] == nil && s.categories.contains("non_objective") {
                print("FP   \(s.schoolID) :: \(line(result.schools.first { $0.schoolID == s.schoolID }!))")
            }
        }
    }
}
