import Foundation
import Testing
@testable import OporaStats

/// Loading of the reference fixtures written by scripts/reference/make_fixtures.py.
enum Fixtures {
    static func url(_ name: String, _ ext: String) throws -> URL {
        guard let u = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures") else {
            throw FixtureError.missing("\(name).\(ext)")
        }
        return u
    }

    static func json<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: url(name, "json")))
    }

    /// A numeric CSV with a header row: columns by name.
    static func csv(_ name: String) throws -> [String: [Double]] {
        try parseCSV(String(contentsOf: url(name, "csv"), encoding: .utf8))
    }

    static func parseCSV(_ text: String) throws -> [String: [Double]] {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { throw FixtureError.malformed("empty csv") }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var cols = [[Double]](repeating: [], count: header.count)
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count else { throw FixtureError.malformed(line) }
            for (j, v) in f.enumerated() {
                guard let d = Double(v) else { throw FixtureError.malformed(String(v)) }
                cols[j].append(d)
            }
        }
        return Dictionary(uniqueKeysWithValues: zip(header, cols))
    }
}

enum FixtureError: Error { case missing(String), malformed(String) }

/// |a − b| / |b| (or |a − b| when b is 0).
func relDiff(_ a: Double, _ b: Double) -> Double {
    b == 0 ? abs(a) : abs(a - b) / abs(b)
}

func maxRelDiff(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    return zip(a, b).map { relDiff($0, $1) }.max() ?? 0
}

// MARK: - Decodable shapes of the fixtures

struct MixedFixture: Decodable {
    struct Result: Decodable {
        let fe_params: [Double]
        let bse_fe: [Double]
        let scale: Double
        let cov_re: Double
        let llf: Double
        let group_labels: [String]
        let random_effects: [Double]
        let random_effects_var: [Double]
        let method: String?
        let shrinkage: [Double]?
        let group_n: [Int]?
    }
    struct Pair: Decodable { let statsmodels: Result; let exact: Result }
    let dataset: String
    let csv: String
    let y: String
    let x: [String]
    let group: String
    let reml: Pair
    let ml: Pair
}

struct OLSFixture: Decodable {
    struct Result: Decodable {
        let params: [Double]
        let bse: [Double]
        let rsquared: Double
        let scale: Double
        let df_resid: Double
        let resid_head: [Double]
        let fitted_head: [Double]
    }
    let y: String
    let x: [String]
    let weights: String
    let ols: Result
    let wls: Result
    let ols_no_intercept: Result
}

struct HelpersFixture: Decodable {
    struct Wilson: Decodable { let k: Int; let n: Int; let alpha: Double; let z: Double; let lower: Double; let upper: Double }
    struct Quantile: Decodable { let values: [Double]; let probs: [Double]; let expected: [Double]; let mean: Double; let var_ddof1: Double; let var_ddof0: Double }
    struct BH: Decodable { let p: [Double]; let q: [Double] }
    struct Ppf: Decodable { let p: [Double]; let x: [Double] }
    struct Cdf: Decodable { let x: [Double]; let cdf: [Double]; let sf: [Double] }
    struct Binom: Decodable { let k: Int; let n: Int; let p: Double; let sf_ge: Double; let cdf_le: Double }
    struct Pois: Decodable { let k: Int; let lambda: Double; let sf_ge: Double; let cdf_le: Double }
    struct Chi2: Decodable { let x: Double; let df: Double; let sf: Double }
    struct Cont: Decodable { let table: [[Double]]; let chi2: Double; let chi2_p: Double; let df: Int; let g: Double; let g_p: Double }
    struct Pearson: Decodable { let x: [Double]; let y: [Double]; let r: Double }
    let wilson: [Wilson]
    let quantile: Quantile
    let bh: BH
    let norm_ppf: Ppf
    let norm_cdf: Cdf
    let binomial: [Binom]
    let poisson: [Pois]
    let chi2_sf: [Chi2]
    let contingency: Cont
    let pearson: Pearson
}
