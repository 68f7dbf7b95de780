import Analysis
import Datasets
import Notebook
@testable import Questions
import XCTest

/// Question 1's decision rules on made-up results whose verdicts are known.
final class Q1ClaimTests: XCTestCase {
    static let taskConfig = DigitsTaskConfig(dataset: "test", datasetHash: "0", negativeClass: 3, positiveClass: 8)
    static let labels = (0..<200).map { Double($0 % 2) }

    /// Logits that classify the first `correct` test items right and the rest wrong.
    static func logits(correct: Int) -> [Double] {
        labels.enumerated().map { index, label in (index < correct) == (label == 1) ? 3 : -3 }
    }

    /// A fair comparison whose every cell is `cell(loss, scale, rate)`: (validation accuracy, validation loss, test logits per start).
    static func fair(scales: [Double] = [0.1, 1, 4], rates: [Double] = [0.1, 1],
                     cell: (BinaryLoss, Double, Double) -> (Double, Double, [[Double]])) -> FairComparison {
        let design = FairComparisonDesign(learningRates: rates, initialLogitScales: scales, ordinaryScale: 1, starts: 3, iterations: 4,
                                          validationStride: 5, targetAccuracy: 0.95, seed: 1, bootstrapSeed: 2)
        let configs = design.configs(task: taskConfig)
        let cells = configs.map { config -> SweepCell in
            let (accuracy, loss, logits) = cell(config.loss, config.initialLogitScale, config.learningRate)
            return SweepCell(runs: logits.map {
                SweepRun(trainingLoss: [1, 0.5], trainingAccuracy: [0.5, 0.96], validationAccuracy: accuracy, validationLoss: loss,
                         testLogits: $0)
            })
        }
        return FairComparison(design: design, configs: configs, cells: cells, testLabels: labels)
    }

    func testTheLearningRateIsChosenOnValidationLossOrAccuracy() {
        let comparison = Self.fair(rates: [0.1, 1, 10]) { loss, _, rate in
            let accuracy = loss == .crossEntropy ? [0.1: 0.90, 1: 0.96, 10: 0.95][rate]! : 0.9
            let validationLoss = loss == .crossEntropy ? [0.1: 0.3, 1: 0.2, 10: 0.1][rate]! : 0.4
            return (accuracy, validationLoss, [Self.logits(correct: 180)])
        }
        XCTAssertEqual(comparison.chosenLearningRate(.crossEntropy, scale: 1), 10, "lowest validation loss")
        XCTAssertEqual(comparison.chosenLearningRate(.meanSquaredError, scale: 1), 0.1, "full tie: the smaller rate")
        XCTAssertEqual(comparison.edgeChoices().count, 6)
        let byAccuracy = comparison.choosing(by: .validationAccuracy)
        XCTAssertEqual(byAccuracy.chosenLearningRate(.crossEntropy, scale: 1), 1, "highest validation accuracy")
        XCTAssertEqual(byAccuracy.chosenLearningRate(.meanSquaredError, scale: 1), 0.1)
    }

    func testWorksBestVerdicts() {
        func verdict(ce: [Double: Int], mse: [Double: Int]) -> ClaimCheck {
            Self.fair { loss, scale, _ in
                let correct = (loss == .crossEntropy ? ce : mse)[scale] ?? 180
                return (0.9, 0.3, (0..<3).map { _ in Self.logits(correct: correct) })
            }.worksBestClaim(figures: [], validationImages: 160)
        }
        let supported = verdict(ce: [4: 196], mse: [4: 150])
        XCTAssertEqual(supported.verdict, .supported)
        XCTAssertNotNil(supported.decisionRule)
        XCTAssertEqual(verdict(ce: [4: 150], mse: [4: 196]).verdict, .refuted)
        XCTAssertEqual(verdict(ce: [4: 196, 0.1: 150], mse: [4: 150, 0.1: 196]).verdict, .partly)
        XCTAssertEqual(verdict(ce: [:], mse: [:]).verdict, .inconclusive, "the same predictions cannot separate the losses")
        XCTAssertEqual(verdict(ce: [4: 181], mse: [4: 180]).verdict, .inconclusive, "one image in 200 is inside the noise")
    }

    /// Half the items predicted ¼ and half ¾, with exactly those frequencies of class 1, are
    /// calibrated; predicting 0.05 and 0.95 for the same items is not (ECE 0.2).
    func testAccurateProbabilitiesVerdicts() {
        let group = (0..<200).map { $0 < 100 }
        let labels = (0..<200).map { index -> Double in group[index] ? (index % 4 == 0 ? 1 : 0) : (index % 4 == 0 ? 0 : 1) }
        func logits(_ low: Double, _ high: Double) -> [Double] { group.map { log(($0 ? low : high) / (1 - ($0 ? low : high))) } }
        func verdict(ce: [Double], mse: [Double]) -> ClaimCheck {
            let design = FairComparisonDesign(learningRates: [1], initialLogitScales: [1], ordinaryScale: 1, starts: 2, iterations: 1,
                                              validationStride: 5, targetAccuracy: 0.9, seed: 1, bootstrapSeed: 2)
            let configs = design.configs(task: Self.taskConfig)
            let cells = configs.map { config in
                SweepCell(runs: (0..<2).map { _ in
                    SweepRun(trainingLoss: [0], trainingAccuracy: [1], validationAccuracy: 1, validationLoss: 0,
                             testLogits: config.loss == .crossEntropy ? ce : mse)
                })
            }
            let fair = FairComparison(design: design, configs: configs, cells: cells, testLabels: labels)
            return CalibrationComparison(fair: fair, scale: 1, replicates: 300, seed: 4).claim(figure: "Figure 1")
        }
        let calibrated = logits(0.25, 0.75), overconfident = logits(0.05, 0.95)
        let supported = verdict(ce: calibrated, mse: overconfident)
        XCTAssertEqual(supported.verdict, .supported)
        XCTAssertNotNil(supported.decisionRule)
        XCTAssertEqual(verdict(ce: overconfident, mse: calibrated).verdict, .refuted)
        XCTAssertEqual(verdict(ce: calibrated, mse: calibrated).verdict, .inconclusive)
    }

