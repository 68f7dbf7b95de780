import Datasets
import Foundation
import NN
import Tensor

/// `labbook bench lenet|resnet18|resnet50`: training throughput of a Q4 network (Adam,
/// cross-entropy, batch 64) measured over a number of steps after warm-up.
public struct ConvolutionalBenchmarkReport: Codable {
    public var workload: String
    public var dataset: String
    public var batch: Int
    public var measuredSteps: Int
    /// Seconds per 60,000-image epoch, extrapolated from the measured steps.
    public var secondsPerEpoch: Double
    public var trainImagesPerSecond: Double
    /// Peak resident memory of the process (VmHWM), MiB.
    public var peakResidentMegabytes: Double
    public var threads: Int
    /// Per-phase step times, measured on as many further steps after the timed ones.
    public var phases: StepPhases
    /// FLOP rate of a training step against the sgemm peak measured in the same run.
    public var efficiency: TrainingEfficiency
    public var peak: PeakBenchmarkReport

    enum CodingKeys: String, CodingKey {
        case workload, dataset, batch, threads, phases, efficiency, peak
        case measuredSteps = "measured_steps"
        case secondsPerEpoch = "s_per_epoch"
        case trainImagesPerSecond = "train_images_per_s"
        case peakResidentMegabytes = "peak_rss_mb"
    }
}

public enum ConvolutionalWorkload: String, CaseIterable, Sendable {
    case leNet5 = "lenet"
    case resNet18 = "resnet18"
    case resNet50 = "resnet50"

    var architecture: ConvolutionalArchitecture {
        switch self {
        case .leNet5: return .leNet5
        case .resNet18: return .resNet18
        case .resNet50: return .resNet50
        }
    }
}

/// Trains `workload` on `dataset`'s training images for `warmupSteps + steps` mini-batches
/// and times the last `steps` (forward, backward, Adam step).
public func runConvolutionalBenchmark(_ workload: ConvolutionalWorkload, dataset: DatasetSource, steps: Int, warmupSteps: Int = 2,
                                      batchSize: Int = 64, threads: Int, seed: UInt64, projectRoot: URL) throws -> ConvolutionalBenchmarkReport {
    let split = try dataset.load(projectRoot: projectRoot)
    // The convolutions split their images over the engine's cores, each calling a
    // single-threaded OpenBLAS: OpenBLAS's own threads would spin on the same cores.
    return withThreads(blas: 1, engine: threads) {
        let model = workload.architecture.makeModel(classCount: split.classNames.count, seed: seed)
        let optimizer = Adam()
        var generator = SeededGenerator(seed: seed)
        let order = generator.permutation(of: split.train.count)
        let sampleShape = [1, split.train.rows, split.train.columns]
        let pixels = split.train.normalizedPixels()
        let sampleSize = split.train.pixelsPerImage
        func batch(_ step: Int) -> (Tensor, [Int32]) {
            var features: [Float] = [], labels: [Int32] = []
            features.reserveCapacity(batchSize * sampleSize)
            for i in 0..<batchSize {
                let index = order[(step * batchSize + i) % order.count]
                features += pixels[(index * sampleSize)..<((index + 1) * sampleSize)]
                labels.append(Int32(split.train.labels[index]))
            }
            return (Tensor(features, shape: [batchSize] + sampleShape), labels)
        }
        let batches = (0..<(warmupSteps + steps)).map(batch)
        var measured = 0.0
        FloatingPointMode.withSubnormalsFlushedToZero {
            for (step, (input, labels)) in batches.enumerated() {
                let start = Date()
                let loss = crossEntropy(logits: model(input), targets: labels)
                loss.backward()
                let parameters = model.parameters()
                optimizer.update(parameters: parameters)
                for parameter in parameters { parameter.zeroGradient() }
                if step >= warmupSteps { measured += Date().timeIntervalSince(start) }
            }
        }
        let imagesPerSecond = Double(steps * batchSize) / measured
        let peakResident = peakResidentMegabytes()
        // The phases are measured on the timed batches' images, so the whole training set need
        // not stay in memory (and in the peak) for them.
        let training = LabeledData(features: batches.flatMap(\.0.data), labels: batches.flatMap(\.1), sampleShape: sampleShape)
        let phases = StepPhases.measure(model: model, optimizer: optimizer, data: training, batchSize: batchSize, steps: steps)
        let peak = runPeakBenchmark()
        let efficiency = TrainingEfficiency(forwardMultiplyAccumulatesPerSample: model.forwardMultiplyAccumulates(sampleShape: sampleShape),
                                            batchSize: batchSize, secondsPerStep: Double(batchSize) / imagesPerSecond,
                                            peakGFLOPS: peak.gflops(threads: threads))
        return ConvolutionalBenchmarkReport(workload: "\(workload.rawValue)-adam-batch\(batchSize)", dataset: split.name, batch: batchSize,
                                            measuredSteps: steps, secondsPerEpoch: 60_000 / imagesPerSecond,
                                            trainImagesPerSecond: imagesPerSecond, peakResidentMegabytes: peakResident,
                                            threads: threads, phases: phases, efficiency: efficiency, peak: peak)
    }
}

/// VmHWM from /proc/self/status, in MiB (0 where unavailable).
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
    return kilobytes / 1024
}
