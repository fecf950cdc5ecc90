import Foundation
import OporaCore
import OporaDemo
import Testing

@Suite struct ContextTests {
    var context: [[String: String]] { Fixture.context }

    @Test func everyStandardIndicatorAndNothingElse() {
        let codes = Set(context.map { $0["indicator"]! })
        #expect(codes == Set(IndicatorCatalogue.standard.map(\.code)))
    }

    @Test func valuesAreInRangeAndNeverEmpty() {
        for row in context {
            let value = row["value"]!
            #expect(!value.isEmpty)
            guard let v = Double(value), let def = IndicatorCatalogue.definition(of: row["indicator"]!) else {
                Issue.record("bad row \(row)")
                return
            }
            #expect(def.validRange.contains(v), "\(row)")
            if def.unit == .flag { #expect(v == 0 || v == 1) }
        }
    }

    /// Missing values are absent rows — a few, never written as zero or as an empty cell.
    @Test func aFewValuesAreMissingAsAbsentRows() {
        let full = Fixture.spec.schools * Fixture.spec.years * IndicatorCatalogue.standard.count
        let keys = context.map { "\($0["year"]!):\($0["school_id"]!):\($0["indicator"]!)" }
        #expect(Set(keys).count == keys.count, "duplicate context rows")
        #expect(keys.count < full)
        #expect(Double(keys.count) > 0.95 * Double(full))
        // Genuine zeros exist (no vacancies, no psychologist) and are written as 0.
        #expect(context.contains { $0["indicator"] == "teacher_vacancies" && $0["value"] == "0" })
        #expect(context.contains { $0["indicator"] == "has_psychologist" && $0["value"] == "0" })
    }

    func values(_ code: String, year: Int) -> [String: Double] {
        var out: [String: Double] = [:]
        for row in context where row["indicator"] == code && row["year"] == String(year) {
            out[row["school_id"]!] = Double(row["value"]!)!
        }
        return out
    }

    @Test func contextIsCorrelatedWithResults() {
        let year = Fixture.spec.lastYear
        var sum: [String: (Int, Int)] = [:]
        for r in Fixture.results.rows where r.assessment == "vpr" && r.year == year {
            let s = sum[r.school, default: (0, 0)]
            sum[r.school] = (s.0 + r.mark!, s.1 + 1)
        }
        let meanMark = sum.mapValues { Double($0.0) / Double($0.1) }
        func corr(_ code: String) -> Double {
            let v = values(code, year: year)
            let ids = meanMark.keys.filter { v[$0] != nil }.sorted()
            return correlation(ids.map { v[$0]! }, ids.map { meanMark[$0]! })
        }
        #expect(corr("low_income_share") < -0.3)
        #expect(corr("unemployed_parents_share") < -0.2)
        #expect(corr("parents_higher_education_share") > 0.3)
    }

    @Test func socialIndicatorsAreCorrelatedWithEachOther() {
        let year = Fixture.spec.firstYear
        let a = values("low_income_share", year: year), b = values("parents_higher_education_share", year: year)
        let ids = a.keys.filter { b[$0] != nil }.sorted()
        #expect(correlation(ids.map { a[$0]! }, ids.map { b[$0]! }) < -0.3)
    }

    @Test func designedDeficitsShowInTheContext() {
        let truth = Fixture.truth
        let year = Fixture.spec.lastYear
        let staff = Set(truth.filter { $0["mechanism"] == "staff_shortage" }.map { $0["school_id"]! })
        let material = Set(truth.filter { $0["mechanism"] == "material_shortage" }.map { $0["school_id"]! })
        let social = Set(truth.filter { $0["category"] == "social_risk" }.map { $0["school_id"]! })
        let psychologist = values("has_psychologist", year: year), vacancies = values("teacher_vacancies", year: year)
        let computers = values("computers_per_100_students", year: year), lowIncome = values("low_income_share", year: year)
        #expect(!staff.isEmpty && !material.isEmpty && !social.isEmpty)
        #expect(staff.allSatisfy { psychologist[$0] == 0 && (vacancies[$0] ?? 0) >= 2 })
        #expect(material.allSatisfy { (computers[$0] ?? 99) < 6 })
        let median = lowIncome.values.sorted()[lowIncome.count / 2]
        let above = social.filter { (lowIncome[$0] ?? 0) > median }.count
        #expect(Double(above) / Double(social.count) >= 0.75)
    }
}
