import Datasets
import Foundation
import NN

/// `labbook bench mlp`: the Q3 recipe on a dataset's 80% training split, timed per epoch.
public struct MLPBenchmarkReport: Codable {
    public var workload: String
    public var dataset: String
    public var trainSamples: Int
    public var epochs: Int
    public var secondsPerEpoch: Double
    public var testAccuracy: Double
    public var threads: Int
    public var phases: StepPhases

    enum CodingKeys: String, CodingKey {
        case workload, dataset, epochs, threads, phases
        case trainSamples = "train_samples"
        case secondsPerEpoch = "s_per_epoch"
        case testAccuracy = "test_accuracy"
    }
}

public func runMLPBenchmark(dataset: DatasetSource, epochs: Int, threads: Int, seed: UInt64, projectRoot: URL,
                            log: ((String) -> Void)? = nil) throws -> MLPBenchmarkReport {
    let split = try dataset.load(projectRoot: projectRoot)
    let (train, _) = shuffledValidationSplit(count: split.train.count, validationFraction: 0.2, seed: seed)
    let trainSet = split.train.subset(train)
    let result = benchmarkMLP(trainX: trainSet.normalizedPixels(), trainY: trainSet.labels.map(Int32.init),
                              testX: split.test.normalizedPixels(), testY: split.test.labels.map(Int32.init),
                              epochs: epochs, batchSize: 32, seed: seed, threads: threads, logHandler: log)
    return MLPBenchmarkReport(workload: result.workload, dataset: split.name, trainSamples: result.trainSamples, epochs: epochs,
                              secondsPerEpoch: result.secondsPerEpoch, testAccuracy: result.testAccuracy, threads: result.threads,
                              phases: result.phases)
}
