import Testing
@testable import OporaStats

@Suite("Student's t")
struct StudentTTests {
    /// scipy.stats.t.ppf(0.975, df) and t.cdf(1.5, df) (scipy 1.x), to 12 digits.
    static let reference: [(df: Double, q975: Double, cdf15: Double)] = [
        (1, 12.706204736174694, 0.8128329581890011), (2, 4.302652729749462, 0.8638034375544994),
        (5, 2.5705818356363146, 0.9030481598787634), (10, 2.228138851986274, 0.9177463367772799),
        (30, 2.0422724563012378, 0.927967035435677), (100, 1.9839715185235518, 0.9316174709376556),
    ]

    @Test func matchesSciPy() {
        for r in Self.reference {
            #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: r.df) - r.q975) < 1e-9 * r.q975, "df \(r.df)")
            #expect(abs(StudentT.cdf(1.5, degreesOfFreedom: r.df) - r.cdf15) < 1e-12, "df \(r.df)")
            #expect(abs(StudentT.quantile(0.025, degreesOfFreedom: r.df) + r.q975) < 1e-9 * r.q975)
        }
    }
}
