import Foundation

/// One full-batch gradient-descent run on a ``LogisticRegression``, with the training loss and
/// training accuracy before every step and after the last (iterations + 1 values each), so that
/// "steps to reach an accuracy" can be read off afterwards for any stated target.
public struct LogisticDescentRun: Codable, Equatable {
    public var losses: [Double]
    public var accuracies: [Double]
    public var finalParameters: [Double]

    /// Runs θ ← θ − η ∇L(θ) for `iterations` steps from `start`.
    public init(on problem: LogisticRegression, from start: [Double], learningRate: Double, iterations: Int) {
        precondition(start.count == problem.parameterCount, "start must have \(problem.parameterCount) entries")
        precondition(learningRate > 0 && iterations >= 0, "learningRate must be positive and iterations non-negative")
        var parameters = start
        losses = []
        accuracies = []
        losses.reserveCapacity(iterations + 1)
        accuracies.reserveCapacity(iterations + 1)
        for step in 0...iterations {
            let (value, gradient, accuracy) = problem.evaluate(parameters)
            losses.append(value)
            accuracies.append(accuracy)
            guard step < iterations else { break }
            for j in parameters.indices { parameters[j] -= learningRate * gradient[j] }
        }
        finalParameters = parameters
    }
}
