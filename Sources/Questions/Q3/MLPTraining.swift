import Datasets
import Experiments
import Foundation
import NN
import Notebook
import Tensor

/// The Q3 recipe: MLP 784-128-64-10, Adam (Keras defaults), batch 32, an 80/20 split of the
/// training set after a seeded shuffle.
struct MLPTrainingConfig: Codable {
    var dataset: String
    var datasetHash: String
    var epochs: Int
    var batchSize: Int
    var learningRate: Double
    var hiddenSizes: [Int]
    var validationFraction: Double
    /// Use at most this many training images (quick profile); nil means all.
    var trainingLimit: Int?
    var seed: UInt64
    /// Save the weights every this many steps (`trajectory.weights` in the cell's artifacts),
    /// for the trajectory plot; nil saves none and leaves the cell's key as it was.
    var trajectoryInterval: Int? = nil
    /// How pixels are scaled before the first layer; nil is the recipe's [0, 1] (and leaves the
    /// cell's key as it was).
    var inputScaling: InputScaling? = nil
}

/// The input scalings Q3's normalisation experiment compares.
enum InputScaling: String, Codable, CaseIterable {
    /// Raw pixel values 0-255, no preprocessing.
    case raw
    /// Divided by 255 (the recipe).
    case unitInterval
    /// [0, 1] pixels standardised with the training images' overall mean and standard deviation.
    case standardized

    var displayName: String {
        switch self {
        case .raw: return "raw 0-255"
        case .unitInterval: return "[0, 1] (÷255)"
        case .standardized: return "standardised (mean 0, sd 1)"
        }
    }

    /// Rescales [0, 1] pixels; `statistics` (of the training images) standardise.
    func apply(to features: [Float], statistics: PixelStatistics) -> [Float] {
        switch self {
        case .unitInterval:
            return features
        case .raw:
            return features.map { ($0 * 255).rounded() }
        case .standardized:
            let scale = 1 / statistics.standardDeviation
            return features.map { ($0 - statistics.mean) * scale }
        }
    }
}

/// The overall mean and standard deviation of [0, 1] training pixels (all pixels pooled).
struct PixelStatistics {
    var mean: Float
    var standardDeviation: Float

    init(_ pixels: [Float]) {
        let count = Double(max(pixels.count, 1))
        let mean = pixels.reduce(0.0) { $0 + Double($1) } / count
        let variance = pixels.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count
        self.mean = Float(mean)
        standardDeviation = Float(max(variance.squareRoot(), 1e-12))
    }
}

struct MLPTrainingResult: Codable {
    var trainCount: Int
    var validationCount: Int
    var testCount: Int
    var parameterCount: Int
    var layers: [LayerSummary]
    var history: TrainingHistory
    var log: [String]
    var testLoss: Double
    var testAccuracy: Double
    /// confusion[true][predicted]
    var confusion: [[Int]]
    var misclassified: [Misclassification]
    var trainingSeconds: Double
    /// Indices (into the training split) of the images shown as samples.
    var sampleIndices: [Int]
    /// The predicted class of every test image, for paired comparisons between configurations.
    var testPredictions: [Int32]? = nil
}

struct LayerSummary: Codable {
    var name: String
    var outputShape: String
    var parameters: Int
}

/// The training and validation sets of a recipe: an optional seeded subset of the training
/// images, shuffled with the recipe's seed, the last `validationFraction` held out.
func recipeData(_ recipe: MLPTrainingConfig, split: DatasetSplit)
    -> (train: LabeledData, validation: LabeledData, trainIndices: [Int], statistics: PixelStatistics) {
    var pool = Array(0..<split.train.count)
    if let limit = recipe.trainingLimit, limit < pool.count {
        var generator = SeededGenerator(seed: recipe.seed &+ 17)
        pool = Array(generator.permutation(of: split.train.count).prefix(limit))
    }
    let (trainPositions, validationPositions) = shuffledValidationSplit(
        count: pool.count, validationFraction: recipe.validationFraction, seed: recipe.seed)
    let trainIndices = trainPositions.map { pool[$0] }
    let train = labeledData(split.train, indices: trainIndices)
    let statistics = recipe.inputScaling == .standardized ? PixelStatistics(train.features) : PixelStatistics([0])
    let validation = labeledData(split.train, indices: validationPositions.map { pool[$0] })
    return (recipe.scaled(train, statistics: statistics), recipe.scaled(validation, statistics: statistics), trainIndices, statistics)
}

