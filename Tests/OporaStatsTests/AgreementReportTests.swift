import Foundation
import Testing
@testable import OporaStats

/// Prints the measured agreement with statsmodels / the exact reference and the fit times, so
/// the numbers behind the reports can be re-measured (`swift test --filter AgreementReport`).
/// The only expectations here are sanity checks; the real checks are in the reference tests.
@Suite struct AgreementReportTests {
    @Test func report() throws {
        for name in RandomInterceptReferenceTests.datasets {
            let d = try RandomInterceptReferenceTests.load(name)
            for method in [VarianceEstimation.reml, .ml] {
                let clock = ContinuousClock()
                var fit: RandomInterceptFit<Int>?
                var best = Duration.seconds(100)
                for _ in 0..<5 {
                    let t = clock.measure { fit = try? RandomInterceptModel.fit(y: d.y, columns: d.x, groups: d.groups, method: method) }
                    best = min(best, t)
                }
                let f = try #require(fit)
                let p = RandomInterceptReferenceTests.pair(d.fixture, method)
                for (label, r) in [("statsmodels", p.statsmodels), ("exact", p.exact)] {
                    let reAbs = zip(f.groups, zip(r.random_effects, r.random_effects_var)).map { abs($0.estimate - $1.0) / $1.1.squareRoot() }.max()!
                    let reVar = maxRelDiff(f.groups.map { $0.sd * $0.sd }, r.random_effects_var)
                    print("""
                        [agreement] \(name) \(method.rawValue) vs \(label): fe \(sci(maxRelDiff(f.fixed, r.fe_params))) \
                        se \(sci(maxRelDiff(f.fixedSE, r.bse_fe))) tau2 \(sci(relDiff(f.groupVariance, r.cov_re))) \
                        sigma2 \(sci(relDiff(f.residualVariance, r.scale))) llf \(f.logLikelihood) - \(r.llf) = \(sci(f.logLikelihood - r.llf)) \
                        blup/sd \(sci(reAbs)) condvar \(sci(reVar))
                        """)
                }
                print("[timing] \(name) \(method.rawValue): best of 5 \(best) (\(f.evaluations) evaluations)")
                #expect(f.groups.count > 1)
            }
        }
    }

    /// Chem97 (31,022 students, 2,410 schools) is not committed; when the CSV written by
    /// `make_fixtures.py --chem97 /tmp/chem97.csv` exists, time a fit on it.
    @Test func chem97Timing() throws {
        let path = ProcessInfo.processInfo.environment["OPORA_CHEM97_CSV"] ?? "/tmp/chem97.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        let d = try Fixtures.parseCSV(text)
        let y = d["score"]!, x = d["gcsecnt"]!, g = d["school"]!.map { Int($0) }
        let clock = ContinuousClock()
        var fit: RandomInterceptFit<Int>?
        var best = Duration.seconds(100)
        for _ in 0..<5 {
            let t = clock.measure { fit = try? RandomInterceptModel.fit(y: y, columns: [x], groups: g) }
            best = min(best, t)
        }
        let f = try #require(fit)
        print("[timing] chem97 reml: best of 5 \(best); beta \(f.fixed) tau2 \(f.groupVariance) sigma2 \(f.residualVariance) llf \(f.logLikelihood) groups \(f.groups.count)")
        #expect(f.groups.count == 2410)
    }
}

private func sci(_ v: Double) -> String { String(format: "%.2e", v) }
