import Foundation
import NN
import Tensor

/// What `benchmarkMLP` measured; field names match the Python benchmark's JSON.
public struct MLPBenchmarkResult: Codable, Equatable, Sendable {
    public var workload: String
    public var trainSamples: Int
    public var epochs: Int
    /// Mean wall-clock seconds per training epoch.
    public var secondsPerEpoch: Double
    public var testAccuracy: Double
    /// OpenBLAS threads used.
    public var threads: Int
    /// Per-phase step times, measured on 500 further steps after the timed epochs.
    public var phases: StepPhases

    enum CodingKeys: String, CodingKey {
        case workload, epochs, threads, phases
        case trainSamples = "train_samples"
        case secondsPerEpoch = "s_per_epoch"
        case testAccuracy = "test_accuracy"
    }
}

/// Trains `MLP` (784-128-64-10, Adam with Keras defaults, cross-entropy) and reports seconds
/// per epoch and test accuracy: the workload compared against Keras and PyTorch.
///
/// - Parameters:
///   - trainX: `count · 784` pixel values, already scaled (e.g. to [0, 1]).
///   - trainY: One label per training image.
///   - testX, testY: The test set, same layout.
///   - threads: OpenBLAS threads and cores for element-wise kernels (`Parallelism.coreCount`).
///     Results are bit-identical for a given value.
public func benchmarkMLP(trainX: [Float], trainY: [Int32], testX: [Float], testY: [Int32],
                         epochs: Int = 10, batchSize: Int = 32, seed: UInt64 = 0, threads: Int = 1,
                         logHandler: ((String) -> Void)? = nil) -> MLPBenchmarkResult {
    return withThreads(blas: threads, engine: threads) {
        let train = LabeledData(features: trainX, labels: trainY, sampleShape: [MLP.digitInputSize])
        let test = LabeledData(features: testX, labels: testY, sampleShape: [MLP.digitInputSize])
        let trainer = Trainer(model: MLP(seed: seed), optimizer: Adam(), batchSize: batchSize, seed: seed,
                              onEvent: { event in if let line = event.logLine { logHandler?(line) } })
        let history = trainer.fit(train, epochs: epochs)
        let evaluation = trainer.evaluate(test)
        let phases = StepPhases.measure(trainer: trainer, data: train, steps: min(500, max(1, train.count / batchSize)))
        return MLPBenchmarkResult(workload: "mlp-784-128-64-10-adam-batch\(batchSize)", trainSamples: train.count,
                                  epochs: epochs,
                                  secondsPerEpoch: history.seconds.reduce(0, +) / Double(max(history.epochCount, 1)),
                                  testAccuracy: evaluation.accuracy, threads: threads, phases: phases)
    }
}
