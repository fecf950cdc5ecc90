import Foundation
import OporaCore
import OporaDemo
import Testing

@Suite struct TruthTests {
    var truth: [[String: String]] { Fixture.truth }

    @Test func everyCategoryAndMechanismIsPlanted() {
        let categories = Set(truth.map { $0["category"]! })
        #expect(categories == Set(TruthCategory.allCases.map(\.rawValue)))
        let nonObjective = Set(truth.filter { $0["category"] == "non_objective" }.map { $0["mechanism"]! })
        #expect(nonObjective == Set(NonObjectiveMechanism.allCases.map(\.rawValue)))
        let resource = Set(truth.filter { $0["category"] == "resource_deficit" }.map { $0["mechanism"]! })
        #expect(resource == Set(ResourceDeficitMechanism.allCases.map(\.rawValue)))
    }

    @Test func nonObjectiveSchoolsAreAFewOrdinarySchools() {
        let kinds = Dictionary(uniqueKeysWithValues: Fixture.schools.map { ($0["school_id"]!, $0["kind"]!) })
        let schools = Set(truth.filter { $0["category"] == "non_objective" }.map { $0["school_id"]! })
        let share = Double(schools.count) / Double(kinds.count)
        #expect(share >= 0.06 && share <= 0.10, "share of non-objective schools \(share)")
        #expect(schools.allSatisfy { kinds[$0] != "lyceum" && kinds[$0] != "gymnasium" })
        #expect(truth.filter { $0["category"] == "non_objective" }.allSatisfy {
            $0["procedure"]!.hasPrefix("vpr:") && Int($0["year"]!) != nil
        })
    }

    /// The low_results truth must be exactly Rosobrnadzor's rule recomputed from results.csv:
    /// ≥ 30% «2» in two or more procedures of a year, or in one procedure in two consecutive years.
    @Test func lowResultsTruthEqualsTheOfficialRule() {
        struct Key: Hashable { var school: String; var year: Int; var procedure: String }
        var n: [Key: Int] = [:], twos: [Key: Int] = [:]
        for row in Fixture.results.rows where row.assessment == "vpr" || row.assessment == "oge" {
            let key = Key(school: row.school, year: row.year, procedure: row.procedureKey)
            n[key, default: 0] += 1
            if row.mark == 2 { twos[key, default: 0] += 1 }
        }
        var high: [String: [Int: Set<String>]] = [:]
        for (key, count) in n where 10 * twos[key, default: 0] >= 3 * count {
            high[key.school, default: [:]][key.year, default: []].insert(key.procedure)
        }
        var expected = Set<String>()
        for (school, years) in high {
            for (year, procedures) in years {
                let repeated = procedures.intersection(years[year - 1] ?? [])
                if procedures.count >= 2 || !repeated.isEmpty { expected.insert("\(school):\(year)") }
            }
        }
        let actual = truth.filter { $0["category"] == "low_results" }.map { "\($0["school_id"]!):\($0["year"]!)" }
        #expect(actual.count == Set(actual).count, "one row per school and year")
        #expect(Set(actual).symmetricDifference(expected).sorted() == [], "truth and rule disagree")
        #expect(expected.count >= 5)
        // Designed weak schools are among the flagged ones.
        #expect(truth.contains { $0["category"] == "low_results" && $0["detail"]!.hasSuffix(";designed") })
    }

    @Test func plantedSignsOfNonObjectivityAreVisible() {
        let rows = Fixture.results.rows.filter { $0.assessment == "vpr" }
        func key(_ school: String, _ year: Int, _ procedure: String) -> String { "\(school):\(year):\(procedure)" }
        var mechanismOf: [String: String] = [:]
        for t in truth where t["category"] == "non_objective" {
            mechanismOf[key(t["school_id"]!, Int(t["year"]!)!, t["procedure"]!)] = t["mechanism"]!
        }
        func group(_ mechanism: String?) -> [ResultRow] {
            rows.filter { mechanismOf[key($0.school, $0.year, $0.procedureKey)] == mechanism }
        }
        let honest = group(nil)

        // journal_raise: the ВПР mark is rarely below the journal mark.
        func lowered(_ rs: [ResultRow]) -> Double { Double(rs.filter { $0.mark! < $0.journal! }.count) / Double(rs.count) }
        #expect(lowered(group("journal_raise")) < lowered(honest) / 2)

        // boundary_push: few scores just below a boundary compared with just above it.
        func belowToAbove(_ rs: [ResultRow]) -> Double {
            var below = 0, above = 0
            for r in rs {
                let b = RegionGenerator.markBoundaries(for: Procedure(year: r.year, assessment: .vpr, subject: r.subject, grade: r.grade))!
                for x in b {
                    if r.score! == x - 1 || r.score! == x - 2 { below += 1 }
                    if r.score! == x || r.score! == x + 1 { above += 1 }
                }
            }
            return Double(below) / Double(above)
        }
        #expect(belowToAbove(group("boundary_push")) < 0.6 * belowToAbove(honest))

        // hard_task_help: hard tasks done relatively better than basic tasks.
        let columns = Fixture.results.taskColumns
        func hardMinusBasic(_ rs: [ResultRow]) -> Double {
            var got = [0.0, 0.0], max = [0.0, 0.0]
            for r in rs {
                let tasks = RegionGenerator.tasks(for: Procedure(year: r.year, assessment: .vpr, subject: r.subject, grade: r.grade))
                let level = Dictionary(uniqueKeysWithValues: tasks.map { ($0.task, $0) })
                for (c, cell) in zip(columns, r.tasks) {
                    guard let cell, let info = level[c] else { continue }
                    let i = info.level == .basic ? 0 : 1
                    got[i] += Double(cell)
                    max[i] += info.maxScore
                }
            }
            return got[1] / max[1] - got[0] / max[0]
        }
        #expect(hardMinusBasic(group("hard_task_help")) > hardMinusBasic(honest) + 0.15)
    }
}
