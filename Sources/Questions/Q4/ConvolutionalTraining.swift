import Datasets
import Experiments
import Foundation
import NN
import Notebook
import Tensor

/// One Q4 training run: architecture, data, recipe (Adam with a one-cycle learning-rate
/// schedule, cross-entropy) and seed.
///
/// A stratified `validationFraction` of the training images is held out for the curves and for
/// choosing the checkpoint: the run trains for its budget of `epochs` (the schedule spans
/// exactly that budget) and keeps the weights of its best validation epoch. The test set is
/// used once, after training, on those weights.
struct ConvolutionalTrainingConfig: Codable {
    var architecture: ConvolutionalArchitecture
    var dataset: String
    var datasetHash: String
    /// The epoch budget the schedule spans.
    var epochs: Int
    var validationFraction: Double
    var batchSize: Int
    /// Adam's peak learning rate of the one-cycle schedule.
    var peakLearningRate: Double
    /// The fraction of the steps spent warming up to the peak.
    var warmupFraction: Double
    /// ResNets: each block's last batch-normalisation γ starts at 0.
    var zeroInitialResidual: Bool
    /// Use at most this many training images (a seeded random subset); nil means all.
    var trainingLimit: Int?
    /// Evaluate on at most this many test images (the first ones); nil means all.
    var testLimit: Int?
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
    /// The learning-rate schedule as run, in words (`LearningRateSchedule.summary`).
    var schedule: String
    /// The 1-based epoch whose weights were kept and tested (highest validation accuracy).
    var bestEpoch: Int
    var log: [String]
    var testLoss: Double
    var testAccuracy: Double
    /// confusion[true][predicted]
    var confusion: [[Int]]
    var misclassified: [Misclassification]
    /// The predicted class of every test image, in test-set order: the paired test compares
    /// networks image by image.
    var testPredictions: [Int32]
    /// The probability the network gave each test image's true class.
    var trueClassProbabilities: [Float]
    /// Wall-clock seconds of the training epochs alone (no evaluation).
    var trainingSeconds: Double
    var imagesPerSecond: Double
    /// Cores the engine used (`EngineCores.perRun` where the run was computed: two, or one in
    /// each of two local workers). Not part of the config: how a run was executed does not
    /// name a different experiment, but a rerun is bit-identical only with the same count.
    var threads: Int
}


/// The training and validation images of a config: all training images (or a seeded random
/// subset of `trainingLimit`), split by class so that each class keeps its share in both.
func trainingAndValidationIndices(_ config: ConvolutionalTrainingConfig, split: DatasetSplit) -> (train: [Int], validation: [Int]) {
    var pool = Array(0..<split.train.count)
    if let limit = config.trainingLimit, limit < split.train.count {
        var generator = SeededGenerator(seed: config.seed &+ 17)
        pool = Array(generator.permutation(of: split.train.count).prefix(limit))
    }
    let parts = stratifiedSplit(labels: pool.map { split.train.labels[$0] }, testFraction: config.validationFraction,
                                seed: config.seed &+ 29)
    return (parts.train.map { pool[$0] }, parts.test.map { pool[$0] })
}

func trainConvolutional(_ config: ConvolutionalTrainingConfig, split: DatasetSplit, weightsURL: URL?,
                        progress: CellProgress) throws -> ConvolutionalTrainingResult {
    // The engine splits convolutions over its own cores when OpenBLAS runs single-threaded
    // (see `ConvolutionPlan`), which is faster here than OpenBLAS's threads.
    let threads = EngineCores.perRun
    return try withThreads(blas: 1, engine: threads) {
        let (trainIndices, validationIndices) = trainingAndValidationIndices(config, split: split)
        let train = labeledData(split.train, indices: trainIndices, layout: .channels)
        let validation = labeledData(split.train, indices: validationIndices, layout: .channels)
        let test = labeledData(split.test, indices: config.testLimit.map { Array(0..<min($0, split.test.count)) }, layout: .channels)
        let classes = split.classNames.count
        let model = config.architecture.makeModel(classCount: classes, seed: config.seed, zeroInitialResidual: config.zeroInitialResidual)
        let log = TrainingLog(log: progress.log, status: progress.status)
        let schedule = LearningRateSchedule.oneCycle(peak: config.peakLearningRate,
                                                     totalSteps: config.epochs * ((train.count + config.batchSize - 1) / config.batchSize),
                                                     warmupFraction: config.warmupFraction)
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: Float(config.peakLearningRate)), batchSize: config.batchSize,
                              seed: config.seed, schedule: schedule, onEvent: log.receive)
        let recorder = config.trajectoryInterval.map { ParameterTrajectory.recording(model, trainer: trainer, every: $0) }
        let history = trainer.fit(train, validation: validation, epochs: config.epochs, restoresBestValidation: true)
        let bestEpoch = EarlyStopping.bestEpoch(validationAccuracies: history.validationAccuracy) ?? history.epochCount
        log.append("Kept the weights of epoch \(bestEpoch) (highest val_accuracy)")
        if let recorder, let weightsURL {
            recorder.finish(model: model)  // the path ends at the tested weights
            try recorder.trajectory.save(to: weightsURL.deletingLastPathComponent().appendingPathComponent(trajectoryFileName))
        }
        let trainingSeconds = history.seconds.reduce(0, +)
        let evaluation = trainer.evaluate(test, batchSize: 250)
        log.append("""
            Test: \(test.count) images - loss: \(String(format: "%.4f", evaluation.loss)) \
            - accuracy: \(String(format: "%.4f", evaluation.accuracy))
            """)
        if let weightsURL { try model.saveWeights(to: weightsURL) }

        let errors = ClassificationErrors(evaluation: evaluation, labels: test.labels, classCount: classes)
        return ConvolutionalTrainingResult(
            parameterCount: model.parameterCount,
            multiplyAccumulates: model.forwardMultiplyAccumulates(sampleShape: train.sampleShape),
            trainCount: train.count, validationCount: validation.count, testCount: test.count, history: history,
            schedule: schedule.summary, bestEpoch: bestEpoch, log: log.lines,
            testLoss: evaluation.loss, testAccuracy: evaluation.accuracy, confusion: errors.confusion,
            misclassified: Array(errors.misclassified.prefix(20)), testPredictions: evaluation.predictions,
            trueClassProbabilities: test.labels.enumerated().map { index, label in
                evaluation.probabilities[index * evaluation.classCount + Int(label)]
            },
            trainingSeconds: trainingSeconds,
            imagesPerSecond: Double(train.count * history.epochCount) / max(trainingSeconds, 1e-9), threads: threads)
    }
}
