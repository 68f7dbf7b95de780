import Foundation

/// Full-batch gradient descent θ ← θ − η ∇L(θ) on any ``DifferentiableObjective`` (deep linear
/// networks, the scalar toy), recorded like the logistic-regression runs.
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
