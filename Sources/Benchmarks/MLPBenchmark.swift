import Datasets
import Experiments
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
    /// The cores' placement at the start of the run (nil on one processor).
    public var coreRoundTrip: CoreRoundTripReport?

    enum CodingKeys: String, CodingKey {
        case workload, dataset, epochs, threads, phases, efficiency, peak
        case coreRoundTrip = "core_round_trip"
        case trainSamples = "train_samples"
        case secondsPerEpoch = "s_per_epoch"
        case testAccuracy = "test_accuracy"
    }
}

/// The Q3 recipe's mini-batch and validation share, as the benchmark runs them.
private let batchSize = 32
private let validationFraction = 0.2

/// What the benchmark's MLP needs: 784-pixel images for its first dense layer, and a full
/// mini-batch left after holding out 20% (the phases are measured on full batches).
let mlpBenchmarkRequirements = DatasetRequirements(
    consumer: "bench mlp", imageShape: .pixelCount(MLP.digitInputSize),
    shapeReason: "the MLP's first dense layer takes \(MLP.digitInputSize) inputs",
    minimumTrainingImages: smallestTrainingSet(batchSize: batchSize, validationFraction: validationFraction),
    countReason: "\(Int(validationFraction * 100))% are held out and a mini-batch takes \(batchSize)")

public func runMLPBenchmark(dataset: DatasetSource, epochs: Int, threads: Int, seed: UInt64, projectRoot: URL,
                            log: ((String) -> Void)? = nil) throws -> MLPBenchmarkReport {
    // First, while no other thread of the process runs: the probe needs both cores to itself.
    let roundTrip = measureCoreRoundTrip()
    let split = try dataset.load(projectRoot: projectRoot, for: mlpBenchmarkRequirements)
    let (train, _) = shuffledValidationSplit(count: split.train.count, validationFraction: validationFraction, seed: seed)
    let trainSet = split.train.subset(train)
    // The sgemm peak right before the epochs, in the same process: one moment of a noisy machine.
    let peak = runPeakBenchmark()
    let result = benchmarkMLP(trainX: trainSet.normalizedPixels(), trainY: trainSet.labels.map(Int32.init),
                              testX: split.test.normalizedPixels(), testY: split.test.labels.map(Int32.init),
                              epochs: epochs, batchSize: batchSize, seed: seed, threads: threads, logHandler: log)
    let stepsPerEpoch = (trainSet.count + batchSize - 1) / batchSize
    let efficiency = TrainingEfficiency(forwardMultiplyAccumulatesPerSample: MLP(seed: seed).forwardMultiplyAccumulates(sampleShape: [MLP.digitInputSize]),
                                        batchSize: batchSize, secondsPerStep: result.secondsPerEpoch / Double(stepsPerEpoch),
                                        peakGFLOPS: peak.gflops(threads: threads))
    return MLPBenchmarkReport(workload: result.workload, dataset: split.name, trainSamples: result.trainSamples, epochs: epochs,
                              secondsPerEpoch: result.secondsPerEpoch, testAccuracy: result.testAccuracy, threads: result.threads,
                              phases: result.phases, efficiency: efficiency, peak: peak, coreRoundTrip: roundTrip)
}
