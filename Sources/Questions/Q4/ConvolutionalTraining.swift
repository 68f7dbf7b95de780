import Datasets
import Foundation
import NN
import Tensor

/// The three networks of Question 4.
enum ConvolutionalArchitecture: String, Codable, CaseIterable {
    case leNet5 = "lenet5"
    case resNet18 = "resnet18"
    case resNet50 = "resnet50"

    var displayName: String {
        switch self {
        case .leNet5: return "LeNet-5"
        case .resNet18: return "ResNet-18"
        case .resNet50: return "ResNet-50"
        }
    }

    /// A freshly initialised model; equal seeds give identical weights.
    func makeModel(classCount: Int, seed: UInt64) -> any UnaryLayer {
        switch self {
        case .leNet5: return LeNet5(classCount: classCount, seed: seed)
        case .resNet18: return ResNet.resNet18(classCount: classCount, seed: seed)
        case .resNet50: return ResNet.resNet50(classCount: classCount, seed: seed)
        }
    }

    var usesBatchNormalization: Bool { self != .leNet5 }

    /// What training this network on a dataset needs, checked when the data is loaded: LeNet-5
    /// takes only 28x28 images (its first dense layer is sized for them; the ResNets end in
    /// global average pooling and take any size), and a step needs a full mini-batch.
    func datasetRequirements(consumer: String, batchSize: Int) -> DatasetRequirements {
        let (side, maps) = (LeNet5.imageSize, LeNet5.featureMapSize)
        return DatasetRequirements(
            consumer: consumer,
            imageShape: self == .leNet5 ? .size(rows: side, columns: side) : .any,
            shapeReason: "LeNet-5's first dense layer takes 16x\(maps)x\(maps) = \(16 * maps * maps) features, which only \(side)x\(side) inputs give",
            minimumTrainingImages: batchSize, countReason: "a mini-batch of \(batchSize) takes \(batchSize) distinct images")
    }
}

/// One Q4 training run: architecture, data, recipe (Adam, cross-entropy) and seed.
struct ConvolutionalTrainingConfig: Codable {
    var architecture: ConvolutionalArchitecture
    var dataset: String
    var datasetHash: String
    var epochs: Int
    var batchSize: Int
    var learningRate: Double
    /// Use at most this many training images (a seeded random subset); nil means all.
    var trainingLimit: Int?
    /// Evaluate on at most this many test images (the first ones); nil means all.
    var testLimit: Int?
    /// Cores the engine uses during training (OpenBLAS itself runs single-threaded); results
    /// are reproducible for a fixed count.
    var threads: Int
    var seed: UInt64
}

struct ConvolutionalTrainingResult: Codable {
    var parameterCount: Int
    /// Multiply-accumulates of one forward pass per image (convolutions and dense layers).
    var multiplyAccumulates: Int
    var trainCount: Int
    var testCount: Int
    /// Per epoch; the "validation" entries are the test subset, evaluated after each epoch.
    var history: TrainingHistory
    var log: [String]
    var testLoss: Double
    var testAccuracy: Double
    /// confusion[true][predicted]
    var confusion: [[Int]]
    var misclassified: [Misclassification]
    /// Wall-clock seconds of the training epochs alone (no evaluation).
    var trainingSeconds: Double
    var imagesPerSecond: Double
}

/// NCHW samples `[1, rows, columns]` with pixels scaled to [0, 1].
func imageData(_ set: ImageSet, indices: [Int]? = nil) -> LabeledData {
    let subset = indices.map { set.subset($0) } ?? set
    return LabeledData(features: subset.normalizedPixels(), labels: subset.labels, sampleShape: [1, subset.rows, subset.columns])
}

/// The training images a config uses: all, or a seeded random subset of `trainingLimit`.
func trainingIndices(_ config: ConvolutionalTrainingConfig, split: DatasetSplit) -> [Int] {
    guard let limit = config.trainingLimit, limit < split.train.count else { return Array(0..<split.train.count) }
    var generator = SeededGenerator(seed: config.seed &+ 17)
    return Array(generator.permutation(of: split.train.count).prefix(limit))
}

func trainConvolutional(_ config: ConvolutionalTrainingConfig, split: DatasetSplit, weightsURL: URL?,
                        log: @escaping (String) -> Void) throws -> ConvolutionalTrainingResult {
    // The engine splits convolutions over its own cores when OpenBLAS runs single-threaded
    // (see `ConvolutionPlan`), which is faster here than OpenBLAS's threads.
    return try withThreads(blas: 1, engine: config.threads) {
        let train = imageData(split.train, indices: trainingIndices(config, split: split))
        let test = imageData(split.test, indices: config.testLimit.map { Array(0..<min($0, split.test.count)) })
        let classes = split.classNames.count
        let model = config.architecture.makeModel(classCount: classes, seed: config.seed)
        var lines: [String] = []
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: Float(config.learningRate)), batchSize: config.batchSize,
                              seed: config.seed, output: .quiet) { line in
            lines.append(line)
            log(line)
        }
        let history = trainer.fit(train, validation: test, epochs: config.epochs)
        let trainingSeconds = history.seconds.reduce(0, +)
        let evaluation = trainer.evaluate(test, batchSize: 250)
        lines.append("Test: \(test.count) images - loss: \(String(format: "%.4f", evaluation.loss)) - accuracy: \(String(format: "%.4f", evaluation.accuracy))")
        if let weightsURL { try model.saveWeights(to: weightsURL) }

        let errors = ClassificationErrors(evaluation: evaluation, labels: test.labels, classCount: classes)
        return ConvolutionalTrainingResult(
            parameterCount: model.parameterCount,
            multiplyAccumulates: model.forwardMultiplyAccumulates(sampleShape: train.sampleShape),
            trainCount: train.count, testCount: test.count, history: history, log: lines,
            testLoss: evaluation.loss, testAccuracy: evaluation.accuracy, confusion: errors.confusion,
            misclassified: Array(errors.misclassified.prefix(20)), trainingSeconds: trainingSeconds,
            imagesPerSecond: Double(train.count * config.epochs) / max(trainingSeconds, 1e-9))
    }
}
