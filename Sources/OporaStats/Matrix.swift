import Foundation

/// A small dense matrix of `Double`, stored column-major.
///
/// Only what the models in this module need: construction, element access, products,
/// transposition, Cholesky factorisation and solves. Written by hand (no LAPACK).
public struct Matrix: Sendable, Equatable, CustomStringConvertible {
    public let rows: Int
    public let cols: Int
    /// Elements in column-major order: element (i, j) is `storage[j * rows + i]`.
    public var storage: [Double]

    public init(rows: Int, cols: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && cols >= 0)
        self.rows = rows
        self.cols = cols
        self.storage = Array(repeating: value, count: rows * cols)
    }

    /// Creates a matrix from column-major storage.
    public init(rows: Int, cols: Int, columnMajor: [Double]) throws {
        guard columnMajor.count == rows * cols else {
            throw StatsError.dimensionMismatch("expected \(rows * cols) elements, got \(columnMajor.count)")
        }
        self.rows = rows
        self.cols = cols
        self.storage = columnMajor
    }

    /// Creates a matrix from its columns (all of the same length).
    public init(columns: [[Double]]) throws {
        let r = columns.first?.count ?? 0
        for (j, c) in columns.enumerated() where c.count != r {
            throw StatsError.dimensionMismatch("column \(j) has \(c.count) elements, column 0 has \(r)")
        }
        self.rows = r
        self.cols = columns.count
        self.storage = columns.flatMap { $0 }
    }

    /// Creates a matrix from its rows (all of the same length).
    public init(rows rowArrays: [[Double]]) throws {
        let c = rowArrays.first?.count ?? 0
        for (i, r) in rowArrays.enumerated() where r.count != c {
            throw StatsError.dimensionMismatch("row \(i) has \(r.count) elements, row 0 has \(c)")
        }
        self.rows = rowArrays.count
        self.cols = c
        var s = [Double](repeating: 0, count: rows * c)
        for i in 0..<rows { for j in 0..<c { s[j * rows + i] = rowArrays[i][j] } }
        self.storage = s
    }

    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { storage[j * rows + i] }
        set { storage[j * rows + i] = newValue }
    }

    public func column(_ j: Int) -> [Double] { Array(storage[(j * rows)..<((j + 1) * rows)]) }
    public func row(_ i: Int) -> [Double] { (0..<cols).map { self[i, $0] } }
    public var diagonal: [Double] { (0..<min(rows, cols)).map { self[$0, $0] } }

    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for j in 0..<cols { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }

    public static func * (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.cols == b.rows, "matrix product: \(a.rows)x\(a.cols) * \(b.rows)x\(b.cols)")
        var c = Matrix(rows: a.rows, cols: b.cols)
        for j in 0..<b.cols {
            for k in 0..<a.cols {
                let bkj = b[k, j]
                if bkj == 0 { continue }
                for i in 0..<a.rows { c.storage[j * a.rows + i] += a.storage[k * a.rows + i] * bkj }
            }
        }
        return c
    }

    public static func * (a: Matrix, v: [Double]) -> [Double] {
        precondition(a.cols == v.count)
        var out = [Double](repeating: 0, count: a.rows)
        for k in 0..<a.cols {
            let vk = v[k]
            for i in 0..<a.rows { out[i] += a.storage[k * a.rows + i] * vk }
        }
        return out
    }

    public var description: String {
        (0..<rows).map { i in (0..<cols).map { String(self[i, $0]) }.joined(separator: " ") }.joined(separator: "\n")
    }
}

/// Cholesky factorisation A = L Lᵀ of a symmetric positive definite matrix.
public struct Cholesky: Sendable {
    /// The lower-triangular factor.
    public let lower: Matrix

    /// Factorises `a` (only its lower triangle is read).
    /// - Throws: `StatsError.notPositiveDefinite` when a pivot is not positive, or is tiny relative
    ///   to the corresponding diagonal element (relative tolerance `relativeTolerance`).
    public init(_ a: Matrix, relativeTolerance: Double = 1e-13) throws {
        guard a.rows == a.cols else { throw StatsError.dimensionMismatch("Cholesky needs a square matrix") }
        let n = a.rows
        var l = a
        for j in 0..<n {
            var d = l[j, j]
            for k in 0..<j { d -= l[j, k] * l[j, k] }
            if !(d > relativeTolerance * abs(a[j, j])) || !d.isFinite { throw StatsError.notPositiveDefinite }
            let ljj = d.squareRoot()
            l[j, j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = l[i, j]
                for k in 0..<j { s -= l[i, k] * l[j, k] }
                l[i, j] = s / ljj
            }
            for i in 0..<j { l[i, j] = 0 }
        }
        self.lower = l
    }

    /// log det A = 2 Σ log L_ii.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<lower.rows { s += log(lower[i, i]) }
        return 2 * s
    }

    /// Solves A x = b.
    public func solve(_ b: [Double]) -> [Double] {
        let n = lower.rows
        precondition(b.count == n)
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= lower[i, k] * y[k] }
            y[i] = s / lower[i, i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<max(n, i + 1) { s -= lower[k, i] * y[k] }
            y[i] = s / lower[i, i]
        }
        return y
    }

    /// A⁻¹.
    public func inverse() -> Matrix {
        let n = lower.rows
        var inv = Matrix(rows: n, cols: n)
        for j in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[j] = 1
            let x = solve(e)
            for i in 0..<n { inv[i, j] = x[i] }
        }
        return inv
    }
}
