import Foundation

/// The record of one full-batch gradient-descent run.
public struct GradientDescentRun: Codable {
    /// Loss before each step and after the last one (iterations + 1 values).
    public var losses: [Double]
    public var finalParameters: [Double]
    public var finalGradientNorm: Double
}

/// Full-batch gradient descent, θ ← θ − η ∇L(θ): the textbook method, so any difference
/// between the two losses comes from their landscapes, not from an optimizer's tricks.
public func gradientDescent(on problem: LogisticRegression, from start: [Double], learningRate: Double,
                            iterations: Int) -> GradientDescentRun {
    var parameters = start
    var losses: [Double] = []
    losses.reserveCapacity(iterations + 1)
    var gradientNorm = 0.0
    for _ in 0..<iterations {
        let (value, gradient) = problem.valueAndGradient(parameters)
        losses.append(value)
        for j in parameters.indices { parameters[j] -= learningRate * gradient[j] }
    }
    let (value, gradient) = problem.valueAndGradient(parameters)
    losses.append(value)
    gradientNorm = sqrt(gradient.reduce(0) { $0 + $1 * $1 })
    return GradientDescentRun(losses: losses, finalParameters: parameters, finalGradientNorm: gradientNorm)
}
