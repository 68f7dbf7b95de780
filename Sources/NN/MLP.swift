import Tensor

/// The assignment's multilayer perceptron: 784-128-64-10 with ReLU hidden layers, emitting
/// logits (109,386 parameters). Keras equivalent:
///
/// ```python
/// Sequential([Flatten(), Dense(128, "relu"), Dense(64, "relu"), Dense(10)])
/// ```
public final class MLP: Module, UnaryLayer {
    /// Features per sample of the assignment's network: one flattened 28x28 digit.
    public static let digitInputSize = 28 * 28

    public let flatten = Flatten()
    public let hidden1: Dense
    public let hidden2: Dense
    public let output: Dense

    /// - Parameters:
    ///   - inputSize: Features per sample (28·28 for MNIST).
    ///   - hiddenSizes: Widths of the two hidden layers.
    ///   - classCount: Number of output logits.
    ///   - seed: Seeds the weight initialisation; equal seeds give identical weights.
    public init(inputSize: Int = MLP.digitInputSize, hiddenSizes: (Int, Int) = (128, 64), classCount: Int = 10, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        hidden1 = Dense(inputSize: inputSize, outputSize: hiddenSizes.0, activation: relu, generator: &generator)
        hidden2 = Dense(inputSize: hiddenSizes.0, outputSize: hiddenSizes.1, activation: relu, generator: &generator)
        output = Dense(inputSize: hiddenSizes.1, outputSize: classCount, generator: &generator)
    }

    /// Features per sample the first layer takes; anything else would be read out of bounds
    /// (release builds drop the shape preconditions), so data is checked against this first.
    public var inputSize: Int { hidden1.weight.shape[0] }

    /// `[batch, 784]` (or `[batch, 1, 28, 28]`) images to `[batch, classCount]` logits.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        output(hidden2(hidden1(flatten(input))))
    }
}
