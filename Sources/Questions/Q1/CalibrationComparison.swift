import Analysis
import Foundation
import Notebook

/// How well the two trained classifiers' probabilities match the test digits: expected
/// calibration error, Brier score and log loss for each start, and their paired differences.
struct CalibrationComparison {
    /// Equal-width bins of the predicted probability of class 1.
    static let binCount = 15

    let scale: Double
    let learningRates: [BinaryLoss: Double]
    /// Per loss, per start: the predicted probability of class 1 for every test image.
    let probabilities: [BinaryLoss: [[Double]]]
    let labels: [Double]
    /// Cross-entropy − MSE, 95% paired bootstrap over the starts and the test images.
    let calibrationError: PairedMetricBootstrap
    let brier: PairedMetricBootstrap
    let logLoss: PairedMetricBootstrap

    init(fair: FairComparison, scale: Double, replicates: Int, seed: UInt64) {
        self.scale = scale
        labels = fair.testLabels
        var rates: [BinaryLoss: Double] = [:], probabilities: [BinaryLoss: [[Double]]] = [:]
        for loss in BinaryLoss.allCases {
            rates[loss] = fair.chosenLearningRate(loss, scale: scale)
            probabilities[loss] = fair.chosen(loss, scale: scale).runs.map(\.testProbabilities)
        }
        learningRates = rates
        self.probabilities = probabilities
        let (mse, ce) = (probabilities[.meanSquaredError]!, probabilities[.crossEntropy]!)
        func bootstrap(_ offset: UInt64, _ metric: @escaping ([Double], [Double]) -> Double) -> PairedMetricBootstrap {
            PairedMetricBootstrap(first: mse, second: ce, labels: fair.testLabels, replicates: replicates, seed: seed &+ offset,
                                  metric: metric)
        }
        calibrationError = bootstrap(0) { expectedCalibrationError(probabilities: $0, labels: $1, binCount: Self.binCount) }
        brier = bootstrap(1) { brierScore(probabilities: $0, labels: $1) }
        logLoss = bootstrap(2) { Analysis.logLoss(probabilities: $0, labels: $1) }
    }

    func calibrationErrors(_ loss: BinaryLoss) -> [Double] {
        probabilities[loss]!.map { expectedCalibrationError(probabilities: $0, labels: labels, binCount: Self.binCount) }
    }

    func brierScores(_ loss: BinaryLoss) -> [Double] { probabilities[loss]!.map { brierScore(probabilities: $0, labels: labels) } }

    func logLosses(_ loss: BinaryLoss) -> [Double] { probabilities[loss]!.map { Analysis.logLoss(probabilities: $0, labels: labels) } }

    /// All starts' test predictions pooled into one diagram.
    func pooledDiagram(_ loss: BinaryLoss) -> ReliabilityDiagram {
        let runs = probabilities[loss]!
        return ReliabilityDiagram(probabilities: Array(runs.joined()), labels: Array(repeatElement(labels, count: runs.count).joined()),
                                  binCount: Self.binCount)
    }

    /// "+0.0123 (95% interval −0.0040 to +0.0290)".
    static func interval(_ paired: PairedMetricBootstrap) -> String {
        String(format: "%+.4f (95%% interval %+.4f to %+.4f)", paired.difference, paired.lower, paired.upper)
    }
}
