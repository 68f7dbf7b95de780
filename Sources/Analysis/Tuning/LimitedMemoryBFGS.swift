import Foundation

/// Unconstrained minimisation by limited-memory BFGS with a backtracking (Armijo) line search:
/// small enough to read, sufficient for the handful of smooth parameters of a Gaussian process.
///
/// Nocedal & Wright, *Numerical Optimization* (2nd ed., 2006), Algorithm 7.4 (two-loop recursion)
/// and Algorithm 3.1 (backtracking). The search direction is −H∇f with H built from the last
/// `memory` pairs (s, y) = (Δx, Δ∇f); pairs with sᵀy ≤ 0 are skipped so H stays positive definite.
enum LimitedMemoryBFGS {
    /// - Parameters:
    ///   - function: value and gradient at a point, or nil where undefined (treated as +∞, so the
    ///     line search backs off).
    /// - Returns: the best point found and its value; the start if it was the best.
    static func minimize(from start: [Double], memory: Int = 6, maximumIterations: Int = 50,
                         gradientTolerance: Double = 1e-6,
                         function: ([Double]) -> (value: Double, gradient: [Double])?) -> (point: [Double], value: Double)? {
        guard var (value, gradient) = function(start), value.isFinite else { return nil }
        var point = start
        var steps: [[Double]] = [], gradientChanges: [[Double]] = []
        for _ in 0..<maximumIterations {
            if norm(gradient) < gradientTolerance { break }
            var direction = twoLoopDirection(gradient: gradient, steps: steps, gradientChanges: gradientChanges)
            var slope = dot(direction, gradient)
            if !(slope < 0) {  // not a descent direction: reset the memory, use steepest descent
                steps.removeAll()
                gradientChanges.removeAll()
                direction = gradient.map { -$0 }
                slope = dot(direction, gradient)
            }
            // The first step has no curvature information: cap its length at 1.
            var stepLength = steps.isEmpty ? min(1, 1 / max(norm(direction), 1e-12)) : 1
            var accepted: (point: [Double], value: Double, gradient: [Double])?
            for _ in 0..<30 {
                let candidate = zip(point, direction).map { $0 + stepLength * $1 }
                if let (candidateValue, candidateGradient) = function(candidate), candidateValue.isFinite,
                   candidateValue <= value + 1e-4 * stepLength * slope {
                    accepted = (candidate, candidateValue, candidateGradient)
                    break
                }
                stepLength *= 0.5
            }
            guard let next = accepted else { break }
            let step = zip(next.point, point).map { $0 - $1 }
            let gradientChange = zip(next.gradient, gradient).map { $0 - $1 }
            if dot(step, gradientChange) > 1e-10 * norm(step) * norm(gradientChange) {
                steps.append(step)
                gradientChanges.append(gradientChange)
                if steps.count > memory {
                    steps.removeFirst()
                    gradientChanges.removeFirst()
                }
            }
            let improvement = value - next.value
            (point, value, gradient) = next
            if improvement < 1e-10 * max(abs(value), 1) { break }
        }
        return (point, value)
    }

    /// −H∇f by the two-loop recursion, with the initial H = (sᵀy / yᵀy) I of the newest pair.
    private static func twoLoopDirection(gradient: [Double], steps: [[Double]], gradientChanges: [[Double]]) -> [Double] {
        var q = gradient
        var coefficients = [Double](repeating: 0, count: steps.count)
        for k in steps.indices.reversed() {
            let rho = 1 / dot(gradientChanges[k], steps[k])
            coefficients[k] = rho * dot(steps[k], q)
            for i in q.indices { q[i] -= coefficients[k] * gradientChanges[k][i] }
        }
        if let s = steps.last, let y = gradientChanges.last {
            let scale = dot(s, y) / dot(y, y)
            for i in q.indices { q[i] *= scale }
        }
        for k in steps.indices {
            let rho = 1 / dot(gradientChanges[k], steps[k])
            let beta = rho * dot(gradientChanges[k], q)
            for i in q.indices { q[i] += (coefficients[k] - beta) * steps[k][i] }
        }
        return q.map { -$0 }
    }

    private static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    private static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }
}