    func testHandlesImbalanceVerdicts() {
        // Test items: the first 100 are 8s (the minority class in training), the rest 3s.
        let labels = (0..<200).map { $0 < 100 ? 1.0 : 0.0 }
        func logits(found: Int) -> [Double] { (0..<200).map { $0 < found ? 2 : -2 } }
        func verdict(ce: Int, mse: Int) -> ClaimCheck {
            let cell = ImbalanceCell(minorityCount: 8, testLogits: [BinaryLoss.crossEntropy.rawValue: logits(found: ce),
                                                                     BinaryLoss.meanSquaredError.rawValue: logits(found: mse)])
            let balanced = ImbalanceCell(minorityCount: 200, testLogits: [BinaryLoss.crossEntropy.rawValue: logits(found: 95),
                                                                           BinaryLoss.meanSquaredError.rawValue: logits(found: 95)])
            return ImbalanceComparison(shares: [0.5, 0.02], trainingSize: 400, seeds: [1, 2, 3],
                                       cells: [[balanced, balanced, balanced], [cell, cell, cell]],
                                       testLabels: labels, learningRates: [.crossEntropy: 1, .meanSquaredError: 3], replicates: 300,
                                       bootstrapSeed: 5).claim(figure: "Figure 2")
        }
        let supported = verdict(ce: 60, mse: 0)
        XCTAssertEqual(supported.verdict, .supported)
        XCTAssertNotNil(supported.decisionRule)
        XCTAssertEqual(verdict(ce: 30, mse: 0).verdict, .partly, "better than MSE but misses most minority digits")
        XCTAssertEqual(verdict(ce: 0, mse: 40).verdict, .refuted)
        XCTAssertEqual(verdict(ce: 20, mse: 20).verdict, .inconclusive)
    }
}

/// The training subsets Question 1's experiments draw from the digits.
final class DigitsTaskSubsetTests: XCTestCase {
    /// 20 training images of 2×2 pixels, alternately 3 and 8, pixel value = index; 4 test images.
    func makeTask() throws -> DigitsTask {
        let trainLabels = (0..<20).map { UInt8($0 % 2 == 0 ? 3 : 8) }
        let train = ImageSet(images: (0..<20).flatMap { [UInt8]($0 * 4..<$0 * 4 + 4) }, labels: trainLabels, rows: 2, columns: 2)
        let test = ImageSet(images: [UInt8](repeating: 7, count: 16), labels: [3, 8, 3, 8], rows: 2, columns: 2)
        let files = DatasetFiles(trainingImages: "a", trainingLabels: "b", testImages: "c", testLabels: "d")
        let split = try DatasetSplit(name: "toy", train: train, test: test, classNames: (0..<10).map(String.init), files: files,
                                     description: "toy", contentHash: "0")
        return try DigitsTask(split: split, negativeClass: 3, positiveClass: 8)
    }

    func testValidationHoldsOutEveryKthImage() throws {
        let (fitting, validation) = try makeTask().fittingAndValidation(loss: .crossEntropy, validationStride: 5)
        XCTAssertEqual(fitting.count, 16)
        XCTAssertEqual(validation.count, 4)
        // Image 4 (pixels 16…19, scaled by 1/255) is the first held out.
        XCTAssertEqual(validation.features[0], 16.0 / 255, accuracy: 1e-12)
        XCTAssertEqual(validation.labels, [0, 1, 0, 1])
    }

    func testImbalancedSamplesHaveTheAskedShareAndRepeatForASeed() throws {
        let task = try makeTask()
        let sample = task.imbalancedTraining(size: 10, minorityShare: 0.2, seed: 4, loss: .meanSquaredError)
        XCTAssertEqual(sample.count, 10)
        XCTAssertEqual(sample.labels.filter { $0 == 1 }.count, 2)
        XCTAssertEqual(task.imbalancedTraining(size: 10, minorityShare: 0.2, seed: 4, loss: .meanSquaredError).features, sample.features)
        XCTAssertNotEqual(task.imbalancedTraining(size: 10, minorityShare: 0.2, seed: 5, loss: .meanSquaredError).features, sample.features)
        // 10 of each class: at 10% the 3s allow 10 / 0.9 = 11 images.
        XCTAssertEqual(task.largestImbalancedSize(minorityShares: [0.5, 0.1]), 11)
    }

    func testStartsRepeatForASeedAndScaleWithTheLogitScale() throws {
        let task = try makeTask()
        let starts = task.randomStarts(count: 3, logitScale: 1, seed: 9)
        XCTAssertEqual(starts.count, 3)
        XCTAssertEqual(starts[0].count, task.dimension + 1)
        XCTAssertEqual(task.randomStarts(count: 3, logitScale: 1, seed: 9), starts)
        XCTAssertEqual(task.randomStarts(count: 3, logitScale: 4, seed: 9)[1][2], 4 * starts[1][2], accuracy: 1e-12)
    }
}
