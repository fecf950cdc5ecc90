import Foundation

/// Corrections for testing many hypotheses at once (e.g. one test per school).
public enum MultipleTesting {
    /// Benjamini–Hochberg adjusted p-values (q-values), in the order of the input.
    ///
    /// q_(i) = min_{j ≥ i} min(1, m p_(j) / j) over the sorted p-values; flagging the tests with
    /// q ≤ α controls the false discovery rate at α (for independent or positively dependent tests).
    /// Matches statsmodels' `multipletests(method="fdr_bh")`.
    /// - Throws: `StatsError.invalidArgument` for a p-value outside [0, 1] or NaN.
    public static func benjaminiHochberg(_ p: [Double]) throws -> [Double] {
        for v in p where !(v >= 0 && v <= 1) {
            throw StatsError.invalidArgument("p-value \(v) outside [0, 1]")
        }
        let m = p.count
        guard m > 0 else { return [] }
        let order = p.indices.sorted { p[$0] < p[$1] }
        var q = [Double](repeating: 0, count: m)
        var running = 1.0
        for rank in stride(from: m, through: 1, by: -1) {
            let i = order[rank - 1]
            running = min(running, p[i] * Double(m) / Double(rank))
            q[i] = running
        }
        return q
    }

    /// Benjamini–Hochberg over the present p-values only: a missing test (`nil`, e.g. a school
    /// with too little data) is not counted in m and gets a `nil` q-value.
    public static func benjaminiHochberg(_ p: [Double?]) throws -> [Double?] {
        let idx = p.indices.filter { p[$0] != nil }
        let q = try benjaminiHochberg(idx.map { p[$0]! })
        var out = [Double?](repeating: nil, count: p.count)
        for (k, i) in idx.enumerated() { out[i] = q[k] }
        return out
    }
}
