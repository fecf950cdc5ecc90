import Foundation
import OporaAnalysis
import OporaCore
import OporaStore

/// Indicator values Opora computes from the data it holds, so nobody types them in: per year, for a
/// school or pooled over a municipality's schools. Unknown codes (e.g. `staff_trained_count`, which
/// no interchange file carries) compute nothing and stay entered by hand.
public enum ComputedIndicators {
    public static let known: Set<String> = ["vpr_fail_share", "vpr_quality_share", "oge_quality_share", "ege_mean_score",
                                            "journal_confirmed_share", "schools_in_programme_share"]

    /// Year (as the period label) → value, oldest first.
    public static func values(_ code: String, owner: ProgrammeOwner, snapshot: AnalysisSnapshot, registry: [RegistryEntry] = [])
        -> [(period: String, value: Double)] {
        let schools: Set<String>
        switch owner {
        case .school(let id): schools = [id]
        case .municipality(let m): schools = Set(snapshot.data.schools.filter { $0.municipality == m }.map(\.id))
        }
        if code == "schools_in_programme_share" {
            guard !schools.isEmpty else { return [] }
            let supported = registry.filter { schools.contains($0.schoolID) && $0.status != .exited }.count
            return snapshot.latestYear.map { [(String($0), Double(supported) / Double(schools.count))] } ?? []
        }
        let assessment: Assessment
        switch code {
        case "vpr_fail_share", "vpr_quality_share", "journal_confirmed_share": assessment = .vpr
        case "oge_quality_share": assessment = .oge
        case "ege_mean_score": assessment = .ege
        default: return []
        }
        var byYear: [Int: (k: Double, n: Double)] = [:]
        for p in snapshot.data.procedures where p.assessment == assessment {
            for id in schools {
                guard let c = snapshot.data.cell(p, school: id) else { continue }
                var (k, n) = byYear[p.year] ?? (0, 0)
                switch code {
                case "vpr_fail_share": k += Double(c.marks[0]); n += Double(c.marked)
                case "vpr_quality_share", "oge_quality_share": k += Double(c.marks[2] + c.marks[3]); n += Double(c.marked)
                case "journal_confirmed_share": k += Double(c.journalComparison.confirmed); n += Double(c.journalCompared)
                default: k += c.scoreSum; n += Double(c.scored)
                }
                byYear[p.year] = (k, n)
            }
        }
        return byYear.keys.sorted().compactMap { y in
            guard let (k, n) = byYear[y], n > 0 else { return nil }
            return (String(y), k / n)
        }
    }
}
