import Foundation
@testable import OporaAnalysis
import OporaCore
import Testing

/// A tiny hand-made region where every number can be checked by hand.
enum Tiny {
    static let vpr5 = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)
    static let vpr6 = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 6)
    static let vpr5prev = Procedure(year: 2024, assessment: .vpr, subject: "math", grade: 5)

    static func school(_ id: String) -> School {
        School(id: id, name: "Школа \(id)", municipality: "район", region: "область", settlement: .rural, kind: .general, students: 80)
    }

    /// `twos` results with mark 2 and `n − twos` with mark 4.
    static func results(_ p: Procedure, _ school: String, n: Int, twos: Int) -> [StudentResult] {
        (0..<n).map { i in
            StudentResult(procedure: p, schoolID: school, participant: "\(school)-\(p.grade)-\(p.year)-\(i)",
                          score: i < twos ? 3 : 12, mark: i < twos ? 2 : 4, journalMark: 4)
        }
    }

    static var data: AnalysisData {
        var r: [StudentResult] = []
        r += results(vpr5, "A", n: 35, twos: 12) + results(vpr6, "A", n: 35, twos: 11)   // two procedures ≥ 30%
        r += results(vpr5, "B", n: 10, twos: 3) + results(vpr5prev, "B", n: 9, twos: 3)  // same procedure, two years
        r += results(vpr5, "C", n: 10, twos: 2) + results(vpr6, "C", n: 20, twos: 6)     // one procedure only
        return AnalysisData(schools: ["A", "B", "C", "D"].map(school), indicators: [], tasks: [], results: r, aggregates: [])
    }
}

@Suite("Identification output")
struct IdentificationOutputTests {
    @Test("the official rule: two procedures, or the same procedure two years running; nothing else")
    func official() throws {
        let result = Identification.run(data: Tiny.data, rules: .default, year: 2025)
        #expect(result.schools(flaggedBy: "official_fail_share") == ["A", "B"])
        let a = try #require(result.schools.first { $0.schoolID == "A" }?.flags.first { $0.criterion == "official_fail_share" })
        #expect(a.procedures == ["vpr:math:5:2025", "vpr:math:6:2025"])
        #expect(a.n == 35 && a.threshold == 0.3 && abs(a.value - 12.0 / 35) < 1e-6)
        #expect(a.textRU.contains("ВПР, математика, 5 класс — 34,3% (12 из 35)"))
        #expect(a.textRU.contains("31,4% (11 из 35)"))
        #expect(a.textEN.contains("VPR, maths, grade 5 — 34.3% (12 of 35)"))
        #expect(a.noteRU == nil)
        let b = try #require(result.schools.first { $0.schoolID == "B" }?.flags.first { $0.criterion == "official_fail_share" })
        #expect(b.procedures == ["vpr:math:5:2025", "vpr:math:5:2024"])
        // 9 participants is below reliable_n = 10: flagged, with the Wilson interval as a caution.
        #expect(b.noteRU?.contains("Малая группа") == true && b.noteRU?.contains("интервал Уилсона") == true)
        // D has no results at all: "not enough data", not a clean bill.
        let d = try #require(result.schools.first { $0.schoolID == "D" })
        #expect(d.notEnoughData.contains { $0.criterion == "official_fail_share" })
        #expect(d.flags.isEmpty)
    }

    @Test("JSON has the contract's keys and is byte-identical run to run")
    func json() throws {
        let one = Identification.run(data: Tiny.data, rules: .default, year: 2025).json()
        let two = Identification.run(data: Tiny.data, rules: .default, year: 2025).json()
        #expect(one == two)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(one.utf8)) as? [String: Any])
        let run = try #require(object["run"] as? [String: Any])
        #expect(run["rules_digest"] as? String == RuleSet.default.digest)
        #expect(run["year"] as? Int == 2025)
        let schools = try #require(object["schools"] as? [[String: Any]])
        #expect(schools.map { $0["school_id"] as? String } == ["A", "B", "C", "D"])
        let a = schools[0]
        #expect((a["categories"] as? [String])?.contains("low_results") == true)
        #expect(a["value_added"] is NSNull)
        let flag = try #require((a["flags"] as? [[String: Any]])?.first)
        for key in ["criterion", "category", "year", "procedures", "value", "threshold", "n", "text_ru", "text_en", "strength"] {
            #expect(flag.keys.contains(key), "missing \(key)")
        }
        #expect(a["not_enough_data"] is [Any])
    }

    @Test("CSV and table: one row per flag")
    func csvTable() {
        let result = Identification.run(data: Tiny.data, rules: .default, year: 2025)
        let flags = result.schools.reduce(0) { $0 + $1.flags.count }
        let csv = result.csv().split(separator: "\n")
        #expect(csv.count == flags + 1)
        #expect(csv[0].hasPrefix("school_id,name,municipality,category,criterion"))
        let table = result.table(.en).split(separator: "\n")
        #expect(table.count == flags + 3)
    }

    @Test("CSV fields: quoted when they must be, quotes doubled")
    func csvQuoting() {
        #expect(CSVText.quote("Школа №1") == "Школа №1")
        #expect(CSVText.quote("a, b") == "\"a, b\"")
        #expect(CSVText.quote("МБОУ \"Лицей\", 5 кл.") == "\"МБОУ \"\"Лицей\"\", 5 кл.\"")
        #expect(CSVText.quote("\"\"\n") == "\"\"\"\"\"\n\"")
    }

    @Test("analytics: shares with Wilson intervals, journal comparison, region and municipality")
    func analytics() throws {
        let data = Tiny.data
        let profile = Analytics.schoolProfile(data, school: "A", year: 2025)
        #expect(profile.map(\.procedure) == ["vpr:math:5:2025", "vpr:math:6:2025"])
        let s = profile[0]
        #expect(s.participants == 35 && s.marks[0].count == 12)
        #expect(s.passShare?.count == 23 && s.qualityShare?.count == 23)
        #expect(s.lowered?.count == 12 && s.confirmed?.count == 23 && s.raised?.count == 0 && s.gap2?.count == 12)
        #expect(s.passShare!.low < s.passShare!.share && s.passShare!.share < s.passShare!.high)
        #expect(s.histogram[3] == 12 && s.histogram[12] == 23)
        let region = Analytics.summary(data, municipality: nil, year: 2025)
        #expect(region.first { $0.procedure == "vpr:math:5:2025" }?.participants == 55)
        #expect(Analytics.summary(data, municipality: "район", year: 2025) == region.map { var r = $0; r.group = "район"; return r })
        #expect(data.markBoundaries(Tiny.vpr5) == nil) // marks 3 and 5 never observed
    }

    @Test("aggregates: statistics from results_school")
    func aggregates() {
        let a = SchoolAggregate(procedure: Procedure(year: 2025, assessment: .regional, subject: "math", grade: 7), schoolID: "A",
                                participants: 20, meanScore: 11.5, share2: 0.1, share3: 0.4, share4: 0.3, share5: 0.2)
        let s = Analytics.stats(a, group: "A")
        #expect(s.source == "aggregates" && s.marks.map(\.count) == [2, 8, 6, 4])
        #expect(s.qualityShare?.count == 10 && s.meanMark == 3.6)
    }
}
