import Foundation
import Testing
@testable import OporaStats

/// Against scripts/reference/make_skewed_normal_score.py (numpy for the formula, scipy's pearson3
/// and binom for what it approximates).
@Suite struct SkewedNormalScoreTests {
    struct FormulaCase: Decodable { var w: Double; var g: Double; var z: Double }
    struct PearsonCase: Decodable { var w: Double; var g: Double; var sf: Double }
    struct BinomialCase: Decodable { var n: Int; var p: Double; var x: Int; var mean: Double; var variance: Double; var k3: Double; var mid_p: Double }
    struct File: Decodable { var formula: [FormulaCase]; var pearson3: [PearsonCase]; var binomial: [BinomialCase] }

    @Test func reproducesTheFormula() throws {
        for c in try Fixtures.json("skewed_normal_score", as: File.self).formula {
            #expect(abs(SkewedNormalScore.z(c.w, skewness: c.g) - c.z) <= 1e-12 * max(1, abs(c.z)), "\(c)")
        }
    }

    @Test("the normal tail of the score is the Pearson type III tail within Wilson–Hilferty's accuracy")
    func approximatesPearsonTypeIII() throws {
        for c in try Fixtures.json("skewed_normal_score", as: File.self).pearson3 {
            let ratio = Normal.sf(SkewedNormalScore.z(c.w, skewness: c.g)) / c.sf
            #expect(ratio > 1 / 1.7 && ratio < 1.7, "\(c): \(ratio)")
        }
    }

    @Test("binomial tails: close to the exact mid-p where the plain normal is far off")
    func binomialTails() throws {
        var plainWorst = 1.0
        for c in try Fixtures.json("skewed_normal_score", as: File.self).binomial {
            let sd = c.variance.squareRoot(), w = (Double(c.x) - c.mean) / sd
            let corrected = Normal.sf(SkewedNormalScore.z(w, skewness: c.k3 / (c.variance * sd))) / c.mid_p
            let plain = Normal.sf(w) / c.mid_p
            #expect(corrected > 0.75 && corrected < 2.2, "\(c): \(corrected)")
            plainWorst = max(plainWorst, plain, 1 / plain)
        }
        #expect(plainWorst > 30) // the fixture does test the tails the correction is for
    }

    @Test("increasing in w for any skewness, and w itself without skewness")
    func monotone() {
        for g in [-2.0, -0.5, 0, 0.2, 1, 4] {
            let ws = stride(from: -12.0, through: 12, by: 0.25).map { $0 }
            let zs = ws.map { SkewedNormalScore.z($0, skewness: g) }
            #expect(zip(zs, zs.dropFirst()).allSatisfy { $0 < $1 }, "g = \(g)")
        }
        #expect(SkewedNormalScore.z(2.5, skewness: 0) == 2.5)
        #expect(abs(SkewedNormalScore.z(2.5, skewness: 1e-4) - 2.5) < 1e-3)
    }
}
