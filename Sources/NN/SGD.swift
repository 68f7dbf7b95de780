import Tensor

/// Stochastic gradient descent with optional momentum (Polyak, 1964) and Nesterov momentum
/// (Sutskever et al., "On the importance of initialization and momentum in deep learning",
/// ICML 2013), in Keras's formulation:
///
/// ```
/// v = μ·v - lr·g
/// θ = θ + v                     (plain momentum)
/// θ = θ + μ·v - lr·g            (Nesterov)
/// ```
public final class SGD: Optimizer {
    public let learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    private var velocities: [ObjectIdentifier: [Float]] = [:]

    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false) {
        precondition(learningRate >= 0, "SGD: learning rate must be non-negative, got \(learningRate)")
        precondition((0..<1).contains(momentum), "SGD: momentum must be in [0, 1), got \(momentum)")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
    }

    public func update(parameters: [Tensor]) {
        let learningRate = learningRate, momentum = momentum
        for parameter in parameters {
            guard let gradient = parameter.grad else { continue }
            if momentum == 0 {
                gradient.withUnsafeBufferPointer { g in
                    parameter.withUnsafeMutableData { theta in
                        for i in 0..<theta.count { theta[i] -= learningRate * g[i] }
                    }
                }
                continue
            }
            let key = ObjectIdentifier(parameter)
            var velocity = velocities.removeValue(forKey: key) ?? [Float](repeating: 0, count: parameter.count)
            let nesterov = nesterov
            gradient.withUnsafeBufferPointer { g in
                velocity.withUnsafeMutableBufferPointer { v in
                    parameter.withUnsafeMutableData { theta in
                        for i in 0..<theta.count {
                            v[i] = momentum * v[i] - learningRate * g[i]
                            theta[i] += nesterov ? momentum * v[i] - learningRate * g[i] : v[i]
                        }
                    }
                }
            }
            velocities[key] = velocity
        }
    }
}
