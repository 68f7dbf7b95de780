import Analysis
import Foundation

/// Full-batch gradient descent on the digit problem from many random starts, for each loss.
struct DigitsTrainingConfig: Codable {
    var task: DigitsTaskConfig
    var initializations: Int
    var iterations: Int
    var learningRate: Double
    /// Standard deviation of the initial logits; large values start many examples confidently wrong.
    var initialLogitScale: Double
    /// A run is *slow* when its training accuracy after the budget is below this.
    var stallAccuracy: Double
    var seed: UInt64
}

struct TrainingRunSummary: Codable {
    var losses: [Double]
    var trainAccuracy: Double
    var testAccuracy: Double
    var initialTrainAccuracy: Double
    var finalGradientNorm: Double
}

struct DigitsTrainingResult: Codable {
    var runs: [String: [TrainingRunSummary]]

    func runs(_ loss: BinaryLoss) -> [TrainingRunSummary] { runs[loss.rawValue] ?? [] }
}

func trainDigits(_ config: DigitsTrainingConfig, task: DigitsTask, progress: (Int, Int) -> Void) -> DigitsTrainingResult {
    var generator = SeededGenerator(seed: config.seed)
    let scale = config.initialLogitScale / task.featureScale
    // The same starting points for both losses, so differences come from the loss alone.
    let starts: [[Double]] = (0..<config.initializations).map { _ in
        (0...task.dimension).map { _ in generator.nextGaussian() * scale }
    }
    var runs: [String: [TrainingRunSummary]] = [:]
    var done = 0
    for loss in BinaryLoss.allCases {
        let train = task.train(loss: loss)
        let test = task.test(loss: loss)
        runs[loss.rawValue] = starts.map { start in
            let run = gradientDescent(on: train, from: start, learningRate: config.learningRate, iterations: config.iterations)
            done += 1
            progress(done, 2 * starts.count)
            return TrainingRunSummary(losses: run.losses, trainAccuracy: train.accuracy(run.finalParameters),
                                      testAccuracy: test.accuracy(run.finalParameters),
                                      initialTrainAccuracy: train.accuracy(start), finalGradientNorm: run.finalGradientNorm)
        }
    }
    return DigitsTrainingResult(runs: runs)
}

extension DigitsTrainingConfig {
    /// A run starts on a *plateau* when, after the first fifth of its steps, its loss is still
    /// above 90% of where it started: gradient descent barely moved it.
    static let plateauFraction = 0.2
    static let plateauLevel = 0.9

    func startsOnPlateau(_ run: TrainingRunSummary) -> Bool {
        let step = Int(Double(iterations) * Self.plateauFraction)
        guard let first = run.losses.first, step < run.losses.count else { return false }
        return run.losses[step] > Self.plateauLevel * first
    }

    func isSlow(_ run: TrainingRunSummary) -> Bool { run.trainAccuracy < stallAccuracy }
}
