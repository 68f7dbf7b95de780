import Datasets
import Experiments
import Foundation
import NN
import Tensor

/// `labbook bench lenet|resnet18|resnet50`: training throughput of a Q4 network (Adam,
/// cross-entropy, batch 64) measured over a number of steps after warm-up.
public struct ConvolutionalBenchmarkReport: Codable {
    public var workload: String
    public var dataset: String
    public var batch: Int
    /// Untimed steps before the timed ones.
    public var warmupSteps: Int
    public var measuredSteps: Int
    /// Seconds per 60,000-image epoch, extrapolated from the measured steps.
    public var secondsPerEpoch: Double
    public var trainImagesPerSecond: Double
    /// Peak resident memory of the process (VmHWM), MiB, after the timed and the phase steps.
    public var peakResidentMegabytes: Double
    public var threads: Int
    /// Each timed step's seconds: median (what the throughput is computed from), min and max.
    public var stepSeconds: StepTimeSummary
    /// Per-phase step times, measured on as many further steps after the timed ones.
    public var phases: StepPhases
    /// FLOP rate of a training step against the sgemm peak measured in the same run.
    public var efficiency: TrainingEfficiency
    public var peak: PeakBenchmarkReport
    /// The cores' placement at the start of the run (nil on one processor).
    public var coreRoundTrip: CoreRoundTripReport?

    enum CodingKeys: String, CodingKey {
        case workload, dataset, batch, threads, phases, efficiency, peak
        case coreRoundTrip = "core_round_trip"
        case warmupSteps = "warmup_steps"
        case measuredSteps = "measured_steps"
        case secondsPerEpoch = "s_per_epoch"
        case trainImagesPerSecond = "train_images_per_s"
        case peakResidentMegabytes = "peak_rss_mb"
        case stepSeconds = "step_seconds"
    }
}


/// Batches of the timed steps whose images the phase measurement reuses: enough that gathering
/// one is not a copy out of a warm cache, few enough that the pool stays small (6.4 MB at
/// batch 64 with 28x28 images) however many steps are timed.
private let phasePoolBatches = 32

/// Trains `architecture` (benchmark `name`: `lenet`, as the command line calls it) on `dataset`'s training images for `warmupSteps + steps` mini-batches
/// and times each of the last `steps` (forward, backward, Adam step); throughput comes from the
/// median step. The sgemm peak is measured in the same process right before the steps, so the
/// fraction of peak compares two numbers from one moment of a noisy machine. Batches are built
/// one at a time outside the timed region, so memory does not grow with `steps`.
public func runConvolutionalBenchmark(_ architecture: ConvolutionalArchitecture, named name: String, dataset: DatasetSource, steps: Int, warmupSteps: Int = 3,
                                      batchSize: Int = 64, threads: Int, seed: UInt64, projectRoot: URL) throws -> ConvolutionalBenchmarkReport {
    // First, while no other thread of the process runs: the probe needs both cores to itself.
    let roundTrip = measureCoreRoundTrip()
    let requirements = architecture.datasetRequirements(consumer: "bench \(name)", batchSize: batchSize)
    let split = try dataset.load(projectRoot: projectRoot, for: requirements)
    // The convolutions split their images over the engine's cores, each calling a
    // single-threaded OpenBLAS: OpenBLAS's own threads would spin on the same cores.
    return withThreads(blas: 1, engine: threads) {
        let model = architecture.makeModel(classCount: split.classNames.count, seed: seed)
        let optimizer = Adam()
        // The product's own training step (what Q4's trainings and its throughput cell run).
        let trainer = Trainer(model: model, optimizer: optimizer, batchSize: batchSize, seed: seed)
        var generator = SeededGenerator(seed: seed)
        let batches = ShuffledMiniBatches(images: split.train, order: generator.permutation(of: split.train.count), batchSize: batchSize)
        let peak = runPeakBenchmark()
        var stepTimes: [Double] = []
        FloatingPointMode.withSubnormalsFlushedToZero {
            for step in 0..<(warmupSteps + steps) {
                let (input, labels) = batches.batch(step)
                let start = Date()
                _ = trainer.step(input, labels: labels)
                if step >= warmupSteps { stepTimes.append(Date().timeIntervalSince(start)) }
            }
        }
        let stepSeconds = StepTimeSummary(stepTimes)
        let imagesPerSecond = Double(batchSize) / stepSeconds.median
        // The phases are measured on the first timed batches' images, at most `phasePoolBatches`
        // of them, so neither they nor the whole training set in floats sit in the peak.
        let pool = batches.labeledData(steps: warmupSteps..<(warmupSteps + min(steps, phasePoolBatches)))
        let phases = StepPhases.measure(trainer: trainer, data: pool, steps: steps)
        // The high-water mark once every training step and the phase steps have run (the sgemm
        // peak's matrices, 48 MB, are counted in it).
        let peakResident = peakResidentMegabytes()
        let efficiency = TrainingEfficiency(forwardMultiplyAccumulatesPerSample: model.forwardMultiplyAccumulates(sampleShape: batches.sampleShape),
                                            batchSize: batchSize, secondsPerStep: Double(batchSize) / imagesPerSecond,
                                            peakGFLOPS: peak.gflops(threads: threads))
        return ConvolutionalBenchmarkReport(workload: "\(name)-adam-batch\(batchSize)", dataset: split.name, batch: batchSize,
                                            warmupSteps: warmupSteps, measuredSteps: steps, secondsPerEpoch: 60_000 / imagesPerSecond,
                                            trainImagesPerSecond: imagesPerSecond, peakResidentMegabytes: peakResident,
                                            threads: threads, stepSeconds: stepSeconds, phases: phases, efficiency: efficiency, peak: peak,
                                            coreRoundTrip: roundTrip)
    }
}

/// VmHWM from /proc/self/status, in MiB (0 where unavailable).
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}
