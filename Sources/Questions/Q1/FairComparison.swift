import Analysis
import Foundation

/// The sweep's cells and what follows from them: the chosen learning rates and, at each scale,
/// the paired comparison of test accuracy at those rates.
struct FairComparison {
    let design: FairComparisonDesign
    let configs: [SweepCellConfig]
    let cells: [SweepCell]
    let testLabels: [Double]
    /// Per scale, in `design.initialLogitScales` order: test accuracy, cross-entropy − MSE, at the
    /// chosen rates, with a 95% paired bootstrap over the starts (the same for both losses) and
    /// the test images.
    private(set) var accuracyDifferences: [PairedBootstrap] = []

    init(design: FairComparisonDesign, configs: [SweepCellConfig], cells: [SweepCell], testLabels: [Double]) {
        precondition(configs.count == cells.count, "FairComparison: one cell per config")
        self.design = design
        self.configs = configs
        self.cells = cells
        self.testLabels = testLabels
        accuracyDifferences = design.initialLogitScales.enumerated().map { index, scale in
            PairedBootstrap(firstCorrect: chosen(.meanSquaredError, scale: scale).runs.map { $0.testCorrect(labels: testLabels) },
                            secondCorrect: chosen(.crossEntropy, scale: scale).runs.map { $0.testCorrect(labels: testLabels) },
                            seed: design.bootstrapSeed &+ UInt64(index))
        }
    }

    func cell(_ loss: BinaryLoss, scale: Double, learningRate: Double) -> SweepCell {
        let index = configs.firstIndex { $0.loss == loss && $0.initialLogitScale == scale && $0.learningRate == learningRate }!
        return cells[index]
    }

    /// The grid's learning rate that is best on the validation images by `design.criterion`.
    func chosenLearningRate(_ loss: BinaryLoss, scale: Double) -> Double {
        let ranked = design.learningRates.map { rate -> (rate: Double, accuracy: Double, loss: Double) in
            let cell = cell(loss, scale: scale, learningRate: rate)
            let validationLoss = cell.meanValidationLoss
            return (rate, cell.meanValidationAccuracy, validationLoss.isFinite ? validationLoss : .infinity)
        }
        return ranked.min { a, b in
            switch design.criterion {
            case .validationLoss:
                if a.loss != b.loss { return a.loss < b.loss }
                if a.accuracy != b.accuracy { return a.accuracy > b.accuracy }
            case .validationAccuracy:
                if a.accuracy != b.accuracy { return a.accuracy > b.accuracy }
                if a.loss != b.loss { return a.loss < b.loss }
            }
            return a.rate < b.rate
        }!.rate
    }

    /// The same runs with the learning rates chosen by another criterion.
    func choosing(by criterion: LearningRateCriterion) -> FairComparison {
        var design = design
        design.criterion = criterion
        return FairComparison(design: design, configs: configs, cells: cells, testLabels: testLabels)
    }

    func chosen(_ loss: BinaryLoss, scale: Double) -> SweepCell {
        cell(loss, scale: scale, learningRate: chosenLearningRate(loss, scale: scale))
    }

    func accuracyDifference(scale: Double) -> PairedBootstrap {
        accuracyDifferences[design.initialLogitScales.firstIndex(of: scale)!]
    }

    func testAccuracies(_ loss: BinaryLoss, scale: Double) -> [Double] {
        chosen(loss, scale: scale).runs.map { run in
            Double(run.testCorrect(labels: testLabels).filter { $0 }.count) / Double(testLabels.count)
        }
    }

    /// Steps each start needed to reach the target training accuracy (nil: not within the budget).
    func stepsToTarget(_ loss: BinaryLoss, scale: Double) -> [Int?] {
        chosen(loss, scale: scale).runs.map { $0.stepsToReach(accuracy: design.targetAccuracy) }
    }
}
