import Tensor

/// A 2-D convolution layer over NCHW images, `activation(conv2d(x, weight) + bias)`.
///
/// The default initialiser is He (Kaiming) normal with fan-in `C·KH·KW`, which keeps the
/// activation variance constant through ReLU layers (He et al., 2015).
public final class Conv2D: Module, UnaryLayer {
    /// `[outputChannels, inputChannels, kernelSize, kernelSize]`.
    public let weight: Tensor
    /// `[outputChannels]`, or `nil` when a batch normalisation follows.
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int
    public let activation: Activation
    /// Shape of the last input seen, so operation counts can be read off a forward pass.
    public private(set) var lastInputShape: [Int]?

    /// Wraps existing tensors (which should have `requiresGradient` set to be trained).
    public init(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0, activation: @escaping Activation = identity) {
        precondition(weight.rank == 4, "Conv2D: weight must be [O, C, KH, KW], got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]], "Conv2D: bias \(bias!.shape) for \(weight.shape[0]) filters")
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.padding = padding
        self.activation = activation
    }

    /// Creates a layer with freshly initialised parameters drawn from `generator`.
    public convenience init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            useBias: Bool = true, activation: @escaping Activation = identity,
                            weightInitializer: ParameterInitializer = heNormal(),
                            biasInitializer: ParameterInitializer = zeros(),
                            generator: inout SeededGenerator) {
        let weight = weightInitializer([outputChannels, inputChannels, kernelSize, kernelSize], &generator)
        self.init(weight: weight, bias: useBias ? biasInitializer([outputChannels], &generator) : nil,
                  stride: stride, padding: padding, activation: activation)
    }

    /// `[N, C, H, W] -> [N, O, OH, OW]`.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        lastInputShape = input.shape
        return activation(conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding))
    }

    /// `pool(self(input))` for a 2x2, stride-2 max pooling after a layer without activation, in
    /// one pass (`conv2dMaxPool2x2`: the unpooled output never goes to memory); other pools and
    /// activations run one after the other.
    public func callAsFunction(_ input: Tensor, thenPooling pool: MaxPool2D) -> Tensor {
        guard pool.kernelSize == 2, pool.stride == 2, pool.padding == 0, activatesByIdentity else {
            return pool(self(input))
        }
        lastInputShape = input.shape
        return conv2dMaxPool2x2(input, weight: weight, bias: bias, stride: stride, padding: padding)
    }

    /// Whether the activation is the identity, which returns its argument itself (told apart
    /// from any other activation by passing it a probe, the first time it is asked).
    private lazy var activatesByIdentity: Bool = {
        let probe = Tensor([0], shape: [1])
        return activation(probe) === probe
    }()

    /// Multiply-accumulates of the last forward pass per image: `O · C·KH·KW · OH·OW`.
    public var lastMultiplyAccumulatesPerImage: Int? {
        guard let shape = lastInputShape else { return nil }
        let outputHeight = convolutionOutputExtent(input: shape[2], kernel: weight.shape[2], stride: stride, padding: padding)
        let outputWidth = convolutionOutputExtent(input: shape[3], kernel: weight.shape[3], stride: stride, padding: padding)
        return weight.count * outputHeight * outputWidth
    }
}
