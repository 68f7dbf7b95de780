import Analysis
import Foundation
import Notebook

/// The measured facts of Question 2 and the verdict they imply (computed, never typed).
struct Q2Evidence {
    let toy: ScalarToyResult
    let curvature: CurvatureResult
    let jensen: [DeepJensenRow]
    let permutation: PermutationResult
    let benign: BenignResult
    let figures: (toy: FigureReference, spectra: FigureReference, permutation: FigureReference, benign: FigureReference)

    /// Deep (depth ≥ 2) MSE networks at points where the Hessian has a negative eigenvalue.
    var negativeCurvatureCases: [SpectrumAtPoint] {
        curvature.spectra.filter { $0.loss == .meanSquared && $0.depth >= 2 && $0.negativeCount > 0 }
    }

    var deepJensenViolations: Int {
        jensen.filter { $0.loss == .meanSquared && $0.depth >= 2 }.reduce(0) { $0 + $1.test.violations }
    }

    var midpointGap: Double { permutation.midpointLoss - max(permutation.minimumLoss, permutation.permutedLoss) }

    /// REFUTED when any measurement shows non-convexity in the weights of a deep MSE network;
    /// INCONCLUSIVE when none does (sampling cannot prove convexity).
    var verdict: Verdict {
        let nonConvex = !negativeCurvatureCases.isEmpty || deepJensenViolations > 0 || midpointGap > 1e-9 || toy.eigenvaluesAtOrigin[0] < 0
        return nonConvex ? .refuted : .inconclusive
    }

    static let decisionRule: Prose = """
    a function is convex exactly when its Hessian is positive semi-definite everywhere, equivalently when no chord lies below \
    it. **REFUTED** if any measurement on a network with a hidden layer and MSE shows either: a Hessian eigenvalue below \
    −10⁻⁸ · max |λ| (exact Hessians), or a chord midpoint above both its ends (Jensen's inequality violated). Finding none \
    cannot prove convexity by sampling, so that would be **INCONCLUSIVE**, not SUPPORTED.
    """

    func claimCheck(claim: Prose, link: (FigureReference) -> String) -> ClaimCheck {
        let pairs = jensen.filter { $0.loss == .meanSquared && $0.depth >= 2 }.reduce(0) { $0 + $1.test.pairs }
        var evidence: [Prose] = [
            """
                Scalar two-layer network $L(a,b) = (ab-1)^2$: Hessian eigenvalues at the \
                origin \(format(toy.eigenvaluesAtOrigin[0], digits: 3)) \
                and \(format(toy.eigenvaluesAtOrigin[1], digits: 3)): a negative one, so not convex; the minima \
                (1, 1) and (−1, −1) have loss \(format(toy.minimumLoss, digits: 3)), their \
                midpoint \(format(toy.midpointLoss, digits: 3)), a chord below the function (\(link(figures.toy))).
                """,
        ]
        for spectrum in negativeCurvatureCases.sorted(by: { ($0.depth, $0.point) < ($1.depth, $1.point) }) {
            evidence.append("""
                Digits, depth \(spectrum.depth), \(spectrum.point) (‖∇L‖ \
                = \(format(spectrum.gradientNorm, digits: 2))): λ_min = \(format(spectrum.smallest, digits: 4)) \
                (Lanczos \(format(spectrum.lanczosSmallest, digits: 4))), \(spectrum.negativeCount) \
                of \(spectrum.eigenvalues.count) eigenvalues below −10⁻⁸ · max |λ| \
                = \(format(-curvatureTolerance * spectrum.scale, digits: 2)) (\(link(figures.spectra))).
                """)
        }
        if midpointGap > 1e-9 {
            evidence.append("""
                Permuted twins: equal losses \(format(permutation.minimumLoss, digits: 5)) \
                and \(format(permutation.permutedLoss, digits: 5)), midpoint \(format(permutation.midpointLoss, digits: 5)): \
                the chord between two minima lies below the function (\(link(figures.permutation))).
                """)
        }
        if deepJensenViolations > 0 {
            evidence.append(
                "Random pairs of initialisations: \(deepJensenViolations) Jensen violations in \(pairs) pairs for depths 2–3.")
        }
        return ClaimCheck(
            id: "deep-linear-mse-convex", claim: claim, verdict: verdict, evidence: evidence,
            conclusion: """
                MSE is convex in the network's output and in the end-to-end matrix W = W_L⋯W_1, but not in the \
                weights that training updates: with a hidden layer the loss has saddles and chords below it. What \
                holds (Kawaguchi 2016) is weaker and still useful: every local minimum is global, so gradient \
                descent from random starts reaches the optimum (\(benign.finalLosses.count) random starts all end \
                within \(format((benign.finalLosses.max() ?? 0) - benign.leastSquaresLoss, digits: 3)) of the \
                least-squares loss, \(link(figures.benign))).
                """,
            decisionRule: Self.decisionRule)
    }
}
