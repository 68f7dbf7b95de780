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
    /// SUPPORTED only if none of them does.
    var verdict: Verdict {
        let nonConvex = !negativeCurvatureCases.isEmpty || deepJensenViolations > 0 || midpointGap > 1e-9 || toy.eigenvaluesAtOrigin[0] < 0
        return nonConvex ? .refuted : .supported
    }

    func claimCheck(claim: String, link: (FigureReference) -> String) -> ClaimCheck {
        let depthOne = jensen.filter { $0.loss == .meanSquared && $0.depth == 1 }.reduce(0) { $0 + $1.test.violations }
        let pairs = jensen.filter { $0.loss == .meanSquared && $0.depth >= 2 }.reduce(0) { $0 + $1.test.pairs }
        let strongest = negativeCurvatureCases.min { $0.smallest < $1.smallest }
        var evidence = [
            "Scalar two-layer network $L(a,b) = (ab-1)^2$: Hessian eigenvalues at the origin \(format(toy.eigenvaluesAtOrigin[0], digits: 3)) and \(format(toy.eigenvaluesAtOrigin[1], digits: 3)) (a saddle); the minima (1, 1) and (−1, −1) have loss \(format(toy.minimumLoss, digits: 3)), their midpoint \(format(toy.midpointLoss, digits: 3)) (\(link(figures.toy))).",
        ]
        if let strongest {
            evidence.append("Digits, depth \(strongest.depth), \(strongest.point): smallest Hessian eigenvalue \(format(strongest.smallest, digits: 4)) (Lanczos: \(format(strongest.lanczosSmallest, digits: 4))); \(negativeCurvatureCases.count) of the measured deep-network points have negative curvature (\(link(figures.spectra))).")
        }
        evidence.append("Permuted twins: equal losses \(format(permutation.minimumLoss, digits: 5)) and \(format(permutation.permutedLoss, digits: 5)), midpoint \(format(permutation.midpointLoss, digits: 5)) (\(link(figures.permutation))).")
        evidence.append("Random pairs: \(deepJensenViolations) Jensen violations in \(pairs) pairs for depths 2–3, against \(depthOne) for depth 1 (linear regression, convex).")
        evidence.append("Yet \(benign.finalLosses.count) random starts all reach loss within \(format((benign.finalLosses.max() ?? 0) - benign.leastSquaresLoss, digits: 3)) of the least-squares optimum (\(link(figures.benign))).")
        return ClaimCheck(
            id: "deep-linear-mse-convex", claim: claim, verdict: verdict, evidence: evidence,
            conclusion: "MSE is convex in the network's output and in the end-to-end matrix W = W_L⋯W_1, but not in the weights that training updates: with a hidden layer the loss has saddles and fails Jensen's inequality. What holds (Kawaguchi 2016) is weaker and still useful: every local minimum is global, so gradient descent from random starts reaches the optimum, as measured above.")
    }
}
