import Analysis
import Foundation
import Notebook

/// How the fair comparison reads in the report: its table, one sentence per scale, the numbers
/// in results.json and the verdict on "cross-entropy works best".
extension FairComparison {
    /// Whether cross-entropy's test accuracy is above MSE's (+1), below (−1) or neither (0) at a
    /// scale: the paired bootstrap interval excludes zero or not.
    func outcome(scale: Double) -> Int {
        let difference = accuracyDifference(scale: scale)
        return difference.lower > 0 ? 1 : difference.upper < 0 ? -1 : 0
    }

    /// "median 14 (8/8 reached)", or "none reached" within the budget.
    func stepsSummary(_ loss: BinaryLoss, scale: Double) -> String {
        let steps = stepsToTarget(loss, scale: scale)
        let reached = steps.compactMap { $0 }.sorted()
        guard !reached.isEmpty else { return "none reached" }
        // Runs that never reached the target count as slower than any that did.
        let ordered = reached.map(Double.init) + [Double](repeating: .infinity, count: steps.count - reached.count)
        let median = PairedBootstrap.quantile(ordered, 0.5)
        let middle = median.isFinite ? String(format: "%.0f", median) : "> \(design.iterations)"
        return "median \(middle) (\(reached.count)/\(steps.count) reached)"
    }

    var tableRows: [[String]] {
        design.initialLogitScales.map { scale in
            let difference = accuracyDifference(scale: scale)
            let rates = BinaryLoss.allCases.map { rateLabel(chosenLearningRate($0, scale: scale)) }
            let accuracies = BinaryLoss.allCases.map { SeedSpread(values: testAccuracies($0, scale: scale)) }
            return [scaleLabel(scale), rates.joined(separator: " / "),
                    String(format: "%.4f ± %.4f", accuracies[0].mean, accuracies[0].standardDeviation),
                    String(format: "%.4f ± %.4f", accuracies[1].mean, accuracies[1].standardDeviation),
                    String(format: "%+.4f [%+.4f, %+.4f]", difference.difference, difference.lower, difference.upper),
                    BinaryLoss.allCases.map { stepsSummary($0, scale: scale) }.joined(separator: "; ")]
        }
    }

    /// What the comparison shows at one scale, in a sentence (without naming the scale).
    func scaleSummary(scale: Double) -> Prose {
        let difference = accuracyDifference(scale: scale)
        let reading = difference.lower > 0 ? "cross-entropy is more accurate"
            : difference.upper < 0 ? "MSE is more accurate" : "the difference is inside the noise"
        let interval = String(format: "%+.4f (95%% interval %+.4f to %+.4f)", difference.difference, difference.lower, difference.upper)
        return """
            test accuracy cross-entropy − MSE \(interval), so \(reading); steps \
            to \(percent(design.targetAccuracy, digits: 0)) training accuracy: cross-entropy\u{20}
            """
            + "\(stepsSummary(.crossEntropy, scale: scale)), MSE \(stepsSummary(.meanSquaredError, scale: scale))."
    }

    /// The same comparison with the rates chosen by validation accuracy instead, in a sentence:
    /// how much the verdict's inputs depend on the selection rule.
    func sensitivity(validationImages: Int) -> Prose {
        let alternative = choosing(by: .validationAccuracy)
        let perScale = design.initialLogitScales.map { scale in
            let rates = BinaryLoss.allCases.map { rateLabel(alternative.chosenLearningRate($0, scale: scale)) }
            let difference = alternative.accuracyDifference(scale: scale)
            return "sd \(scaleLabel(scale)): rates \(rates.joined(separator: " / ")), "
                + String(format: "%+.4f (%+.4f to %+.4f)", difference.difference, difference.lower, difference.upper)
        }
        let scale = design.ordinaryScale
        func fit(_ comparison: FairComparison) -> String {
            let runs = comparison.chosen(.crossEntropy, scale: scale).runs
            return String(format: "training accuracy %.4f and validation loss %.3f",
                          mean(runs.map { $0.trainingAccuracy.last ?? .nan }), mean(runs.map(\.validationLoss)))
        }
        return "Sensitivity to the selection rule: choosing each rate by \(LearningRateCriterion.validationAccuracy.description) "
            + "instead (which moves in steps of one validation image in \(validationImages)) gives rates cross-entropy / MSE and test "
            + "accuracy differences cross-entropy − MSE of \(perScale.joined(separator: "; ")). At sd \(scaleLabel(scale)) the "
            + "cross-entropy runs chosen that way end at \(fit(alternative)), against \(fit(self)) at the rate chosen by "
            + "validation loss."
    }

    func record(in session: NotebookSession) {
        for scale in design.initialLogitScales {
            let prefix = "q1.fair.sd_\(keyLabel(scale))"
            for loss in BinaryLoss.allCases {
                session.record("\(prefix).\(loss.resultKey).learning_rate", chosenLearningRate(loss, scale: scale))
                session.record("\(prefix).\(loss.resultKey).test_accuracy_mean", mean(testAccuracies(loss, scale: scale)))
                let reached = stepsToTarget(loss, scale: scale).compactMap { $0 }.count
                session.record("\(prefix).\(loss.resultKey).runs_reaching_target", Double(reached))
            }
            let difference = accuracyDifference(scale: scale)
            session.record("\(prefix).accuracy_difference", difference.difference)
            session.record("\(prefix).accuracy_difference_lower", difference.lower)
            session.record("\(prefix).accuracy_difference_upper", difference.upper)
        }
    }
}

extension Question1 {
    func fairComparisonTable(_ session: NotebookSession, fair: FairComparison) -> Table {
        fair.record(in: session)
        let caption: Prose = """
            Each loss at its chosen learning rate: test accuracy over the \(fair.design.starts) starts \
            (\(fair.testLabels.count) test images), the paired difference with its 95% bootstrap interval (starts and test \
            images resampled), and the steps to \(percent(fair.design.targetAccuracy, digits: 0)) training accuracy.
            """
        return Table(caption: caption,
                     headers: ["Initial logit sd", "Rate CE / MSE", "Test accuracy CE", "Test accuracy MSE", "CE − MSE [95% interval]",
                               "Steps to target CE; MSE"],
                     rows: fair.tableRows)
    }
}
