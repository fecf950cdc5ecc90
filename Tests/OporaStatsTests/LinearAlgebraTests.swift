import Foundation
import Testing
@testable import OporaStats

@Suite struct LinearAlgebraTests {
    @Test func choleskySolvesAndInverts() throws {
        let a = try Matrix(rows: [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]])
        let ch = try Cholesky(a)
        let x = ch.solve([1, 2, 3])
        let back = a * x
        for (u, v) in zip(back, [1.0, 2, 3]) { #expect(abs(u - v) < 1e-14) }
        let prod = a * ch.inverse()
        for i in 0..<3 { for j in 0..<3 { #expect(abs(prod[i, j] - (i == j ? 1 : 0)) < 1e-14) } }
        // det = 4*(15-1) - 2*(6-0.4) + 0.4*(2-2) = 44.8
        #expect(abs(ch.logDeterminant - log(44.8)) < 1e-13)
    }

    @Test func choleskyRejectsIndefinite() throws {
        let a = try Matrix(rows: [[1, 2], [2, 1]])
        #expect(throws: StatsError.notPositiveDefinite) { try Cholesky(a) }
    }

    @Test func matrixShapes() throws {
        let m = try Matrix(columns: [[1, 2, 3], [4, 5, 6]])
        #expect(m.rows == 3 && m.cols == 2 && m[2, 1] == 6)
        #expect(m.transposed.row(1) == [4, 5, 6])
        #expect(throws: StatsError.self) { try Matrix(columns: [[1, 2], [3]]) }
    }
}
