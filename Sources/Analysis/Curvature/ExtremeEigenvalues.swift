import Foundation

/// The k largest and k smallest eigenvalues of a symmetric operator, estimated by Lanczos.
public struct ExtremeEigenvalues: Codable {
    /// λ_max, λ_2, …, descending.
    public var largest: [Double]
    /// λ_min, …, ascending (the most negative curvature first).
    public var smallest: [Double]
    /// Number of operator applications (Lanczos steps) used.
    public var steps: Int
}

/// The `count` largest and smallest eigenvalues of a symmetric operator by ``LanczosTridiagonal``
/// from a seeded Gaussian start. The extreme Ritz values converge first; the default
/// `steps = min(n, max(40, 6·count))` is ample for well-separated extremes, and `steps = n` makes
/// the answer exact up to rounding.
///
/// For a Hessian: `extremeEigenvalues(count: 3, dimension: n, applying: hessianOperator(objective, at: θ))`;
/// `smallest[0] < 0` is a certificate that θ is not a local minimum and the loss is not convex.
public func extremeEigenvalues(count: Int, dimension: Int, steps: Int? = nil, seed: UInt64 = 0,
                               applying applyOperator: ([Double]) -> [Double]) -> ExtremeEigenvalues {
    precondition(count > 0 && dimension > 0, "count and dimension must be positive")
    let steps = min(dimension, steps ?? max(40, 6 * count))
    var generator = SeededGenerator(seed: seed)
    let start = (0..<dimension).map { _ in generator.nextGaussian() }
    let tridiagonal = LanczosTridiagonal(dimension: dimension, steps: steps, startVector: start,
                                         seed: seed &+ 1, applying: applyOperator)
    let ritz = tridiagonal.ritzValues
    let k = min(count, ritz.count)
    return ExtremeEigenvalues(largest: Array(ritz.suffix(k).reversed()), smallest: Array(ritz.prefix(k)), steps: steps)
}

/// λ_min of the Hessian at θ by Lanczos on finite-difference Hessian-vector products.
public func smallestHessianEigenvalue<Objective: DifferentiableObjective>(
    _ objective: Objective, at point: [Double], steps: Int? = nil, seed: UInt64 = 0
) -> Double {
    extremeEigenvalues(count: 1, dimension: objective.parameterCount, steps: steps, seed: seed,
                       applying: hessianOperator(objective, at: point)).smallest[0]
}

/// λ_max of the Hessian at θ (the sharpness) by Lanczos on finite-difference Hessian-vector products.
public func largestHessianEigenvalue<Objective: DifferentiableObjective>(
    _ objective: Objective, at point: [Double], steps: Int? = nil, seed: UInt64 = 0
) -> Double {
    extremeEigenvalues(count: 1, dimension: objective.parameterCount, steps: steps, seed: seed,
                       applying: hessianOperator(objective, at: point)).largest[0]
}
