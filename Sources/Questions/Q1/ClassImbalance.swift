import Analysis
import Foundation

/// One cell of the class-imbalance experiment: both losses trained on the same imbalanced
/// sample of the training digits (the positive digit as the minority) from the same start.
struct ImbalanceCellConfig: Codable {
    var task: DigitsTaskConfig
    var minorityShare: Double
    var trainingSize: Int
    var initialLogitScale: Double
    /// Per loss (by raw value): the learning rate chosen for it on balanced data at `initialLogitScale`.
    var learningRates: [String: Double]
    var iterations: Int
    /// Seeds the sample and the start.
    var seed: UInt64
}

struct ImbalanceCell: Codable {
    var minorityCount: Int
    /// Per loss (by raw value): the logits of every test image.
    var testLogits: [String: [Double]]

    func testProbabilities(_ loss: BinaryLoss) -> [Double] { (testLogits[loss.rawValue] ?? []).map(sigmoid) }
}

func runImbalanceCell(_ config: ImbalanceCellConfig, task: DigitsTask, progress: (Int, Int) -> Void) -> ImbalanceCell {
    let start = task.randomStarts(count: 1, logitScale: config.initialLogitScale, seed: config.seed &+ 1)[0]
    var logits: [String: [Double]] = [:]
    var minorityCount = 0
    let test = task.test(loss: .crossEntropy)
    for (index, loss) in BinaryLoss.allCases.enumerated() {
        let training = task.imbalancedTraining(size: config.trainingSize, minorityShare: config.minorityShare, seed: config.seed,
                                               loss: loss)
        minorityCount = Int(training.labels.reduce(0, +))
        let run = LogisticDescentRun(on: training, from: start, learningRate: config.learningRates[loss.rawValue]!,
                                     iterations: config.iterations)
        logits[loss.rawValue] = test.logits(run.finalParameters)
        progress(index + 1, BinaryLoss.allCases.count)
    }
    return ImbalanceCell(minorityCount: minorityCount, testLogits: logits)
}
