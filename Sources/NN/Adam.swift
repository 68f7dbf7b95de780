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
    private var moments: [ObjectIdentifier: Moments] = [:]
    /// Elements per core below which a tensor is not split: a chunk of 32,768 parameters takes
    /// about 20 us, well above the pool's hand-off cost (see `ElementwiseWork`).
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

    /// Updates every parameter that has a gradient in one pass over the cores (`ElementwiseWork`):
    /// a ResNet-50 step would otherwise hand work to the cores once per tensor, 161 times.
    public func update(parameters: [Tensor]) {
        step += 1
        let t = Float(step)
        let stepSize = learningRate * (1 - pow(beta2, t)).squareRoot() / (1 - pow(beta1, t))
        let oneMinusBeta1 = 1 - beta1, oneMinusBeta2 = 1 - beta2, epsilon = epsilon
        var seen = Set<ObjectIdentifier>()
        let updated = parameters.filter { $0.count > 0 && $0.grad != nil && seen.insert(ObjectIdentifier($0)).inserted }
        let state = updated.map(moments(for:))
        Tensor.withParameterBuffers(updated) { buffers in
            let work = ElementwiseWork(counts: buffers.map(\.count), cores: Parallelism.usableCoreCount, minimumChunk: Adam.minimumChunk)
            parallelTasks(work.perCore.count) { core in
                for piece in work.perCore[core] {
                    let buffer = buffers[piece.buffer], moment = state[piece.buffer], start = piece.elements.lowerBound
                    VectorKernels.adamStep(count: piece.elements.count, parameter: buffer.values + start,
                                           gradient: buffer.gradient + start, first: moment.first + start,
                                           second: moment.second + start, oneMinusBeta1: oneMinusBeta1,
                                           oneMinusBeta2: oneMinusBeta2, stepSize: stepSize, epsilon: epsilon)
                }
            }
        }
    }

    /// `parameter`'s moments, created (zero) at its first update.
    private func moments(for parameter: Tensor) -> Moments {
        let key = ObjectIdentifier(parameter)
        if let existing = moments[key] { return existing }
        let created = Moments(count: parameter.count)
        moments[key] = created
        return created
    }

    /// One parameter's first and second moments, zero at first; kept in buffers of their own
    /// so that every parameter's can be open at once during a step.
    final class Moments {
        let first: UnsafeMutablePointer<Float>
        let second: UnsafeMutablePointer<Float>
        let count: Int

        init(count: Int) {
            self.count = count
            first = .allocate(capacity: count)
            second = .allocate(capacity: count)
            first.initialize(repeating: 0, count: count)
            second.initialize(repeating: 0, count: count)
        }

        deinit {
            first.deallocate()
            second.deallocate()
        }
    }
}
