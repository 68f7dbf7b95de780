import Foundation

/// The record of one full-batch gradient-descent run.
public struct GradientDescentRun: Codable {
    /// Loss before each step and after the last one (iterations + 1 values).
    public var losses: [Double]
    public var finalParameters: [Double]
    public var finalGradientNorm: Double
}

/// Full-batch gradient descent θ ← θ − η ∇L(θ) on any ``DifferentiableObjective`` (logistic
/// regression, deep linear networks, the scalar toy): the textbook method, so differences between
/// losses come from their landscapes, not from an optimizer's tricks.
public func gradientDescent<Objective: DifferentiableObjective>(on objective: Objective, from start: [Double],
                                                                learningRate: Double, iterations: Int) -> GradientDescentRun {
    precondition(start.count == objective.parameterCount, "start must have \(objective.parameterCount) entries")
    precondition(learningRate > 0 && iterations >= 0, "learningRate must be positive and iterations non-negative")
    var parameters = start
    var losses: [Double] = []
    losses.reserveCapacity(iterations + 1)
    for _ in 0..<iterations {
        let (value, gradient) = objective.valueAndGradient(parameters)
        losses.append(value)
        for j in parameters.indices { parameters[j] -= learningRate * gradient[j] }
    }
    let (value, gradient) = objective.valueAndGradient(parameters)
    losses.append(value)
    return GradientDescentRun(losses: losses, finalParameters: parameters, finalGradientNorm: euclideanNorm(gradient))
}

/// Gradient descent until ‖∇L‖ ≤ `gradientTolerance` or `maximumIterations` steps, whichever
/// comes first: a "trained" point whose stationarity is stated, not assumed.
public func gradientDescent<Objective: DifferentiableObjective>(on objective: Objective, from start: [Double], learningRate: Double,
                                                                gradientTolerance: Double, maximumIterations: Int) -> GradientDescentRun {
    precondition(start.count == objective.parameterCount, "start must have \(objective.parameterCount) entries")
    precondition(learningRate > 0 && gradientTolerance >= 0 && maximumIterations >= 0, "learningRate > 0, tolerance and iterations ≥ 0")
    var parameters = start
    var losses: [Double] = []
    var (value, gradient) = objective.valueAndGradient(parameters)
    while losses.count < maximumIterations && euclideanNorm(gradient) > gradientTolerance {
        losses.append(value)
        for j in parameters.indices { parameters[j] -= learningRate * gradient[j] }
        (value, gradient) = objective.valueAndGradient(parameters)
    }
    losses.append(value)
    return GradientDescentRun(losses: losses, finalParameters: parameters, finalGradientNorm: euclideanNorm(gradient))
}
