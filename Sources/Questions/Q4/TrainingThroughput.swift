import Datasets
import Experiments
import Foundation
import NN
import Tensor

/// Training throughput of one network measured on its own, for the cost column: the median of
/// `steps` timed training steps (after `warmup` untimed ones) on one mini-batch of real digits,
/// so that the cost comparison does not rest on wall times of trainings that shared the
/// machine with other work.
struct ThroughputConfig: Codable {
    var architecture: ConvolutionalArchitecture
    var datasetHash: String
    var batchSize: Int
    var warmup: Int
    var steps: Int
    var threads: Int
}

struct ThroughputResult: Codable {
    /// Seconds per step: median, fastest and slowest of the timed steps.
    var medianSeconds: Double
    var minimumSeconds: Double
    var maximumSeconds: Double
    var imagesPerSecond: Double
}

func measureThroughput(_ config: ThroughputConfig, split: DatasetSplit) -> ThroughputResult {
    withThreads(blas: 1, engine: config.threads) {
        let batch = labeledData(split.train, indices: Array(0..<config.batchSize), layout: .channels)
        let model = config.architecture.makeModel(classCount: split.classNames.count, seed: 1, zeroInitialResidual: true)
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: 1e-3), batchSize: config.batchSize)
        let input = Tensor(batch.features, shape: [batch.count] + batch.sampleShape)
        let clock = ContinuousClock()
        var times: [Double] = []
        FloatingPointMode.withSubnormalsFlushedToZero {
            model.train(true)
            for index in 0..<(config.warmup + config.steps) {
                let start = clock.now
                trainer.step(input, labels: batch.labels)
                if index >= config.warmup { times.append((clock.now - start).seconds) }
            }
        }
        let summary = StepTimeSummary(times)
        return ThroughputResult(medianSeconds: summary.median, minimumSeconds: summary.min, maximumSeconds: summary.max,
                                imagesPerSecond: Double(config.batchSize) / summary.median)
    }
}
