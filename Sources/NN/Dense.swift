import Tensor

/// A function from tensor to tensor, used as a layer's activation (`relu`, `sigmoid`, `tanh`,
/// `identity`).
public typealias Activation = (Tensor) -> Tensor

/// The identity activation.
public func identity(_ x: Tensor) -> Tensor { x }

/// A fully connected layer, `activation(x · weight + bias)`.
///
/// Defaults match Keras's `Dense`: Glorot-uniform kernel, zero bias. The kernel is stored
/// `[inputSize, outputSize]`, so the forward pass is one sgemm with the bias folded in
/// (see `linear(_:weight:bias:)`).
public final class Dense: Module, UnaryLayer {
    /// `[inputSize, outputSize]`.
    public let weight: Tensor
    /// `[outputSize]`.
    public let bias: Tensor
    /// Applied after the affine map.
    public let activation: Activation

    /// Wraps existing tensors (which should have `requiresGradient` set to be trained).
    public init(weight: Tensor, bias: Tensor, activation: @escaping Activation = identity) {
        precondition(weight.rank == 2 && bias.shape == [weight.shape[1]],
                     "Dense: weight \(weight.shape) and bias \(bias.shape) disagree")
        self.weight = weight
        self.bias = bias
        self.activation = activation
    }

    /// Creates a layer with freshly initialised parameters drawn from `generator`.
    public convenience init(inputSize: Int, outputSize: Int, activation: @escaping Activation = identity,
                            weightInitializer: ParameterInitializer = glorotUniform(),
                            biasInitializer: ParameterInitializer = zeros(),
                            generator: inout SeededGenerator) {
        self.init(weight: weightInitializer([inputSize, outputSize], &generator),
                  bias: biasInitializer([outputSize], &generator),
                  activation: activation)
    }

    /// `[batch, inputSize] -> [batch, outputSize]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        activation(linear(input, weight: weight, bias: bias))
    }
}
