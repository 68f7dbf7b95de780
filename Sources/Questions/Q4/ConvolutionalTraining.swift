import Datasets
import Foundation
import NN
import Notebook
import Tensor

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

    /// A freshly initialised model; equal seeds give identical weights.
    public func makeModel(classCount: Int, seed: UInt64) -> any UnaryLayer {
        switch self {
        case .leNet5: return LeNet5(classCount: classCount, seed: seed)
        case .resNet18: return ResNet.resNet18(classCount: classCount, seed: seed)
        case .resNet50: return ResNet.resNet50(classCount: classCount, seed: seed)
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

/// One Q4 training run: architecture, data, recipe (Adam, cross-entropy) and seed.
///
/// A stratified `validationFraction` of the training images is held out for the curves and for
/// deciding convergence: training stops when validation accuracy has not improved for
/// `patience` epochs, or at the cap `epochs`. The test set is used once, after training.
struct ConvolutionalTrainingConfig: Codable {
    var architecture: ConvolutionalArchitecture
    var dataset: String
    var datasetHash: String
    /// The epoch cap.
    var epochs: Int
    var validationFraction: Double
    var patience: Int
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
    /// Save the weights every this many steps (`trajectory.weights` in the cell's artifacts),
    /// for the trajectory plot; nil saves none and leaves the cell's key as it was.
    var trajectoryInterval: Int? = nil
}

struct ConvolutionalTrainingResult: Codable {
    var parameterCount: Int
    /// Multiply-accumulates of one forward pass per image (convolutions and dense layers).
    var multiplyAccumulates: Int
    var trainCount: Int
    var validationCount: Int
    var testCount: Int
    /// Per epoch, validation on the held-out part of the training images.
    var history: TrainingHistory
    /// Whether validation accuracy stopped improving before the epoch cap.
    var converged: Bool
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

/// The training and validation images of a config: all training images (or a seeded random
/// subset of `trainingLimit`), split by class so that each class keeps its share in both.
func trainingAndValidationIndices(_ config: ConvolutionalTrainingConfig, split: DatasetSplit) -> (train: [Int], validation: [Int]) {
    var pool = Array(0..<split.train.count)
    if let limit = config.trainingLimit, limit < split.train.count {
        var generator = SeededGenerator(seed: config.seed &+ 17)
        pool = Array(generator.permutation(of: split.train.count).prefix(limit))
    }
    let parts = stratifiedSplit(labels: pool.map { split.train.labels[$0] }, testFraction: config.validationFraction, seed: config.seed &+ 29)
    return (parts.train.map { pool[$0] }, parts.test.map { pool[$0] })
}

func trainConvolutional(_ config: ConvolutionalTrainingConfig, split: DatasetSplit, weightsURL: URL?,
                        progress: CellProgress) throws -> ConvolutionalTrainingResult {
    // The engine splits convolutions over its own cores when OpenBLAS runs single-threaded
    // (see `ConvolutionPlan`), which is faster here than OpenBLAS's threads.
    return try withThreads(blas: 1, engine: config.threads) {
        let (trainIndices, validationIndices) = trainingAndValidationIndices(config, split: split)
        let train = imageData(split.train, indices: trainIndices)
        let validation = imageData(split.train, indices: validationIndices)
        let test = imageData(split.test, indices: config.testLimit.map { Array(0..<min($0, split.test.count)) })
        let classes = split.classNames.count
        let model = config.architecture.makeModel(classCount: classes, seed: config.seed)
        let log = TrainingLog(log: progress.log, status: progress.status)
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: Float(config.learningRate)), batchSize: config.batchSize,
                              seed: config.seed, onEvent: log.receive)
        let recorder = config.trajectoryInterval.map { ParameterTrajectory.recording(model, trainer: trainer, every: $0) }
        let history = trainer.fit(train, validation: validation, epochs: config.epochs,
                                  stopping: EarlyStopping(patience: config.patience))
        if let recorder, let weightsURL {
            recorder.finish(model: model)
            try recorder.trajectory.save(to: weightsURL.deletingLastPathComponent().appendingPathComponent(trajectoryFileName))
        }
        let trainingSeconds = history.seconds.reduce(0, +)
        let evaluation = trainer.evaluate(test, batchSize: 250)
        log.append("Test: \(test.count) images - loss: \(String(format: "%.4f", evaluation.loss)) - accuracy: \(String(format: "%.4f", evaluation.accuracy))")
        if let weightsURL { try model.saveWeights(to: weightsURL) }

        let errors = ClassificationErrors(evaluation: evaluation, labels: test.labels, classCount: classes)
        return ConvolutionalTrainingResult(
            parameterCount: model.parameterCount,
            multiplyAccumulates: model.forwardMultiplyAccumulates(sampleShape: train.sampleShape),
            trainCount: train.count, validationCount: validation.count, testCount: test.count, history: history,
            converged: EarlyStopping(patience: config.patience).shouldStop(validationAccuracies: history.validationAccuracy), log: log.lines,
            testLoss: evaluation.loss, testAccuracy: evaluation.accuracy, confusion: errors.confusion,
            misclassified: Array(errors.misclassified.prefix(20)), trainingSeconds: trainingSeconds,
            imagesPerSecond: Double(train.count * history.epochCount) / max(trainingSeconds, 1e-9))
    }
}
