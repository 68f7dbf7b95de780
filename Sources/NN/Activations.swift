import Tensor

// Activations as layers, for `Sequential` stacks; each is the free function of the same name.

/// `max(x, 0)` as a layer.
public final class ReLU: Module, UnaryLayer {
    public override init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { relu(input) }
}

/// The logistic function as a layer.
public final class Sigmoid: Module, UnaryLayer {
    public override init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { sigmoid(input) }
}

/// Hyperbolic tangent as a layer.
public final class Tanh: Module, UnaryLayer {
    public override init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { tanh(input) }
}

/// Row-wise softmax as a layer (for models that must output probabilities; for training,
/// prefer logits with `crossEntropy(logits:targets:reduction:)`).
public final class Softmax: Module, UnaryLayer {
    public override init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { softmax(input) }
}
