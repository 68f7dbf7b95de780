import Tensor

/// Stochastic gradient descent with optional momentum (Polyak, 1964), Nesterov momentum
/// (Sutskever et al., "On the importance of initialization and momentum in deep learning",
/// ICML 2013) and weight decay, in Keras's formulation:
///
/// ```
/// g = g + λ·θ                   (L2 weight decay: the penalty λ/2·‖θ‖² added to the loss)
/// v = μ·v - lr·g
/// θ = θ + v                     (plain momentum)
/// θ = θ + μ·v - lr·g            (Nesterov)
/// θ = θ - lr·λ·θ                (decoupled weight decay instead of L2, Loshchilov & Hutter,
///                                "Decoupled Weight Decay Regularization", ICLR 2019; applied
///                                before the gradient step, as PyTorch's AdamW does)
/// ```
/// The two decays differ once momentum or an adaptive step is involved: L2 decay passes
/// through the velocity, decoupled decay shrinks the weights directly at the current rate.
public final class SGD: Optimizer {
    /// How weight decay enters the update.
    public enum WeightDecay: Equatable, Sendable {
        case none
        /// Added to the gradient (`g + λθ`), PyTorch SGD's `weight_decay`.
        case l2(Float)
        /// Applied to the weights (`θ − lr·λ·θ`), outside the momentum.
        case decoupled(Float)
    }

    public var learningRate: Float
    public let momentum: Float
    public let nesterov: Bool
    public let weightDecay: WeightDecay
    private var velocities: [ObjectIdentifier: [Float]] = [:]

    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false, weightDecay: WeightDecay = .none) {
        precondition(learningRate >= 0, "SGD: learning rate must be non-negative, got \(learningRate)")
        precondition((0..<1).contains(momentum), "SGD: momentum must be in [0, 1), got \(momentum)")
        switch weightDecay {
        case .l2(let decay), .decoupled(let decay): precondition(decay >= 0, "SGD: weight decay must be non-negative, got \(decay)")
        case .none: break
        }
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public func update(parameters: [Tensor]) {
        for parameter in parameters {
            guard let gradient = parameter.grad else { continue }
            let key = ObjectIdentifier(parameter)
            var velocity = momentum == 0 ? [] : velocities.removeValue(forKey: key) ?? [Float](repeating: 0, count: parameter.count)
            gradient.withUnsafeBufferPointer { g in
                velocity.withUnsafeMutableBufferPointer { v in
                    parameter.withUnsafeMutableData { theta in step(theta: theta, gradient: g, velocity: v) }
                }
            }
            if momentum != 0 { velocities[key] = velocity }
        }
    }

    /// One parameter's update; `velocity` is empty without momentum.
    private func step(theta: UnsafeMutableBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
                      velocity v: UnsafeMutableBufferPointer<Float>) {
        let learningRate = learningRate, momentum = momentum, nesterov = nesterov
        var l2: Float = 0, shrink: Float = 1
        switch weightDecay {
        case .none: break
        case .l2(let decay): l2 = decay
        case .decoupled(let decay): shrink = 1 - learningRate * decay
        }
        for i in 0..<theta.count {
            if shrink != 1 { theta[i] *= shrink }
            let gradient = g[i] + l2 * theta[i]
            guard momentum != 0 else {
                theta[i] -= learningRate * gradient
                continue
            }
            v[i] = momentum * v[i] - learningRate * gradient
            theta[i] += nesterov ? momentum * v[i] - learningRate * gradient : v[i]
        }
    }
}
