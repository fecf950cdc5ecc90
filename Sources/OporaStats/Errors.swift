/// Errors thrown by the OporaStats routines.
public enum StatsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Input arrays or matrices have incompatible sizes.
    case dimensionMismatch(String)
    /// Too few observations (or groups) for the requested computation.
    case notEnoughData(String)
    /// An argument is out of its domain (NaN, infinite, negative weight, probability outside [0, 1], ...).
    case invalidArgument(String)
    /// A matrix that must be symmetric positive definite is not (numerically).
    case notPositiveDefinite
    /// A design matrix is rank deficient: `column` (0-based, in the design including any intercept
    /// column, which is column 0) is a linear combination of the columns before it.
    case collinear(column: Int)

    public var description: String {
        switch self {
        case .dimensionMismatch(let s): return "dimension mismatch: \(s)"
        case .notEnoughData(let s): return "not enough data: \(s)"
        case .invalidArgument(let s): return "invalid argument: \(s)"
        case .notPositiveDefinite: return "matrix is not positive definite"
        case .collinear(let c): return "design matrix is rank deficient: column \(c) is collinear with the previous columns"
        }
    }
}
