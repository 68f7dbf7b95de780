import Tensor

/// Updates parameters from their accumulated gradients. Optimizers keep per-parameter state
/// (moments, velocities) keyed by parameter identity, so one optimizer serves one model.
public protocol Optimizer: AnyObject {
    /// The step size of the next update; `Trainer` sets it from its `LearningRateSchedule`
    /// before every step.
    var learningRate: Float { get set }

    /// Applies one step to every parameter that has a gradient.
    func update(parameters: [Tensor])
}

extension Optimizer {
    /// Applies one step to all of `model`'s trainable parameters.
    public func update(model: Module) { update(parameters: model.parameters()) }
}
