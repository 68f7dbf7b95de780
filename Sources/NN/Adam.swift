import Foundation
import Tensor

/// Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015), computed
/// exactly as Keras does: the bias corrections fold into the step size and epsilon is added
/// to the uncorrected `sqrt(v)` (the paper's "epsilon hat" form, section 2).
///
/// ```
/// t  = t + 1
/// m  = m + (1 - β₁)(g - m)
/// v  = v + (1 - β₂)(g² - v)
/// α  = lr · sqrt(1 - β₂ᵗ) / (1 - β₁ᵗ)
/// θ  = θ - α · m / (sqrt(v) + ε)
/// ```
/// Defaults are Keras's: `lr = 1e-3, β₁ = 0.9, β₂ = 0.999, ε = 1e-7`.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    /// Steps taken so far (`t`).
    public private(set) var step = 0
    private var moments: [ObjectIdentifier: (first: [Float], second: [Float])] = [:]
    /// Elements per core below which the step stays on the calling thread: a chunk of 32,768
    /// parameters takes about 20 us, well above the pool's hand-off cost.
    static let minimumChunk = 1 << 15

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        precondition(learningRate >= 0, "Adam: learning rate must be non-negative, got \(learningRate)")
        precondition((0..<1).contains(beta1), "Adam: beta1 must be in [0, 1), got \(beta1)")
        precondition((0..<1).contains(beta2), "Adam: beta2 must be in [0, 1), got \(beta2)")
        precondition(epsilon >= 0, "Adam: epsilon must be non-negative, got \(epsilon)")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    public func update(parameters: [Tensor]) {
        step += 1
        let t = Float(step)
        let stepSize = learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
        let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2, epsilon = epsilon
        for parameter in parameters {
            guard let gradient = parameter.grad else { continue }
            let key = ObjectIdentifier(parameter)
            var state = moments.removeValue(forKey: key)
                ?? ([Float](repeating: 0, count: parameter.count), [Float](repeating: 0, count: parameter.count))
            gradient.withUnsafeBufferPointer { g in
                state.first.withUnsafeMutableBufferPointer { m in
                    state.second.withUnsafeMutableBufferPointer { v in
                        parameter.withUnsafeMutableData { theta in
                            // Element-wise, so splitting across cores cannot change the result.
                            let count = theta.count
                            let theta = theta.baseAddress!, g = g.baseAddress!, m = m.baseAddress!, v = v.baseAddress!
                            concurrentChunks(count: count, minimumChunk: Adam.minimumChunk) { range in
                                let start = range.lowerBound
                                VectorKernels.adamStep(count: range.count, parameter: theta + start, gradient: g + start,
                                                       first: m + start, second: v + start, oneMinusBeta1: oneMinusBeta1,
                                                       oneMinusBeta2: oneMinusBeta2, stepSize: stepSize, epsilon: epsilon)
                            }
                        }
                    }
                }
            }
            moments[key] = state
        }
    }
}
