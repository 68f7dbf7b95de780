import Analysis
import Foundation
import Notebook

extension FairComparison {
    static let worksBestRule: Prose = """
    each loss is trained at its own learning rate, the one with the lowest validation loss (its own, on held-out training \
    images) in the same grid, for the same number of steps from the same random starts, at each initial logit scale; at \
    each scale the test accuracy difference \
    cross-entropy − MSE gets a 95% paired bootstrap interval (starts and test images resampled together). A scale counts \
    for cross-entropy when the interval lies above 0 and for MSE when it lies below. **SUPPORTED** if some scale counts for \
    cross-entropy and none for MSE; **REFUTED** if some counts for MSE and none for cross-entropy; **PARTLY** if both \
    occur; **INCONCLUSIVE** if no scale separates them.
    """

    /// "So out of Cross Entropy and Mean Squared Error, cross-entropy works best", decided by `worksBestRule`.
    func worksBestClaim(figures: [String], validationImages: Int) -> ClaimCheck {
        let scales = design.initialLogitScales
        let outcomes = scales.map { outcome(scale: $0) }
        let better = zip(scales, outcomes).filter { $0.1 > 0 }.map { scaleLabel($0.0) }
        let worse = zip(scales, outcomes).filter { $0.1 < 0 }.map { scaleLabel($0.0) }
        let verdict: Verdict = !better.isEmpty && worse.isEmpty ? .supported
            : better.isEmpty && !worse.isEmpty ? .refuted : !better.isEmpty ? .partly : .inconclusive
        var evidence: [Prose] = scales.map { scale in
            let rates = BinaryLoss.allCases.map { rateLabel(chosenLearningRate($0, scale: scale)) }
            let accuracies = BinaryLoss.allCases.map { String(format: "%.4f", mean(testAccuracies($0, scale: scale))) }
            return "Initial logit sd \(scaleLabel(scale)): cross-entropy at rate \(rates[0]) reaches \(accuracies[0]), "
                + "MSE at rate \(rates[1]) \(accuracies[1]) (means over \(design.starts) starts); " + scaleSummary(scale: scale)
        }
        let edges = edgeChoices()
        if !edges.isEmpty {
            evidence.append("Chosen at the edge of the grid, so a rate outside it might do better: "
                            + "\(edges.joined(separator: "; ")).")
        }
        evidence.append(sensitivity(validationImages: validationImages))
        evidence.append("See \(figures.joined(separator: " and ")).")
        return ClaimCheck(id: "ce-works-best",
                          claim: "So out of Cross Entropy and Mean Squared Error, cross-entropy works best with logistic regression.",
                          verdict: verdict, evidence: evidence, conclusion: worksBestConclusion(verdict, better: better, worse: worse),
                          decisionRule: Self.worksBestRule)
    }

    func worksBestConclusion(_ verdict: Verdict, better: [String], worse: [String]) -> Prose {
        switch verdict {
        case .supported:
            return "With each loss at its best rate, cross-entropy is more accurate from initial logit sd "
                + "\(better.joined(separator: ", ")) and never less accurate; elsewhere the two are within the noise."
        case .refuted:
            return "With each loss at its best rate, MSE is more accurate from initial logit sd \(worse.joined(separator: ", ")) "
                + "and cross-entropy never is."
        case .partly:
            return "Which loss is more accurate depends on the start: cross-entropy from logit sd \(better.joined(separator: ", ")), "
                + "MSE from \(worse.joined(separator: ", "))."
        case .inconclusive:
            return "With each loss at its own best learning rate and the same budget, the starts and test images cannot tell the "
                + "two losses' test accuracies apart at any scale: given a suitable step size, MSE trains this linear classifier "
                + "about as well as cross-entropy."
        }
    }

    /// Losses and scales whose chosen rate is the grid's smallest or largest.
    func edgeChoices() -> [String] {
        guard let low = design.learningRates.min(), let high = design.learningRates.max() else { return [] }
        return design.initialLogitScales.flatMap { scale in
            BinaryLoss.allCases.compactMap { loss in
                let rate = chosenLearningRate(loss, scale: scale)
                guard rate == low || rate == high else { return nil }
                return "\(loss.rawValue) at sd \(scaleLabel(scale)) (rate \(rateLabel(rate)))"
            }
        }
    }
}
