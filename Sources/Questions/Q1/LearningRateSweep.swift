import Analysis
import Foundation

/// One cell of Question 1's learning-rate sweep: one loss at one learning rate from the same
/// random starts (one initial logit scale), full-batch gradient descent for a fixed budget.
struct SweepCellConfig: Codable {
    var task: DigitsTaskConfig
    /// Every `validationStride`-th training image is held out to choose the learning rate.
    var validationStride: Int
    var loss: BinaryLoss
    var learningRate: Double
    /// Standard deviation of the initial logits; the starts depend only on it and `seed`.
    var initialLogitScale: Double
    var starts: Int
    var iterations: Int
    var seed: UInt64
}

/// One start's run: training curves on the fitting images, the validation numbers that choose
/// the learning rate, and the test logits that everything after the choice is measured on.
struct SweepRun: Codable {
    var trainingLoss: [Double]
    var trainingAccuracy: [Double]
    var validationAccuracy: Double
    /// The run's own loss (cross-entropy or MSE) on the validation images.
    var validationLoss: Double
    var testLogits: [Double]

    var testProbabilities: [Double] { testLogits.map(sigmoid) }

    func testCorrect(labels: [Double]) -> [Bool] { zip(testLogits, labels).map { ($0 >= 0 ? 1.0 : 0.0) == $1 } }

    func stepsToReach(accuracy target: Double) -> Int? { trainingAccuracy.firstIndex { $0 >= target } }
}

struct SweepCell: Codable {
    var runs: [SweepRun]

    var meanValidationAccuracy: Double { mean(runs.map(\.validationAccuracy)) }
    var meanValidationLoss: Double { mean(runs.map(\.validationLoss)) }
}

func runSweepCell(_ config: SweepCellConfig, task: DigitsTask, progress: (Int, Int) -> Void) -> SweepCell {
    let (fitting, validation) = task.fittingAndValidation(loss: config.loss, validationStride: config.validationStride)
    let test = task.test(loss: config.loss)
    let starts = task.randomStarts(count: config.starts, logitScale: config.initialLogitScale, seed: config.seed)
    var runs: [SweepRun] = []
    for (index, start) in starts.enumerated() {
        let run = LogisticDescentRun(on: fitting, from: start, learningRate: config.learningRate, iterations: config.iterations)
        runs.append(SweepRun(trainingLoss: run.losses, trainingAccuracy: run.accuracies,
                             validationAccuracy: validation.accuracy(run.finalParameters),
                             validationLoss: validation.value(run.finalParameters),
                             testLogits: test.logits(run.finalParameters)))
        progress(index + 1, starts.count)
    }
    return SweepCell(runs: runs)
}
