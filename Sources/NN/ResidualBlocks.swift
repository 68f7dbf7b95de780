import Tensor

// The two residual blocks of He et al., "Deep Residual Learning for Image Recognition" (2015),
// in torchvision's layout: convolutions without bias, each followed by batch normalisation,
// and a 1x1 projection (convolution + batch normalisation) on the shortcut whenever the block
// changes the resolution or the channel count.

/// A residual block whose branch ends in a batch normalisation, the one
/// `ResNet(zeroInitialResidual:)` starts at γ = 0.
public protocol ResidualBlock: UnaryLayer {
    var residualOutputNorm: BatchNorm2D { get }
}

/// The two-convolution block of ResNet-18/34:
///
/// ```
/// y = relu(bn₂(conv₃ₓ₃(relu(bn₁(conv₃ₓ₃/s(x))))) + shortcut(x))
/// ```
public final class BasicBlock: Module, ResidualBlock {
    /// Output channels are `width · expansion`.
    public static let expansion = 1
    public let conv1: Conv2D
    public let bn1: BatchNorm2D
    public let conv2: Conv2D
    public let bn2: BatchNorm2D
    /// 1x1 convolution + batch normalisation when shapes change; identity otherwise.
    public let projection: Projection?

    public init(inputChannels: Int, width: Int, stride: Int = 1, generator: inout SeededGenerator) {
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: width, kernelSize: 3, stride: stride, padding: 1,
                       useBias: false, generator: &generator)
        bn1 = BatchNorm2D(channels: width)
        conv2 = Conv2D(inputChannels: width, outputChannels: width, kernelSize: 3, padding: 1, useBias: false, generator: &generator)
        bn2 = BatchNorm2D(channels: width)
        projection = stride != 1 || inputChannels != width
            ? Projection(inputChannels: inputChannels, outputChannels: width, stride: stride, generator: &generator) : nil
    }

    public var residualOutputNorm: BatchNorm2D { bn2 }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let residual = bn2(conv2(relu(bn1(conv1(input)))))
        return rectifiedSum(residual, projection?(input) ?? input)
    }
}

/// The three-convolution bottleneck block of ResNet-50/101/152 (torchvision's "v1.5": the
/// stride sits on the 3x3 convolution):
///
/// ```
/// y = relu(bn₃(conv₁ₓ₁(relu(bn₂(conv₃ₓ₃/s(relu(bn₁(conv₁ₓ₁(x)))))))) + shortcut(x))
/// ```
public final class Bottleneck: Module, ResidualBlock {
    /// Output channels are `width · expansion`.
    public static let expansion = 4
    public let conv1: Conv2D
    public let bn1: BatchNorm2D
    public let conv2: Conv2D
    public let bn2: BatchNorm2D
    public let conv3: Conv2D
    public let bn3: BatchNorm2D
    public let projection: Projection?

    public init(inputChannels: Int, width: Int, stride: Int = 1, generator: inout SeededGenerator) {
        let outputChannels = width * Self.expansion
        conv1 = Conv2D(inputChannels: inputChannels, outputChannels: width, kernelSize: 1, useBias: false, generator: &generator)
        bn1 = BatchNorm2D(channels: width)
        conv2 = Conv2D(inputChannels: width, outputChannels: width, kernelSize: 3, stride: stride, padding: 1,
                       useBias: false, generator: &generator)
        bn2 = BatchNorm2D(channels: width)
        conv3 = Conv2D(inputChannels: width, outputChannels: outputChannels, kernelSize: 1, useBias: false, generator: &generator)
        bn3 = BatchNorm2D(channels: outputChannels)
        projection = stride != 1 || inputChannels != outputChannels
            ? Projection(inputChannels: inputChannels, outputChannels: outputChannels, stride: stride, generator: &generator) : nil
    }

    public var residualOutputNorm: BatchNorm2D { bn3 }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let residual = bn3(conv3(relu(bn2(conv2(relu(bn1(conv1(input))))))))
        return rectifiedSum(residual, projection?(input) ?? input)
    }
}

/// The projection shortcut: a strided 1x1 convolution without bias, then batch normalisation
/// (torchvision's `downsample`).
public final class Projection: Module, UnaryLayer {
    public let conv: Conv2D
    public let bn: BatchNorm2D

    public init(inputChannels: Int, outputChannels: Int, stride: Int, generator: inout SeededGenerator) {
        conv = Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: 1, stride: stride,
                      useBias: false, generator: &generator)
        bn = BatchNorm2D(channels: outputChannels)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { bn(conv(input)) }
}
