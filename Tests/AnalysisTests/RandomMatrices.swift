@testable import Analysis
import Foundation

/// Random test matrices, row-major.
enum RandomMatrices {
    /// (G + Gᵀ)/2 for Gaussian G: a symmetric matrix with eigenvalues of both signs.
    static func symmetric(size n: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let g = (0..<(n * n)).map { _ in generator.nextGaussian() }
        var a = [Double](repeating: 0, count: n * n)
        for r in 0..<n { for c in 0..<n { a[r * n + c] = 0.5 * (g[r * n + c] + g[c * n + r]) } }
        return a
    }

    /// GᵀG/n + shift·I: symmetric positive definite.
    static func positiveDefinite(size n: Int, seed: UInt64, shift: Double = 0.1) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let g = (0..<(n * n)).map { _ in generator.nextGaussian() }
        var a = [Double](repeating: 0, count: n * n)
        for r in 0..<n {
            for c in 0..<n {
                var sum = 0.0
                for k in 0..<n { sum += g[k * n + r] * g[k * n + c] }
                a[r * n + c] = sum / Double(n) + (r == c ? shift : 0)
            }
        }
        return a
    }

    /// v ↦ A v.
    static func multiplier(_ a: [Double], size n: Int) -> ([Double]) -> [Double] {
        { v in
            var product = [Double](repeating: 0, count: n)
            a.withUnsafeBufferPointer { matrix in
                v.withUnsafeBufferPointer { vector in
                    for r in 0..<n {
                        var sum = 0.0
                        for c in 0..<n { sum += matrix[r * n + c] * vector[c] }
                        product[r] = sum
                    }
                }
            }
            return product
        }
    }
}

/// L(θ) = ½ θᵀAθ + bᵀθ + ¼ Σ θᵢ⁴ (the quartic makes the Hessian depend on θ): a test objective with
/// Hessian A + diag(3θᵢ²).
struct QuadraticPlusQuarticObjective: DifferentiableObjective {
    let matrix: [Double]
    let linear: [Double]
    var parameterCount: Int { linear.count }

    func value(_ parameters: [Double]) -> Double { valueAndGradient(parameters).value }

    func valueAndGradient(_ parameters: [Double]) -> (value: Double, gradient: [Double]) {
        let n = parameterCount
        var gradient = linear
        var value = 0.0
        for r in 0..<n {
            var row = 0.0
            for c in 0..<n { row += matrix[r * n + c] * parameters[c] }
            let x = parameters[r]
            let quadratic: Double = 0.5 * x * row + linear[r] * x
            value += quadratic + 0.25 * x * x * x * x
            gradient[r] += row + x * x * x
        }
        return (value, gradient)
    }

    func exactHessian(_ parameters: [Double]) -> [Double] {
        let n = parameterCount
        var hessian = matrix
        for i in 0..<n { hessian[i * n + i] += 3 * parameters[i] * parameters[i] }
        return hessian
    }
}
