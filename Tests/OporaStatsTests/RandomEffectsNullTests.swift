import Foundation
import Testing
@testable import OporaStats

/// RandomEffectsNull against the numpy/scipy reference (scripts/reference/make_random_effects_null.py).
@Suite struct RandomEffectsNullTests {
    struct Case: Decodable { var name: String; var u: [Double]; var v: [Double]; var mu: Double; var tau2: Double; var z: [Double] }
    struct File: Decodable { var cases: [Case] }

    @Test func matchesReference() throws {
        let file = try Fixtures.json("random_effects_null", as: File.self)
        #expect(file.cases.count == 4)
        #expect(file.cases.contains { $0.tau2 > 0 } && file.cases.contains { $0.tau2 == 0 })
        for c in file.cases {
            let fit = try RandomEffectsNull.fit(u: c.u, v: c.v)
            #expect(abs(fit.mu - c.mu) <= 1e-8 * max(1, abs(c.mu)), "\(c.name): mu \(fit.mu) vs \(c.mu)")
            #expect(abs(fit.tau2 - c.tau2) <= 1e-8 * max(1e-6, c.tau2), "\(c.name): tau2 \(fit.tau2) vs \(c.tau2)")
            for (a, b) in zip(fit.z, c.z) { #expect(abs(a - b) <= 1e-7, "\(c.name): z \(a) vs \(b)") }
        }
    }

    @Test func medianBySelectionIsTheSortedMedian() {
        var rng = SystemRandomNumberGenerator()
        for n in Array(1...40) + [999, 1000] {
            for round in 0..<20 {
                // Few distinct values in some rounds (many ties), signed zeros included.
                let x: [Double] = (0..<n).map { _ in
                    round % 2 == 0 ? Double(Int.random(in: -3...3, using: &rng)) * (Bool.random(using: &rng) ? 1 : -1) * 0.5
                        : Double.random(in: -5...5, using: &rng)
                }
                var copy = x
                let selected = Descriptive.medianSelecting(&copy)!
                let sorted = Descriptive.quantileSorted(x.sorted(), 0.5)!
                #expect(selected.bitPattern == sorted.bitPattern, "n \(n): \(selected) vs \(sorted)")
                #expect(copy.sorted() == x.sorted())
            }
        }
    }

    @Test func definingEquations() throws {
        let file = try Fixtures.json("random_effects_null", as: File.self)
        for c in file.cases {
            let fit = try RandomEffectsNull.fit(u: c.u, v: c.v)
            let s = fit.z.sorted()
            let med = Descriptive.quantileSorted(s, 0.5)!
            let mad = 1.4826 * Descriptive.quantileSorted(fit.z.map { abs($0 - med) }.sorted(), 0.5)!
            #expect(abs(med) <= 1e-8)
            #expect(fit.tau2 == 0 ? mad <= 1 + 1e-9 : abs(mad - 1) <= 1e-8, "\(c.name): MAD-SD \(mad)")
        }
    }

    @Test func largeGroupsShrinkMore() throws {
        // Same raw z = 3 for a small and a large group among over-dispersed peers: the large group's
        // calibrated z is smaller.
        var u: [Double] = [], v: [Double] = []
        for i in 0..<200 {
            let vi = Double(5 + (i % 20) * 20)
            v.append(vi)
            u.append((i % 2 == 0 ? 1 : -1) * Double(i % 7) / 4 * (vi + 0.01 * vi * vi).squareRoot())
        }
        u += [3 * 5.0.squareRoot(), 3 * 400.0.squareRoot()]
        v += [5, 400]
        let fit = try RandomEffectsNull.fit(u: u, v: v)
        #expect(fit.tau2 > 0)
        #expect(fit.z[200] > fit.z[201])
    }

    @Test func rejectsBadInput() {
        #expect(throws: StatsError.self) { try RandomEffectsNull.fit(u: [1, 2], v: [1]) }
        #expect(throws: StatsError.self) { try RandomEffectsNull.fit(u: [1, 2], v: [1, 0]) }
        #expect(throws: StatsError.self) { try RandomEffectsNull.fit(u: [], v: []) }
    }
}
