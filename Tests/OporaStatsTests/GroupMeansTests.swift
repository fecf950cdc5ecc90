import Foundation
import Testing
import OporaStats

/// GroupMeans against the numpy/statsmodels reference (scripts/reference/make_group_means.py).
@Suite struct GroupMeansTests {
    struct Case: Decodable {
        var name: String; var values: [[Double]]; var n: [Int]; var sum: [Double]; var sumSquares: [Double]
        var pooledVariance: Double; var sd: Double; var z: [Double]; var variance: [Double]
    }
    struct File: Decodable { var cases: [Case] }

    @Test func matchesReference() throws {
        let file = try Fixtures.json("group_means", as: File.self)
        #expect(file.cases.count == 3)
        for c in file.cases {
            // From the raw values, as the engine accumulates them.
            let sums = c.values.map { $0.reduce(0, +) }, squares = c.values.map { $0.reduce(0) { $0 + $1 * $1 } }
            let st = try #require(try GroupMeans.standardized(n: c.values.map(\.count), sum: sums, sumSquares: squares))
            #expect(c.values.map(\.count) == c.n)
            #expect(abs(st.pooledVariance - c.pooledVariance) <= 1e-9 * c.pooledVariance, "\(c.name): \(st.pooledVariance) vs \(c.pooledVariance)")
            #expect(abs(st.sd - c.sd) <= 1e-10 * c.sd)
            for (a, b) in zip(st.z, c.z) { #expect(abs(a - b) <= 1e-10, "\(c.name): z \(a) vs \(b)") }
            for (a, b) in zip(st.variance, c.variance) { #expect(abs(a - b) <= 1e-9 * b, "\(c.name): variance \(a) vs \(b)") }
        }
    }

    @Test func degenerateInput() throws {
        #expect(try GroupMeans.standardized(n: [5], sum: [10], sumSquares: [30]) == nil)
        #expect(try GroupMeans.standardized(n: [3, 3], sum: [6, 6], sumSquares: [14, 14]) == nil)   // equal means
        #expect(try GroupMeans.standardized(n: [1, 1], sum: [2, 5], sumSquares: [4, 25]) == nil)    // no within-group df
        #expect(throws: StatsError.self) { try GroupMeans.standardized(n: [1, 2], sum: [1], sumSquares: [1, 2]) }
    }
}
