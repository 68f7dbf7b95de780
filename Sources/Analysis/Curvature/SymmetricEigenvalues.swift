import Foundation

/// Eigenvalues of real symmetric matrices.
public enum SymmetricEigenvalues {
    /// Closed form for [[a, b], [b, c]], ascending; written to avoid cancellation in the small root.
    public static func twoByTwo(_ a: Double, _ b: Double, _ c: Double) -> (smallest: Double, largest: Double) {
        let mean = (a + c) / 2
        let radius = hypot((a - c) / 2, b)
        let largest = mean + radius
        // λ_small · λ_large = ac − b²: dividing avoids subtracting nearly equal numbers.
        let determinant = a * c - b * b
        let smallest = (mean > 0 && largest != 0) ? determinant / largest : mean - radius
        return (smallest, largest)
    }

    /// All eigenvalues of an n × n symmetric matrix (row-major), ascending, by cyclic Jacobi
    /// rotations: slow (O(n³) per sweep) but simple and accurate; the reference for small cases.
    public static func jacobi(_ matrix: [Double], size n: Int, tolerance: Double = 1e-12, maxSweeps: Int = 100) -> [Double] {
        precondition(matrix.count == n * n, "matrix must be \(n)×\(n)")
        var a = matrix
        for _ in 0..<maxSweeps {
            var offDiagonal = 0.0
            for p in 0..<n { for q in (p + 1)..<max(p + 1, n) { offDiagonal += a[p * n + q] * a[p * n + q] } }
            var diagonal = 0.0
            for p in 0..<n { diagonal += a[p * n + p] * a[p * n + p] }
            if offDiagonal <= tolerance * tolerance * max(diagonal, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p * n + q] != 0 {
                    let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + sqrt(theta * theta + 1))
                    let c = 1 / sqrt(t * t + 1)
                    let s = t * c
                    for k in 0..<n {
                        let akp = a[k * n + p], akq = a[k * n + q]
                        a[k * n + p] = c * akp - s * akq
                        a[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p * n + k], aqk = a[q * n + k]
                        a[p * n + k] = c * apk - s * aqk
                        a[q * n + k] = s * apk + c * aqk
                    }
                }
            }
        }
        return (0..<n).map { a[$0 * n + $0] }.sorted()
    }
}
