import Tensor

/// Layers applied in order; parameters are named `layers.<index>.<name>`.
///
/// ```swift
/// let model = Sequential(Flatten(), Dense(inputSize: 784, outputSize: 10, generator: &rng))
/// ```
public final class Sequential: Module, UnaryLayer {
    public let layers: [any UnaryLayer]

    public init(_ layers: [any UnaryLayer]) {
        self.layers = layers
    }

    public convenience init(_ layers: any UnaryLayer...) {
        self.init(layers)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { activations, layer in layer(activations) }
    }
}
