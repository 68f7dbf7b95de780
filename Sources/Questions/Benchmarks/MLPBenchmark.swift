import Datasets
import Foundation
import NN
import Tensor

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
    /// FLOP rate of a training step against the sgemm peak measured in the same run.
    public var efficiency: TrainingEfficiency
    public var peak: PeakBenchmarkReport

    enum CodingKeys: String, CodingKey {
        case workload, dataset, epochs, threads, phases, efficiency, peak
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
    let peak = runPeakBenchmark()
    let stepsPerEpoch = (trainSet.count + 31) / 32
    let efficiency = TrainingEfficiency(forwardMultiplyAccumulatesPerSample: MLP(seed: seed).forwardMultiplyAccumulates(sampleShape: [784]),
                                        batchSize: 32, secondsPerStep: result.secondsPerEpoch / Double(stepsPerEpoch),
                                        peakGFLOPS: peak.gflops(threads: threads))
    return MLPBenchmarkReport(workload: result.workload, dataset: split.name, trainSamples: result.trainSamples, epochs: epochs,
                              secondsPerEpoch: result.secondsPerEpoch, testAccuracy: result.testAccuracy, threads: result.threads,
                              phases: result.phases, efficiency: efficiency, peak: peak)
}
