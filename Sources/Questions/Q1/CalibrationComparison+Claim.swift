import Analysis
import Foundation
import Notebook

extension CalibrationComparison {
    static let rule: Prose = """
    each loss's classifier is trained at its chosen learning rate from the ordinary starts; on the held-out test digits the \
    expected calibration error (ECE) is the count-weighted mean of |mean predicted probability − fraction of class 1| over \
    \(binCount) equal-width bins of the predicted probability of class 1 ([0, 1/\(binCount)), …, [\(binCount - 1)/\(binCount), 1]). \
    The ECE difference cross-entropy − MSE gets a 95% paired bootstrap interval (starts and test images resampled together): \
    **SUPPORTED** if it lies below 0 (cross-entropy's probabilities are the more accurate), **REFUTED** if above 0, \
    **INCONCLUSIVE** otherwise. Brier score and log loss are reported beside it.
    """

    /// "Cross-entropy ... guiding optimization towards accurate probabilistic outputs", decided by `rule`.
    func claim(figure: String) -> ClaimCheck {
        let verdict: Verdict = calibrationError.upper < 0 ? .supported : calibrationError.lower > 0 ? .refuted : .inconclusive
        let row = { (name: String, values: (BinaryLoss) -> [Double], paired: PairedMetricBootstrap) -> Prose in
            "\(name): cross-entropy \(SeedSpread(values: values(.crossEntropy)).formatted()), MSE "
                + "\(SeedSpread(values: values(.meanSquaredError)).formatted()); difference \(Self.interval(paired))."
        }
        let rates = "learning rates \(rateLabel(learningRates[.crossEntropy]!)) (cross-entropy) and "
            + "\(rateLabel(learningRates[.meanSquaredError]!)) (MSE)"
        return ClaimCheck(
            id: "ce-accurate-probabilities",
            claim: "Cross-entropy loss suits logistic regression by ... guiding optimization towards accurate probabilistic outputs.",
            verdict: verdict,
            evidence: [
                "Initial logit sd \(scaleLabel(scale)), \(rates), \(labels.count) test images per start.",
                row("ECE (\(Self.binCount) bins)", calibrationErrors, calibrationError),
                row("Brier score", brierScores, brier),
                row("Log loss", logLosses, logLoss),
                "Reliability diagram: \(figure).",
            ],
            conclusion: conclusion(verdict), decisionRule: Self.rule)
    }

    func conclusion(_ verdict: Verdict) -> Prose {
        switch verdict {
        case .supported:
            let scoresAgree = brier.upper < 0 && logLoss.upper < 0
            return "Cross-entropy's predicted probabilities match the test frequencies more closely than MSE's (lower ECE)"
                + (scoresAgree ? ", and both proper scores agree."
                    : "; the Brier score and log loss, which also reward sharp predictions, do not separate the two, "
                    + "so the advantage shows in calibration alone.")
        case .refuted:
            return "MSE's predicted probabilities match the test frequencies more closely than cross-entropy's: minimising the "
                + "squared error of a probability (the Brier score, itself a proper scoring rule) calibrates at least as well here."
        case .inconclusive, .partly:
            return "The two classifiers' calibration cannot be told apart on these test digits, so the measurement does not show "
                + "cross-entropy giving the more accurate probabilities. Both losses are proper scoring rules (MSE on a probability "
                + "is the Brier score), so both pull the predictions towards the observed frequencies."
        }
    }
}
