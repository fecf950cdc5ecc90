import Foundation
import OporaCore
import OporaDemo
import Testing

@Suite struct ResultsTests {
    var rows: [ResultRow] { Fixture.results.rows }

    @Test func shareOfTwosInVPRIsRealistic() {
        let vpr = rows.filter { $0.assessment == "vpr" }
        let share = Double(vpr.filter { $0.mark == 2 }.count) / Double(vpr.count)
        #expect(vpr.count > 10_000)
        #expect(share >= 0.05 && share <= 0.15, "share of «2» in ВПР is \(share)")
    }

    @Test func journalMarksAreMostlyAtLeastTheVPRMark() {
        let vpr = rows.filter { $0.assessment == "vpr" }
        let atLeast = vpr.filter { $0.journal! >= $0.mark! }.count
        let equal = vpr.filter { $0.journal! == $0.mark! }.count
        let far = vpr.filter { abs($0.journal! - $0.mark!) >= 2 }.count
        #expect(Double(atLeast) / Double(vpr.count) > 0.85)
        #expect(Double(equal) / Double(vpr.count) > 0.55)
        #expect(Double(far) / Double(vpr.count) < 0.05)
        #expect(vpr.allSatisfy { Mark.range.contains($0.journal!) && Mark.range.contains($0.mark!) })
    }

    @Test func egeHasScoresButNoMarks() {
        let ege = rows.filter { $0.assessment == "ege" }
        #expect(!ege.isEmpty)
        #expect(ege.allSatisfy { $0.mark == nil && $0.journal == nil && $0.grade == 11 })
        #expect(ege.allSatisfy { ($0.score ?? -1) >= 0 && ($0.score ?? 101) <= 100 })
        #expect(ege.allSatisfy { $0.tasks.allSatisfy { $0 == nil } })
        let scores = ege.compactMap(\.score)
        #expect(Set(scores).count > 30, "ЕГЭ scores should spread over the scale")
    }

    @Test func ogeHasMarksAndNoJournalMark() {
        let oge = rows.filter { $0.assessment == "oge" }
        #expect(!oge.isEmpty)
        #expect(oge.allSatisfy { $0.grade == 9 && $0.mark != nil && $0.journal == nil })
    }

    @Test func marksFollowTheBoundariesAndTasksSumToTheScore() {
        let columns = Fixture.results.taskColumns
        for row in rows where row.assessment != "ege" {
            let procedure = Procedure(year: row.year, assessment: Assessment(row.assessment), subject: row.subject, grade: row.grade)
            let tasks = RegionGenerator.tasks(for: procedure)
            let byCode = Dictionary(uniqueKeysWithValues: tasks.map { ($0.task, $0) })
            var sum = 0
            for (c, cell) in zip(columns, row.tasks) {
                if let info = byCode[c] {
                    guard let cell else { Issue.record("missing task \(c) in \(procedure)"); return }
                    #expect(cell >= 0 && Double(cell) <= info.maxScore)
                    sum += cell
                } else if cell != nil {
                    Issue.record("\(procedure) has a value in foreign column task_\(c)")
                    return
                }
            }
            #expect(sum == row.score)
            #expect(RegionGenerator.mark(forScore: row.score!, procedure: procedure) == row.mark)
        }
    }

    @Test func resultsReferenceExistingSchools() {
        let ids = Set(Fixture.schools.map { $0["school_id"]! })
        #expect(Set(rows.map(\.school)).isSubset(of: ids))
        #expect(Set(Fixture.aggregates.map { $0["school_id"]! }).isSubset(of: ids))
        #expect(Set(Fixture.truth.map { $0["school_id"]! }).isSubset(of: ids))
        #expect(Set(Fixture.context.map { $0["school_id"]! }) == ids)
    }

    @Test func everyRowHasTheHeaderWidth() {
        let width = 9 + Fixture.results.taskColumns.count
        #expect(rows.allSatisfy { $0.fieldCount == width })
    }

    @Test func participantCodesAreUniquePerProcedureAndFollowStudents() {
        var seen = Set<String>()
        for row in rows {
            #expect(row.student.count >= 6 && row.student.allSatisfy(\.isNumber))
            let key = "\(row.year):\(row.procedureKey):\(row.student)"
            if seen.contains(key) {
                Issue.record("duplicate participant \(key)")
                return
            }
            seen.insert(key)
        }
        #expect(rows.contains { $0.student.hasPrefix("0") }, "leading zeros must be kept")
        // A grade-4 student of the first year sits ВПР again in grade 5 the next year, same code.
        let first = Fixture.spec.firstYear
        let g4 = Set(rows.filter { $0.year == first && $0.assessment == "vpr" && $0.subject == "math" && $0.grade == 4 }
            .map { "\($0.school):\($0.student)" })
        let g5 = Set(rows.filter { $0.year == first + 1 && $0.assessment == "vpr" && $0.subject == "math" && $0.grade == 5 }
            .map { "\($0.school):\($0.student)" })
        let linked = Double(g4.intersection(g5).count) / Double(g4.count)
        #expect(linked > 0.7, "only \(linked) of grade-4 students found in grade 5")
    }

    @Test func lyceumsDoBetterThanAverage() {
        let kinds = Dictionary(uniqueKeysWithValues: Fixture.schools.map { ($0["school_id"]!, $0["kind"]!) })
        let vpr = rows.filter { $0.assessment == "vpr" }
        func mean(_ rs: [ResultRow]) -> Double { Double(rs.reduce(0) { $0 + $1.mark! }) / Double(rs.count) }
        let selective = vpr.filter { kinds[$0.school] == "lyceum" || kinds[$0.school] == "gymnasium" }
        #expect(mean(selective) > mean(vpr) + 0.2)
    }
}
