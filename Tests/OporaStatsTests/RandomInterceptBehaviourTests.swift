import Foundation
import Testing
@testable import OporaStats

/// Behaviour on constructed data: boundary, errors, labels, invariances.
@Suite struct RandomInterceptBehaviourTests {
    /// Deterministic pseudo-random normals (xorshift + Box–Muller), so tests are reproducible.
    struct Gen {
        var s: UInt64
        mutating func uniform() -> Double {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17
            return (Double(s >> 11) + 0.5) / Double(1 << 53)
        }
        mutating func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    }

    static func simulate(groups: Int, perGroup: Int, tau: Double, sigma: Double, seed: UInt64 = 42)
        -> (y: [Double], x: [Double], g: [Int]) {
        var r = Gen(s: seed)
        var y: [Double] = [], x: [Double] = [], g: [Int] = []
        for j in 0..<groups {
            let u = tau * r.normal()
            for _ in 0..<(perGroup + j % 5) {
                let xi = r.normal()
                x.append(xi); g.append(j)
                y.append(1 + 0.5 * xi + u + sigma * r.normal())
            }
        }
        return (y, x, g)
    }

    @Test func recoversSimulatedVariances() throws {
        let d = Self.simulate(groups: 300, perGroup: 20, tau: 0.5, sigma: 1)
        let fit = try RandomInterceptModel.fit(y: d.y, columns: [d.x], groups: d.g)
        #expect(abs(fit.fixed[1] - 0.5) < 0.05)
        #expect(abs(fit.groupVariance - 0.25) < 0.08)
        #expect(abs(fit.residualVariance - 1) < 0.05)
    }

    @Test func noGroupEffectGivesZeroVarianceAtBoundary() throws {
        // Group means made exactly equal after removing the slope: τ̂² must be 0.
        var y: [Double] = [], x: [Double] = [], g: [Int] = []
        let pattern: [Double] = [-1, 1, -0.5, 0.5, 0]
        for j in 0..<10 { for (i, e) in pattern.enumerated() { x.append(Double(i)); g.append(j); y.append(2 + 0.3 * Double(i) + e * Double(1 + j % 3)) } }
        let fit = try RandomInterceptModel.fit(y: y, columns: [x], groups: g)
        #expect(fit.atBoundary)
        #expect(fit.groupVariance == 0)
        for e in fit.groups { #expect(e.estimate == 0 && e.sd == 0 && e.shrinkage == 0) }
        // Then β̂ is the OLS solution.
        let ols = try OLS.fit(y: y, columns: [x])
        #expect(maxRelDiff(fit.fixed, ols.coefficients) < 1e-12)
    }

    @Test func stringLabelsAreSortedAndKept() throws {
        let d = Self.simulate(groups: 12, perGroup: 8, tau: 1, sigma: 1)
        let labels = d.g.map { "school-\(String(format: "%02d", 11 - $0))" }
        let fit = try RandomInterceptModel.fit(y: d.y, columns: [d.x], groups: labels)
        #expect(fit.groups.map(\.id) == (0..<12).map { "school-\(String(format: "%02d", $0))" })
        let byInt = try RandomInterceptModel.fit(y: d.y, columns: [d.x], groups: d.g)
        // label order is reversed relative to the Int labels
        #expect(abs(fit.groups[0].estimate - byInt.groups[11].estimate) < 1e-12)
        #expect(fit.groups[0].n == byInt.groups[11].n)
    }

    @Test func shiftOfCovariateOnlyMovesIntercept() throws {
        let d = Self.simulate(groups: 40, perGroup: 10, tau: 0.7, sigma: 1)
        let a = try RandomInterceptModel.fit(y: d.y, columns: [d.x], groups: d.g)
        let b = try RandomInterceptModel.fit(y: d.y, columns: [d.x.map { $0 + 1000 }], groups: d.g)
        #expect(relDiff(a.groupVariance, b.groupVariance) < 1e-8)
        #expect(relDiff(a.fixed[1], b.fixed[1]) < 1e-8)
        #expect(abs(b.fixed[0] - (a.fixed[0] - 1000 * a.fixed[1])) < 1e-7)
        #expect(relDiff(a.logLikelihood, b.logLikelihood) < 1e-12)
    }

    @Test func interceptOnlyModelWorks() throws {
        let d = Self.simulate(groups: 30, perGroup: 6, tau: 1, sigma: 1)
        let fit = try RandomInterceptModel.fit(y: d.y, columns: [], groups: d.g)
        #expect(fit.fixed.count == 1 && fit.groupVariance > 0)
    }

    @Test func errors() {
        #expect(throws: StatsError.self) { try RandomInterceptModel.fit(y: [1, 2, 3, 4], columns: [], groups: [1, 1, 1, 1]) }
        #expect(throws: StatsError.self) { try RandomInterceptModel.fit(y: [1, 2, 3], columns: [], groups: [1, 2]) }
        let x: [Double] = [1, 2, 3, 4, 5, 6]
        #expect(throws: StatsError.collinear(column: 2)) {
            try RandomInterceptModel.fit(y: [1, 2, 4, 3, 5, 7], columns: [x, x.map { 2 * $0 }], groups: [1, 1, 2, 2, 3, 3])
        }
        #expect(throws: StatsError.self) { try RandomInterceptModel.fit(y: [1, 2, 3, .infinity], columns: [], groups: [1, 1, 2, 2]) }
    }
}
