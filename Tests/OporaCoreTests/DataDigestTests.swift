import OporaCore
import Testing

@Suite("Data digest")
struct DataDigestTests {
    let vpr = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)

    func result(_ participant: String, _ score: Double?, mark: Int? = 4) -> StudentResult {
        StudentResult(procedure: vpr, schoolID: "0101", participant: participant, score: score, mark: mark, journalMark: 5)
    }

    @Test func doesNotDependOnOrderButOnContent() {
        var a = DataDigest(), b = DataDigest(), c = DataDigest()
        for r in [result("1", 10), result("2", 12), result("3", nil)] { a.add(r) }
        for r in [result("3", nil), result("1", 10), result("2", 12)] { b.add(r) }
        for r in [result("1", 10), result("2", 13), result("3", nil)] { c.add(r) }
        #expect(a == b)
        #expect(a.hex.count == 64)
        #expect(a != c)
        #expect(a.records == 3)
    }

    @Test func missingIsNotZeroAndPartsMerge() {
        var missing = DataDigest(), zero = DataDigest()
        missing.add(result("1", nil))
        zero.add(result("1", 0))
        #expect(missing != zero)

        var whole = DataDigest(), left = DataDigest(), right = DataDigest()
        for r in [result("1", 10), result("2", 12)] { whole.add(r) }
        left.add(result("1", 10))
        right.add(result("2", 12))
        left.merge(right)
        #expect(left == whole)
    }

    @Test func aDuplicatedRecordChangesTheDigest() {
        var once = DataDigest(), twice = DataDigest()
        once.add(result("1", 10))
        twice.add(result("1", 10))
        twice.add(result("1", 10))
        #expect(once != twice)
    }
}
