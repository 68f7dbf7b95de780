import Analysis
import Foundation
import Notebook

/// The measured facts of Question 1 and the verdicts they imply. Verdicts are computed
/// here from the numbers, never typed into the report.
struct Q1Evidence {
    let ce: LossSurface
    let mse: LossSurface
    let jensen: JensenResult
    let gradientCE: Double
    let gradientMSE: Double
    let wrongestLogit: Double
    let training: DigitsTrainingResult
    let trainingConfig: DigitsTrainingConfig
    let figures: (eigen: FigureReference, segment: FigureReference, gradient: FigureReference)

    /// Rounding can leave a PSD matrix's smallest eigenvalue a hair below zero.
    static let eigenvalueTolerance = 1e-9

    var ceIsConvexOnGrid: Bool { ce.minimumSmallestEigenvalue >= -Self.eigenvalueTolerance }
    var mseIsNonConvex: Bool { mse.minimumSmallestEigenvalue < -Self.eigenvalueTolerance }
    var ceMean: Double { mean(training.runs(.crossEntropy).map(\.testAccuracy)) }
    var mseMean: Double { mean(training.runs(.meanSquaredError).map(\.testAccuracy)) }
    var ceBest: Double { training.runs(.crossEntropy).map(\.testAccuracy).max() ?? .nan }
    var mseBest: Double { training.runs(.meanSquaredError).map(\.testAccuracy).max() ?? .nan }
    func stalled(_ loss: BinaryLoss) -> Int { training.runs(loss).filter { $0.trainAccuracy < trainingConfig.stallAccuracy }.count }

    func claimChecks(link: (FigureReference) -> String) -> [ClaimCheck] {
        let jensenCE = jensen.outcome(.crossEntropy, "toy").test, jensenMSE = jensen.outcome(.meanSquaredError, "toy").test
        let digitsCE = jensen.outcome(.crossEntropy, "digits").test, digitsMSE = jensen.outcome(.meanSquaredError, "digits").test
        let runs = training.runs(.crossEntropy).count

        // Claim 1: cross-entropy works best.
        let tests = [ceIsConvexOnGrid && mseIsNonConvex, ceMean >= mseMean - 0.005, stalled(.crossEntropy) <= stalled(.meanSquaredError)]
        let best: Verdict = tests.allSatisfy { $0 } ? .supported : (tests.contains(true) ? .partly : .refuted)
        let bestCheck = ClaimCheck(
            id: "ce-works-best",
            claim: "So out of Cross Entropy and Mean Squared Error, cross-entropy works best with logistic regression.",
            verdict: best,
            evidence: [
                "Cross-entropy's smallest Hessian eigenvalue over the grid is \(format(ce.minimumSmallestEigenvalue, digits: 3)) (convex); MSE's is \(format(mse.minimumSmallestEigenvalue, digits: 3)), negative on \(percent(mse.negativeCurvatureFraction)) of the grid (\(link(figures.eigen))).",
                "Jensen violations: cross-entropy \(jensenCE.violations)/\(jensenCE.pairs) (toy) and \(digitsCE.violations)/\(digitsCE.pairs) (digits); MSE \(jensenMSE.violations)/\(jensenMSE.pairs) (toy) and \(digitsMSE.violations)/\(digitsMSE.pairs) (digits) (\(link(figures.segment))).",
                "Same \(runs) initialisations, same step size: mean test accuracy \(format(ceMean)) (cross-entropy) vs \(format(mseMean)) (MSE); stalled runs \(stalled(.crossEntropy)) vs \(stalled(.meanSquaredError)).",
            ],
            conclusion: best == .supported
                ? "Cross-entropy gives a convex problem and trains reliably from any start; MSE with a sigmoid is non-convex and can stall, so cross-entropy is the better choice."
                : "The measured evidence is mixed: see the bullets; the convexity difference holds regardless of the training outcome.")

        // Claim 2: penalises large errors more heavily.
        let ratio = abs(gradientCE / gradientMSE)
        let heavier: Verdict = ratio > 100 ? .supported : (ratio > 1 ? .partly : .refuted)
        let ceLossAtWrong = BinaryLoss.crossEntropy.value(logit: wrongestLogit, label: 1)
        let mseLossAtWrong = BinaryLoss.meanSquaredError.value(logit: wrongestLogit, label: 1)
        let heavierCheck = ClaimCheck(
            id: "ce-penalises-large-errors",
            claim: "Cross-entropy loss complements this setup by penalizing large errors more heavily, especially when the predicted probability diverges from the actual label.",
            verdict: heavier,
            evidence: [
                "At logit z = \(format(wrongestLogit, digits: 0)) for a class-1 example, cross-entropy's loss is \(format(ceLossAtWrong)) and MSE's \(format(mseLossAtWrong)) (bounded by ½).",
                "The gradients there are \(format(gradientCE, digits: 5)) and \(format(gradientMSE, digits: 3)): \(String(format: "%.0f", ratio))× apart (\(link(figures.gradient))).",
            ],
            conclusion: "Cross-entropy grows linearly in the logit for confident mistakes and keeps a gradient of magnitude ≈ 1; MSE's penalty saturates at ½ and its gradient vanishes exponentially.")

        // Claim 3: MSE's assumptions are inappropriate.
        let mseCanClassify = mseBest >= ceBest - 0.01
        let assumptions: Verdict = mseCanClassify ? .partly : .supported
        let assumptionsCheck = ClaimCheck(
            id: "mse-inappropriate",
            claim: "The mean squared error ... is not as appropriate as a cost function for classification, given that the MSE makes assumptions about the data that are not appropriate for classification.",
            verdict: assumptions,
            evidence: [
                "The best MSE run reaches test accuracy \(format(mseBest)) against \(format(ceBest)) for the best cross-entropy run: MSE can fit a good classifier when optimisation succeeds.",
                "What goes wrong is optimisation, not the fitted model: negative curvature on \(percent(mse.negativeCurvatureFraction)) of the (w, b) grid, a Jensen violation rate of \(percent(jensenMSE.violationRate, digits: 2)), and \(stalled(.meanSquaredError)) of \(runs) runs stalled.",
            ],
            conclusion: "The measurable problem with MSE after a sigmoid is a non-convex landscape with vanishing gradients for confident mistakes, not an inability to represent a good classifier; the Gaussian-noise assumption behind MSE is the textbook explanation but not what the experiments isolate.")
        return [bestCheck, heavierCheck, assumptionsCheck]
    }
}
