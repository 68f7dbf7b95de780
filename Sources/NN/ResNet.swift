import Tensor

/// ResNet (He et al., 2015) in torchvision's layout, with a single-channel stem for 28x28
/// images:
///
/// ```
/// conv 7x7/2 x64 (no bias) -> BN -> ReLU -> max-pool 3x3/2
///   -> 4 stages of residual blocks (widths 64, 128, 256, 512; strides 1, 2, 2, 2)
///   -> global average pool -> dense (logits)
/// ```
/// `ResNet.resNet18` (BasicBlock x [2, 2, 2, 2]) has 11,175,370 parameters and
/// `ResNet.resNet50` (Bottleneck x [3, 4, 6, 3]) 23,522,250, with 10 classes: torchvision's
/// counts minus the two unused colour channels of the stem and the 990 unused classes.
/// Batch-normalisation running statistics are buffers, not parameters.
public final class ResNet: Module, UnaryLayer {
    /// Which residual block a ResNet stacks.
    public enum BlockKind: String, Codable, Sendable {
        case basic, bottleneck
    }

    public let stem: Conv2D
    public let stemNorm: BatchNorm2D
    public let stemPool = MaxPool2D(kernelSize: 3, stride: 2, padding: 1)
    /// All residual blocks, stage after stage.
    public let blocks: [any UnaryLayer]
    public let pool = GlobalAveragePool2D()
    public let classifier: Dense

    /// - Parameters:
    ///   - block: Basic (two 3x3) or bottleneck (1x1, 3x3, 1x1 with expansion 4) blocks.
    ///   - stageDepths: Blocks in each of the four stages.
    ///   - inputChannels: Channels of the input images.
    ///   - classCount: Number of output logits.
    ///   - seed: Seeds the initialisation: He normal (fan-in) convolutions, Glorot-uniform
    ///     classifier, batch normalisation γ = 1, β = 0.
    ///   - zeroInitialResidual: Start the last batch normalisation of every block's residual
    ///     branch at γ = 0 (torchvision's `zero_init_residual`; Goyal et al., "Accurate, Large
    ///     Minibatch SGD", 2017, section 5.1), so each block begins as the identity and the deep
    ///     network trains like a shallow one at first. The random draws are unchanged.
    public init(block: BlockKind, stageDepths: [Int], inputChannels: Int = 1, classCount: Int = 10, seed: UInt64,
                zeroInitialResidual: Bool = false) {
        precondition(stageDepths.count == 4 && stageDepths.allSatisfy { $0 > 0 }, "ResNet: four stages of at least one block")
        var generator = SeededGenerator(seed: seed)
        stem = Conv2D(inputChannels: inputChannels, outputChannels: 64, kernelSize: 7, stride: 2, padding: 3,
                      useBias: false, generator: &generator)
        stemNorm = BatchNorm2D(channels: 64)
        var channels = 64
        var blocks: [any UnaryLayer] = []
        for (stage, depth) in stageDepths.enumerated() {
            let width = 64 << stage
            for index in 0..<depth {
                let stride = index == 0 && stage > 0 ? 2 : 1
                switch block {
                case .basic:
                    blocks.append(BasicBlock(inputChannels: channels, width: width, stride: stride, generator: &generator))
                    channels = width * BasicBlock.expansion
                case .bottleneck:
                    blocks.append(Bottleneck(inputChannels: channels, width: width, stride: stride, generator: &generator))
                    channels = width * Bottleneck.expansion
                }
            }
        }
        self.blocks = blocks
        classifier = Dense(inputSize: channels, outputSize: classCount, generator: &generator)
        if zeroInitialResidual {
            for case let block as any ResidualBlock in blocks { block.residualOutputNorm.weight.withUnsafeMutableData { $0.update(repeating: 0) } }
        }
    }

    /// ResNet-18: basic blocks, stages of [2, 2, 2, 2].
    public static func resNet18(inputChannels: Int = 1, classCount: Int = 10, seed: UInt64, zeroInitialResidual: Bool = false) -> ResNet {
        ResNet(block: .basic, stageDepths: [2, 2, 2, 2], inputChannels: inputChannels, classCount: classCount, seed: seed,
               zeroInitialResidual: zeroInitialResidual)
    }

    /// ResNet-50: bottleneck blocks, stages of [3, 4, 6, 3].
    public static func resNet50(inputChannels: Int = 1, classCount: Int = 10, seed: UInt64, zeroInitialResidual: Bool = false) -> ResNet {
        ResNet(block: .bottleneck, stageDepths: [3, 4, 6, 3], inputChannels: inputChannels, classCount: classCount, seed: seed,
               zeroInitialResidual: zeroInitialResidual)
    }

    /// `[batch, C, H, W]` images to `[batch, classCount]` logits.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let features = stemPool(relu(stemNorm(stem(input))))
        return classifier(pool(blocks.reduce(features) { activations, block in block(activations) }))
    }
}
