import Foundation
import OporaStats

extension SignStats {
    /// The school z-scores of a sign under the random-effects empirical null. For every component
    /// k of the sign (e.g. score_heaping's local ratio and mass), the schools' score statistics
    /// (u, v) are standardised as z = (u − μ·v)/√(v + τ²·v²), with μ and τ² fitted across the schools
    /// (`RandomEffectsNull`): between-school variation that is not the practice looked for is allowed
    /// to grow with the school's information, so a large school is not flagged for a small difference
    /// that only its size makes significant, and a small school is not penalised for the spread of the
    /// large ones (as one scale for all schools does). Components are combined by Stouffer's sum.
    /// A skewed component (counts of rare events in a small school) is first brought to its normal
    /// score (`SkewedNormalScore`) on the u scale, so that a small school's long right tail does not
    /// pass for evidence. Tests without components keep their own z.
    static func calibrated(_ tests: [NonObjective.SchoolTest]) -> [Double] {
        // The components taken out once: reading `tests[i].parts` in the filters copied the whole
        // test (its school, procedures, components and sentence builder) at every access.
        let parts = tests.map { $0.parts.map { c -> (u: Double, v: Double) in
            guard c.k3 != 0, c.v > 0 else { return (c.u, c.v) }
            let sd = c.v.squareRoot()
            return (SkewedNormalScore.z(c.u / sd, skewness: c.k3 / (c.v * sd)) * sd, c.v)
        } }
        let k = parts.map { $0.count }.max() ?? 0
        guard k > 0 else { return tests.map { $0.z } }
        var sum = [Double](repeating: 0, count: tests.count), count = [Int](repeating: 0, count: tests.count)
        for j in 0..<k {
            let idx = parts.indices.filter {
                parts[$0].count > j && parts[$0][j].v > 0 && parts[$0][j].u.isFinite && parts[$0][j].v.isFinite
            }
            guard idx.count >= 10, let fit = try? RandomEffectsNull.fit(u: idx.map { parts[$0][j].u }, v: idx.map { parts[$0][j].v })
            else {
                for i in idx { sum[i] += parts[i][j].u / parts[i][j].v.squareRoot(); count[i] += 1 }
                continue
            }
            for (m, i) in idx.enumerated() { sum[i] += fit.z[m]; count[i] += 1 }
        }
        return tests.indices.map { count[$0] > 0 ? sum[$0] / Double(count[$0]).squareRoot() : tests[$0].z }
    }
}
