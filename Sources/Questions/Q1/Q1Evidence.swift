import Analysis
import Foundation
import Notebook

/// The geometry of the two losses (curvature on the toy grid, Jensen tests, gradients against the
/// logit) and the verdicts it decides. Verdicts are computed here from the numbers, never typed
/// into the report.
struct Q1Evidence {
    let ce: LossSurface
    let mse: LossSurface
    let jensen: JensenResult
    let gradients: GradientCurves
    let figures: (eigen: FigureReference, segment: FigureReference, gradient: FigureReference)

    /// Rounding can leave a PSD matrix's smallest eigenvalue a hair below zero.
    static let eigenvalueTolerance = 1e-9

    var ceIsConvexOnGrid: Bool { ce.minimumSmallestEigenvalue >= -Self.eigenvalueTolerance }
    var mseIsNonConvex: Bool { mse.minimumSmallestEigenvalue < -Self.eigenvalueTolerance }

    func violations(_ loss: BinaryLoss) -> Int { ["toy", "digits"].reduce(0) { $0 + jensen.outcome(loss, $1).test.violations } }

    static let penalisesRule: Prose = """
    for an example of class 1 the per-example loss and its slope $|d\\ell/dz|$ are exact functions of the logit $z$, so there \
    is no noise to test against; they are compared from a right prediction to a confidently wrong one ($z$ from +10 down to \
    −10). **SUPPORTED** if at the most wrong logit cross-entropy's loss and slope both exceed MSE's and the slope ratio \
    cross-entropy / MSE grows as the prediction becomes more wrong; **PARTLY** if only some of these hold; **REFUTED** if none.
    """

    func penalisesClaim(link: (FigureReference) -> String) -> ClaimCheck {
        let wrongest = gradients.logits.first!
        let (ceSlope, mseSlope) = (gradients.derivative(.crossEntropy, at: 0), gradients.derivative(.meanSquaredError, at: 0))
        let ceLoss = BinaryLoss.crossEntropy.value(logit: wrongest, label: 1)
        let mseLoss = BinaryLoss.meanSquaredError.value(logit: wrongest, label: 1)
        let wrongSide = gradients.logits.indices.filter { gradients.logits[$0] < 0 }
        let ratios = wrongSide.map { abs(gradients.derivative(.crossEntropy, at: $0) / gradients.derivative(.meanSquaredError, at: $0)) }
        // Logits ascend, so the ratio grows towards more wrong predictions when it never rises with z.
        let growsWhenWrong = zip(ratios, ratios.dropFirst()).allSatisfy { $0 >= $1 }
        let parts = [ceLoss > mseLoss, abs(ceSlope) > abs(mseSlope), growsWhenWrong]
        let verdict: Verdict = parts.allSatisfy { $0 } ? .supported : parts.contains(true) ? .partly : .refuted
        let z = format(wrongest, digits: 0)
        return ClaimCheck(
            id: "ce-penalises-large-errors",
            claim: "Cross-entropy loss complements this setup by penalizing large errors more heavily, especially when the "
                + "predicted probability diverges from the actual label.",
            verdict: verdict,
            evidence: [
                "At logit z = \(z) for a class-1 example, cross-entropy's loss is \(format(ceLoss)) and MSE's \(format(mseLoss)) "
                    + "(bounded by ½).",
                "The slopes there are \(format(ceSlope, digits: 5)) and \(format(mseSlope, digits: 3)): "
                    + "\(String(format: "%.0f", abs(ceSlope / mseSlope)))× apart (\(link(figures.gradient))).",
                "The slope ratio is \(String(format: "%.1f", ratios.last ?? .nan)) just below z = 0 and "
                    + "\(growsWhenWrong ? "grows steadily" : "does not grow steadily") to \(String(format: "%.0f", ratios.first ?? .nan)) "
                    + "at z = \(z).",
            ],
            conclusion: "Cross-entropy grows linearly in the logit for confident mistakes and keeps a slope of magnitude ≈ 1; MSE's "
                + "penalty saturates at ½ and its slope vanishes exponentially, so the more wrong the prediction, the more heavily "
                + "cross-entropy penalises it relative to MSE.",
            decisionRule: Self.penalisesRule)
    }

    static let inappropriateRule: Prose = """
    the claim has two parts. (a) MSE is the less appropriate loss, decided here by convexity, which is what makes a loss \
    reliably minimisable: MSE's mean loss is non-convex (smallest Hessian eigenvalue below $-10^{-9}$ somewhere on the \
    one-feature grid, or a Jensen violation on either problem) while cross-entropy's shows neither. (b) The reason given, \
    that MSE "makes assumptions about the data", is not something these experiments can measure. **PARTLY** if (a) holds \
    (the reason stays untested); **REFUTED** if (a) fails.
    """

    func inappropriateClaim(link: (FigureReference) -> String) -> ClaimCheck {
        let msePart = mseIsNonConvex || violations(.meanSquaredError) > 0
        let cePart = ceIsConvexOnGrid && violations(.crossEntropy) == 0
        let verdict: Verdict = msePart && cePart ? .partly : .refuted
        let pairs = { (loss: BinaryLoss) in
            ["toy", "digits"].map { jensen.outcome(loss, $0).test }.map { "\($0.violations)/\($0.pairs)" }.joined(separator: " and ")
        }
        return ClaimCheck(
            id: "mse-inappropriate",
            claim: "The mean squared error ... is not as appropriate as a cost function for classification, given that the MSE "
                + "makes assumptions about the data that are not appropriate for classification.",
            verdict: verdict,
            evidence: [
                "Smallest Hessian eigenvalue over the (w, b) grid: cross-entropy \(format(ce.minimumSmallestEigenvalue, digits: 3)), "
                    + "MSE \(format(mse.minimumSmallestEigenvalue, digits: 3)), negative on \(percent(mse.negativeCurvatureFraction)) "
                    + "of the grid (\(link(figures.eigen))).",
                "Jensen violations on random segments (toy and digits): cross-entropy \(pairs(.crossEntropy)), "
                    + "MSE \(pairs(.meanSquaredError)) (\(link(figures.segment))).",
            ],
            conclusion: verdict == .partly
                ? "MSE after a sigmoid is the worse-behaved loss: non-convex, with plateaus where the σ′ factor kills the gradient. "
                    + "That comes from composing a squared error with the sigmoid, an optimisation property; the 'assumptions about "
                    + "the data' (MSE as a Gaussian likelihood) are the textbook explanation, not what is measured."
                : "The convexity measurements do not separate the two losses as the claim needs.",
            decisionRule: Self.inappropriateRule)
    }
}
