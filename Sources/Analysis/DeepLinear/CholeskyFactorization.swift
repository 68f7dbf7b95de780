import Foundation

/// A = L Lᵀ for symmetric positive definite A, for solving the least-squares normal equations.
public struct CholeskyFactorization {
    /// n.
    public let size: Int
    /// L, lower triangular, row-major n × n.
    public let lower: [Double]

    /// Factorises A (n × n, row-major); nil when A is not numerically positive definite.
    public init?(_ matrix: [Double], size n: Int) {
        precondition(matrix.count == n * n, "matrix must be \(n)×\(n)")
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var diagonal = matrix[j * n + j]
            for k in 0..<j { diagonal -= l[j * n + k] * l[j * n + k] }
            guard diagonal > 0 else { return nil }
            let pivot = sqrt(diagonal)
            l[j * n + j] = pivot
            for i in (j + 1)..<max(j + 1, n) {
                var sum = matrix[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = sum / pivot
            }
        }
        size = n
        lower = l
    }

    /// X with A X = B, for B n × columns (row-major): forward then back substitution per column.
    public func solve(_ rightHandSide: [Double], columns: Int) -> [Double] {
        let n = size
        precondition(rightHandSide.count == n * columns, "right-hand side must be \(n) × \(columns)")
        var x = rightHandSide
        for column in 0..<columns {
            for i in 0..<n {                       // L y = b
                var sum = x[i * columns + column]
                for k in 0..<i { sum -= lower[i * n + k] * x[k * columns + column] }
                x[i * columns + column] = sum / lower[i * n + i]
            }
            for i in stride(from: n - 1, through: 0, by: -1) {   // Lᵀ x = y
                var sum = x[i * columns + column]
                for k in (i + 1)..<max(i + 1, n) { sum -= lower[k * n + i] * x[k * columns + column] }
                x[i * columns + column] = sum / lower[i * n + i]
            }
        }
        return x
    }
}
