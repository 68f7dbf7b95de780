import Datasets
import NN

/// The three networks of Question 4.
public enum ConvolutionalArchitecture: String, Codable, CaseIterable, Sendable {
    case leNet5 = "lenet5"
    case resNet18 = "resnet18"
    case resNet50 = "resnet50"

    public var displayName: String {
        switch self {
        case .leNet5: return "LeNet-5"
        case .resNet18: return "ResNet-18"
        case .resNet50: return "ResNet-50"
        }
    }

    /// A freshly initialised model; equal seeds give identical weights. `zeroInitialResidual`
    /// starts each ResNet block's residual branch at zero (see `ResNet`); LeNet-5 has none.
    public func makeModel(classCount: Int, seed: UInt64, zeroInitialResidual: Bool = false) -> any UnaryLayer {
        switch self {
        case .leNet5: return LeNet5(classCount: classCount, seed: seed)
        case .resNet18: return ResNet.resNet18(classCount: classCount, seed: seed, zeroInitialResidual: zeroInitialResidual)
        case .resNet50: return ResNet.resNet50(classCount: classCount, seed: seed, zeroInitialResidual: zeroInitialResidual)
        }
    }

    public var usesBatchNormalization: Bool { self != .leNet5 }

    /// What training this network on a dataset needs, checked when the data is loaded: LeNet-5
    /// takes only 28x28 images (its first dense layer is sized for them; the ResNets end in
    /// global average pooling and take any size), and a step needs a full mini-batch.
    public func datasetRequirements(consumer: String, batchSize: Int) -> DatasetRequirements {
        let (side, maps) = (LeNet5.imageSize, LeNet5.featureMapSize)
        return DatasetRequirements(
            consumer: consumer,
            imageShape: self == .leNet5 ? .size(rows: side, columns: side) : .any,
            shapeReason: "LeNet-5's first dense layer takes 16x\(maps)x\(maps) = \(16 * maps * maps) features, which only \(side)x\(side) inputs give",
            minimumTrainingImages: batchSize, countReason: "a mini-batch of \(batchSize) takes \(batchSize) distinct images")
    }
}
