import Foundation
import Testing
@testable import OporaStats

@Suite struct DescriptiveTests {
    let h: HelpersFixture
    init() throws { h = try Fixtures.json("helpers", as: HelpersFixture.self) }

    @Test func quantilesMatchNumpyType7() throws {
        let q = try #require(Descriptive.quantiles(h.quantile.values, h.quantile.probs))
        for (a, b) in zip(q, h.quantile.expected) { #expect(relDiff(try #require(a), b) < 1e-14) }
        #expect(Descriptive.quantile([3, 1, 2], 0.5) == 2)
        #expect(Descriptive.quantile([1, 2, 3, 4], 0.25) == 1.75)   // h = 0.75
        #expect(Descriptive.quantile([], 0.5) == nil)
        #expect(Descriptive.quantile([1, 2], 1.5) == nil)
    }

    @Test func meanAndVariance() throws {
        #expect(relDiff(try #require(Descriptive.mean(h.quantile.values)), h.quantile.mean) < 1e-14)
        #expect(relDiff(try #require(Descriptive.variance(h.quantile.values)), h.quantile.var_ddof1) < 1e-12)
        #expect(relDiff(try #require(Descriptive.variance(h.quantile.values, ddof: 0)), h.quantile.var_ddof0) < 1e-12)
        #expect(Descriptive.variance([5]) == nil)
        #expect(Descriptive.mean([Double]()) == nil)
    }

    @Test func missingValuesAreSkippedNotZero() throws {
        let x: [Double?] = [1, nil, 3, nil, 5]
        #expect(Descriptive.mean(x) == 3)
        #expect(Descriptive.variance(x) == 4)
        let z = try #require(Descriptive.standardize(x))
        #expect(z[1] == nil && z[3] == nil)
        #expect(z[0] == -1 && z[2] == 0 && z[4] == 1)
        #expect(Descriptive.standardize([2, 2, nil] as [Double?]) == nil)   // constant: no scores
        #expect(Descriptive.mean([nil, nil] as [Double?]) == nil)
    }

    @Test func pearsonMatchesScipy() throws {
        let r = try #require(try Descriptive.pearson(h.pearson.x, h.pearson.y))
        #expect(relDiff(r, h.pearson.r) < 1e-12)
        let x: [Double?] = [1, 2, nil, 4, 5]
        let y: [Double?] = [2, 4, 100, nil, 10]
        #expect(try Descriptive.pearson(x, y) == 1)        // pairwise complete: (1,2),(2,4),(5,10)
        #expect(try Descriptive.pearson([1, 1, 1], [1, 2, 3]) == nil)
        #expect(throws: StatsError.self) { try Descriptive.pearson([1, 2], [1]) }
    }

    @Test("the median by selection of nothing is nil (values: RandomEffectsNullTests)")
    func medianBySelectionOfNothing() {
        var empty: [Double] = []
        #expect(Descriptive.medianSelecting(&empty) == nil)
    }
}
