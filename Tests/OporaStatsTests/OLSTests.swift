import Foundation
import Testing
@testable import OporaStats

@Suite struct OLSTests {
    let f: OLSFixture
    let data: [String: [Double]]
    init() throws {
        f = try Fixtures.json("meap01", as: OLSFixture.self)
        data = try Fixtures.csv("meap01")
    }

    func check(_ fit: OLSFit, _ ref: OLSFixture.Result) {
        #expect(maxRelDiff(fit.coefficients, ref.params) < 1e-10)
        #expect(maxRelDiff(fit.standardErrors, ref.bse) < 1e-10)
        #expect(relDiff(fit.rSquared, ref.rsquared) < 1e-10)
        #expect(relDiff(fit.residualVariance, ref.scale) < 1e-10)
        #expect(Double(fit.residualDegreesOfFreedom) == ref.df_resid)
        #expect(maxRelDiff(Array(fit.residuals.prefix(10)), ref.resid_head) < 1e-9)
        #expect(maxRelDiff(Array(fit.fitted.prefix(10)), ref.fitted_head) < 1e-12)
    }

    @Test func olsMatchesStatsmodelsOnMeap01() throws {
        let fit = try OLS.fit(y: data[f.y]!, columns: f.x.map { data[$0]! })
        check(fit, f.ols)
    }

    @Test func wlsMatchesStatsmodelsOnMeap01() throws {
        let fit = try OLS.fit(y: data[f.y]!, columns: f.x.map { data[$0]! }, weights: data[f.weights]!)
        check(fit, f.wls)
    }

    @Test func noInterceptMatchesStatsmodels() throws {
        let fit = try OLS.fit(y: data[f.y]!, columns: f.x.map { data[$0]! }, intercept: false)
        check(fit, f.ols_no_intercept)
    }

    @Test func exactLineIsRecovered() throws {
        let x = (0..<20).map(Double.init)
        let y = x.map { 2 - 0.5 * $0 + ($0.truncatingRemainder(dividingBy: 2) == 0 ? 0.1 : -0.1) }
        let fit = try OLS.fit(y: y, columns: [x])
        #expect(abs(fit.coefficients[0] - 2) < 0.05 && abs(fit.coefficients[1] + 0.5) < 0.01)
        #expect(fit.residuals.count == 20 && fit.hasIntercept)
    }

    @Test func collinearDesignIsAnError() {
        let a: [Double] = [1, 2, 3, 4, 5, 6]
        let b = a.map { 3 * $0 - 1 }   // collinear with intercept and a
        #expect(throws: StatsError.collinear(column: 2)) { try OLS.fit(y: [1, 3, 2, 5, 4, 6], columns: [a, b]) }
        #expect(throws: StatsError.collinear(column: 1)) { try OLS.fit(y: [1, 3, 2, 5, 4, 6], columns: [[2, 2, 2, 2, 2, 2]]) }
    }

    @Test func badInputsAreErrors() {
        #expect(throws: StatsError.self) { try OLS.fit(y: [1, 2, 3], columns: [[1, 2]]) }
        #expect(throws: StatsError.self) { try OLS.fit(y: [1, 2], columns: [[1, 2]]) }
        #expect(throws: StatsError.self) { try OLS.fit(y: [1, 2, 3, 4], columns: [[1, 2, 3, 5]], weights: [1, 0, 1, 1]) }
        #expect(throws: StatsError.self) { try OLS.fit(y: [1, .nan, 3, 4], columns: [[1, 2, 3, 5]]) }
    }
}