extension MLPTrainingConfig {
    /// `data` with this config's input scaling (`statistics` of the training images).
    func scaled(_ data: LabeledData, statistics: PixelStatistics) -> LabeledData {
        guard let inputScaling, inputScaling != .unitInterval else { return data }
        return LabeledData(features: inputScaling.apply(to: data.features, statistics: statistics), labels: data.labels,
                           sampleShape: data.sampleShape)
    }
}

/// The artifact file of a training cell's `trajectoryInterval` snapshots.
let trajectoryFileName = "trajectory.weights"

func trainMLP(_ config: MLPTrainingConfig, split: DatasetSplit, weightsURL: URL?, progress: CellProgress) throws -> MLPTrainingResult {
    let (train, validation, trainIndices, statistics) = recipeData(config, split: split)
    let test = config.scaled(labeledData(split.test), statistics: statistics)

    let pixels = split.train.rows * split.train.columns
    let model = MLP(inputSize: pixels, hiddenSizes: (config.hiddenSizes[0], config.hiddenSizes[1]),
                    classCount: split.classNames.count, seed: config.seed)
    let log = TrainingLog(log: progress.log, status: progress.status)
    let trainer = Trainer(model: model, optimizer: Adam(learningRate: Float(config.learningRate)), batchSize: config.batchSize,
                          seed: config.seed, onEvent: log.receive)
    let recorder = config.trajectoryInterval.map { ParameterTrajectory.recording(model, trainer: trainer, every: $0) }
    let start = Date()
    let history = trainer.fit(train, validation: validation, epochs: config.epochs)
    let seconds = Date().timeIntervalSince(start)
    if let recorder, let weightsURL {
        recorder.finish(model: model)
        try recorder.trajectory.save(to: weightsURL.deletingLastPathComponent().appendingPathComponent(trajectoryFileName))
    }
    let evaluation = trainer.evaluate(test)
    log.append("""
        \(test.count)/\(test.count) - loss: \(String(format: "%.4f", evaluation.loss)) \
        - accuracy: \(String(format: "%.4f", evaluation.accuracy))
        """)
    log.append("Test accuracy: \(evaluation.accuracy)")
    if let weightsURL { try model.saveWeights(to: weightsURL) }

    let classes = split.classNames.count
    let errors = ClassificationErrors(evaluation: evaluation, labels: test.labels, classCount: classes)

    let layers = [
        LayerSummary(name: "Flatten", outputShape: "(None, \(pixels))", parameters: 0),
        LayerSummary(name: "Dense (ReLU)", outputShape: "(None, \(model.hidden1.weight.shape.min()!))",
                     parameters: model.hidden1.weight.count + model.hidden1.bias.count),
        LayerSummary(name: "Dense (ReLU)", outputShape: "(None, \(model.hidden2.weight.shape.min()!))",
                     parameters: model.hidden2.weight.count + model.hidden2.bias.count),
        LayerSummary(name: "Dense (softmax)", outputShape: "(None, \(classes))",
                     parameters: model.output.weight.count + model.output.bias.count),
    ]
    return MLPTrainingResult(trainCount: train.count, validationCount: validation.count, testCount: test.count,
                             parameterCount: model.parameterCount, layers: layers, history: history, log: log.lines,
                             testLoss: evaluation.loss, testAccuracy: evaluation.accuracy, confusion: errors.confusion,
                             misclassified: Array(errors.misclassified.prefix(24)), trainingSeconds: seconds,
                             sampleIndices: Array(trainIndices.prefix(20)), testPredictions: evaluation.predictions)
}
