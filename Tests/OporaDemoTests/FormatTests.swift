import Foundation
import OporaCore
import OporaDemo
import Testing

@Suite struct FormatTests {
    @Test func schoolsAreVariedAndCoded() throws {
        let rows = try CSV.read(Fixture.url(RegionGenerator.schoolsFile))
        #expect(rows[0] == ["school_id", "name", "municipality", "region", "settlement", "kind", "students", "distance_km"])
        #expect(rows.dropFirst().allSatisfy { $0.count == 8 })
        let schools = Fixture.schools
        #expect(schools.count == Fixture.spec.schools)
        let ids = schools.map { $0["school_id"]! }
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.count >= 4 && $0.allSatisfy(\.isNumber) })
        #expect(ids.contains("0101"))
        let kinds = Set(schools.map { $0["kind"]! })
        #expect(kinds.isSuperset(of: ["general", "lyceum", "gymnasium", "evening", "boarding"]))
        #expect(Set(schools.map { $0["municipality"]! }).count == Fixture.spec.municipalities)
        #expect(schools.contains { $0["settlement"] == "rural" && Int($0["students"]!)! <= 150 })
        #expect(schools.contains { $0["settlement"] == "urban" && Int($0["students"]!)! >= 600 })
        #expect(schools.contains { $0["name"]!.hasPrefix("МКОУ «ООШ ") })
        #expect(schools.allSatisfy { $0["region"] == Fixture.spec.regionName && Double($0["distance_km"]!) != nil })
    }

    @Test func namesWithCommasAreQuoted() throws {
        let text = try String(contentsOf: Fixture.url(RegionGenerator.schoolsFile), encoding: .utf8)
        let withComma = Fixture.schools.filter { $0["name"]!.contains(",") }
        #expect(!withComma.isEmpty)
        for school in withComma { #expect(text.contains("\"\(school["name"]!)\"")) }
    }

    @Test func tasksMatchTheAPI() {
        let tasks = Fixture.tasks
        #expect(Set(tasks.map { $0["assessment"]! }) == ["vpr", "oge"])
        #expect(Set(tasks.map { $0["level"]! }) == Set(TaskLevel.allCases.map(\.rawValue)))
        for year in Fixture.spec.yearRange {
            for proc in RegionGenerator.procedures where proc.assessment != .ege {
                let rows = tasks.filter {
                    $0["year"] == String(year) && $0["assessment"] == proc.assessment.rawValue
                        && $0["subject"] == proc.subject && $0["grade"] == String(proc.grade)
                }
                #expect(rows.map { $0["task"]! } == proc.tasks.map(\.code))
                let total = rows.reduce(0) { $0 + Int($1["max_score"]!)! }
                #expect(total == proc.maxScore)
                if proc.assessment == .vpr { #expect((15...50).contains(total), "\(proc.key) max \(total)") }
            }
        }
    }

    @Test func markBoundariesAreExposed() {
        let math4 = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 4)
        #expect(RegionGenerator.markBoundaries(for: math4) == [6, 10, 15])
        #expect(RegionGenerator.mark(forScore: 5, procedure: math4) == 2)
        #expect(RegionGenerator.mark(forScore: 6, procedure: math4) == 3)
        #expect(RegionGenerator.mark(forScore: 14, procedure: math4) == 4)
        #expect(RegionGenerator.mark(forScore: 20, procedure: math4) == 5)
        #expect(RegionGenerator.markBoundaries(for: Procedure(year: 2025, assessment: .ege, subject: "math", grade: 11)) == nil)
        #expect(RegionGenerator.markBoundaries(for: Procedure(year: 2025, assessment: .vpr, subject: "history", grade: 4)) == nil)
        for proc in RegionGenerator.procedures + [RegionGenerator.aggregateProcedure] {
            guard let b = proc.markBoundaries else {
                #expect(proc.assessment == .ege)
                continue
            }
            #expect(b.count == 3 && b[0] > 0 && b[0] < b[1] && b[1] < b[2] && b[2] <= proc.maxScore, "\(proc.key)")
        }
    }

    @Test func aggregatesAreConsistent() {
        let rows = Fixture.aggregates
        #expect(!rows.isEmpty)
        let max = Double(RegionGenerator.aggregateProcedure.maxScore)
        for row in rows {
            #expect(row["assessment"] == "regional" && row["subject"] == "math" && row["grade"] == "7")
            #expect(Int(row["participants"]!)! > 0)
            let mean = Double(row["mean_score"]!)!
            #expect(mean >= 0 && mean <= max)
            let shares = ["share_2", "share_3", "share_4", "share_5"].map { Double(row[$0]!)! }
            #expect(shares.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        }
    }
}
