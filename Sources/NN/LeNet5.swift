import Tensor

/// LeNet-5 (LeCun et al., 1998) in its common modern form, for 28x28 single-channel images:
///
/// ```
/// conv 5x5 x6, padding 2, ReLU -> max-pool 2x2 -> conv 5x5 x16, ReLU -> max-pool 2x2
///   -> dense 400-120, ReLU -> dense 120-84, ReLU -> dense 84-10 (logits)
/// ```
/// ReLU and max pooling replace the original's scaled tanh and trainable average
/// subsampling; the original's sparse C3 connection table is a full convolution here.
/// 61,706 parameters with 10 classes.
///
/// Each ReLU runs after its pooling: max pooling and ReLU commute exactly (the largest of four
/// rectified values is the rectified largest, and the gradient reaches the same pixel, or none
/// where all four are at most 0), so the function and its gradients are the same bit for bit
/// while the ReLU touches a quarter of the values, forward and backward.
public final class LeNet5: Module, UnaryLayer {
    /// The image side the layers are built for: the padded 5x5 convolution keeps 28, pooling
    /// halves it to 14, the unpadded 5x5 convolution leaves 10 and pooling 5, so the first
    /// dense layer takes 16x5x5 = 400 features. Other sizes would not fit it.
    public static let imageSize = 28
    /// Side of the feature maps entering the first dense layer.
    public static let featureMapSize = (imageSize / 2 - 4) / 2

    public let conv1: Conv2D
    public let pool1 = MaxPool2D(kernelSize: 2)
    public let conv2: Conv2D
    public let pool2 = MaxPool2D(kernelSize: 2)
    public let flatten = Flatten()
    public let dense1: Dense
    public let dense2: Dense
    public let output: Dense

    /// - Parameters:
    ///   - inputChannels: Channels of the input images (1 for MNIST).
    ///   - classCount: Number of output logits.
    ///   - seed: Seeds the weight initialisation (He normal for convolutions, Glorot uniform
    ///     for dense layers); equal seeds give identical weights.
    public init(inputChannels: Int = 1, classCount: Int = 10, seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: 6, kernelSize: 5, padding: 2, generator: &generator)
        conv2 = Conv2D(inputChannels: 6, outputChannels: 16, kernelSize: 5, generator: &generator)
        dense1 = Dense(inputSize: 16 * Self.featureMapSize * Self.featureMapSize, outputSize: 120, activation: relu, generator: &generator)
        dense2 = Dense(inputSize: 120, outputSize: 84, activation: relu, generator: &generator)
        output = Dense(inputSize: 84, outputSize: classCount, generator: &generator)
    }

    /// `[batch, 1, 28, 28]` images to `[batch, classCount]` logits.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        output(dense2(dense1(flatten(relu(conv2(relu(conv1(input, thenPooling: pool1)), thenPooling: pool2))))))
    }
}
