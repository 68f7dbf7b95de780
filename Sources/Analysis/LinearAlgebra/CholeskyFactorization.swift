import Foundation

/// A = L Lᵀ for a symmetric positive definite n × n matrix (row-major), with the triangular
/// solves a Gaussian process needs.
///
/// Kernel matrices of nearby points are numerically singular, so factorisation retries with a
/// growing diagonal jitter (10⁻¹⁰, 10⁻⁹, … times the mean diagonal, up to `maximumRelativeJitter`);
/// the jitter actually added is kept in ``jitter``. (Rasmussen & Williams 2006, Algorithm 2.1 and
/// Appendix A.4.)
public struct CholeskyFactorization: Sendable {
    public let size: Int
    /// L, row-major, zero above the diagonal.
    public let lower: [Double]
    /// What was added to the diagonal to make the factorisation succeed (0 if nothing was).
    public let jitter: Double

    /// Nil if the matrix is not positive definite even with the largest jitter.
    public init?(_ matrix: [Double], size n: Int, maximumRelativeJitter: Double = 1e-4) {
        precondition(matrix.count == n * n, "matrix must be \(n)×\(n)")
        if let lower = CholeskyFactorization.factor(matrix, size: n, jitter: 0) {
            (self.size, self.lower, self.jitter) = (n, lower, 0)
            return
        }
        let meanDiagonal = max((0..<n).reduce(0) { $0 + abs(matrix[$1 * n + $1]) } / Double(max(n, 1)), 1e-300)
        var relative = 1e-10
        while relative <= maximumRelativeJitter * (1 + 1e-9) {
            if let lower = CholeskyFactorization.factor(matrix, size: n, jitter: relative * meanDiagonal) {
                (self.size, self.lower, self.jitter) = (n, lower, relative * meanDiagonal)
                return
            }
            relative *= 10
        }
        return nil
    }

    /// Cholesky–Banachiewicz, row by row; nil at the first non-positive pivot.
    private static func factor(_ a: [Double], size n: Int, jitter: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = a[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    sum += jitter
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        return l
    }

    /// x with L x = b (forward substitution).
    public func solveLower(_ b: [Double]) -> [Double] {
        precondition(b.count == size)
        var x = b
        for i in 0..<size {
            var sum = x[i]
            for k in 0..<i { sum -= lower[i * size + k] * x[k] }
            x[i] = sum / lower[i * size + i]
        }
        return x
    }

    /// x with Lᵀ x = b (back substitution).
    public func solveUpper(_ b: [Double]) -> [Double] {
        precondition(b.count == size)
        var x = b
        for i in stride(from: size - 1, through: 0, by: -1) {
            var sum = x[i]
            for k in (i + 1)..<max(i + 1, size) { sum -= lower[k * size + i] * x[k] }
            x[i] = sum / lower[i * size + i]
        }
        return x
    }

    /// x with A x = b.
    public func solve(_ b: [Double]) -> [Double] {
        solveUpper(solveLower(b))
    }

    /// log det A = 2 Σ log Lᵢᵢ.
    public var logDeterminant: Double {
        2 * (0..<size).reduce(0) { $0 + log(lower[$1 * size + $1]) }
    }

    /// A⁻¹ (row-major), column by column; O(n³), for the likelihood gradient.
    public func inverse() -> [Double] {
        var result = [Double](repeating: 0, count: size * size)
        for column in 0..<size {
            var unit = [Double](repeating: 0, count: size)
            unit[column] = 1
            let x = solve(unit)
            for row in 0..<size { result[row * size + column] = x[row] }
        }
        return result
    }
}

extension CholeskyFactorization {
    /// Solves A X = B for a right-hand side with several columns (B row-major, size × columns).
    public func solve(_ rightHandSide: [Double], columns: Int) -> [Double] {
        precondition(rightHandSide.count == size * columns, "right-hand side must be \(size)×\(columns)")
        var solution = [Double](repeating: 0, count: size * columns)
        for column in 0..<columns {
            let x = solve((0..<size).map { rightHandSide[$0 * columns + column] })
            for row in 0..<size { solution[row * columns + column] = x[row] }
        }
        return solution
    }
}
