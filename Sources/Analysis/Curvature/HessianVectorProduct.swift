import Foundation

/// The Hessian-vector product H(θ) v by central differences of the gradient:
/// ```
/// H v ≈ (∇L(θ + h v) − ∇L(θ − h v)) / (2h),     h = relativeStep · (1 + ‖θ‖) / ‖v‖
/// ```
/// Scaling h by ‖θ‖ and ‖v‖ makes the actual displacement `h v` a fixed fraction of the
/// parameters' size whatever v's length, balancing the O(h²) truncation error against the
/// O(ε/h) rounding error; the default 1e-5 is close to the optimum ε^(1/3) for doubles.
/// Costs two gradient evaluations.
///
/// - Parameters:
///   - objective: any ``DifferentiableObjective``.
///   - point: θ.
///   - vector: v (need not be normalised; the zero vector gives zeros).
///   - relativeStep: the displacement ‖h v‖ as a fraction of (1 + ‖θ‖).
public func hessianVectorProduct<Objective: DifferentiableObjective>(
    _ objective: Objective, at point: [Double], vector: [Double], relativeStep: Double = 1e-5
) -> [Double] {
    precondition(point.count == objective.parameterCount && vector.count == point.count,
                 "point and vector must both have \(objective.parameterCount) entries")
    let vectorNorm = euclideanNorm(vector)
    guard vectorNorm > 0 else { return [Double](repeating: 0, count: point.count) }
    let step = relativeStep * (1 + euclideanNorm(point)) / vectorNorm
    var plus = point, minus = point
    for i in point.indices {
        plus[i] += step * vector[i]
        minus[i] -= step * vector[i]
    }
    let gradientPlus = objective.valueAndGradient(plus).gradient
    let gradientMinus = objective.valueAndGradient(minus).gradient
    let scale = 1 / (2 * step)
    return (0..<point.count).map { (gradientPlus[$0] - gradientMinus[$0]) * scale }
}

/// The linear operator v ↦ H(θ) v at a fixed θ, ready for ``LanczosTridiagonal`` and
/// ``hutchinsonTrace(dimension:samples:seed:applying:)``.
public func hessianOperator<Objective: DifferentiableObjective>(
    _ objective: Objective, at point: [Double], relativeStep: Double = 1e-5
) -> ([Double]) -> [Double] {
    { vector in hessianVectorProduct(objective, at: point, vector: vector, relativeStep: relativeStep) }
}

/// The dense n × n Hessian (row-major) from n Hessian-vector products with the unit vectors
/// eᵢ, symmetrised as ½(H + Hᵀ) to remove the finite-difference asymmetry. 2n gradient
/// evaluations and n² storage: for small models (a few thousand parameters at most).
public func denseHessian<Objective: DifferentiableObjective>(
    _ objective: Objective, at point: [Double], relativeStep: Double = 1e-5
) -> [Double] {
    let n = objective.parameterCount
    var columns = [Double](repeating: 0, count: n * n)   // column i stored as row i, i.e. Hᵀ
    var unit = [Double](repeating: 0, count: n)
    for i in 0..<n {
        unit[i] = 1
        let column = hessianVectorProduct(objective, at: point, vector: unit, relativeStep: relativeStep)
        unit[i] = 0
        for r in 0..<n { columns[i * n + r] = column[r] }
    }
    var hessian = [Double](repeating: 0, count: n * n)
    for r in 0..<n {
        for c in 0..<n { hessian[r * n + c] = 0.5 * (columns[r * n + c] + columns[c * n + r]) }
    }
    return hessian
}

/// ‖x‖₂.
@inline(__always)
func euclideanNorm(_ x: [Double]) -> Double {
    sqrt(dot(x, x))
}

/// xᵀy.
@inline(__always)
func dot(_ x: [Double], _ y: [Double]) -> Double {
    x.withUnsafeBufferPointer { a in
        y.withUnsafeBufferPointer { b in
            var sum = 0.0
            for i in 0..<min(a.count, b.count) { sum += a[i] * b[i] }
            return sum
        }
    }
}
