import Analysis
import Datasets
import Foundation
import Notebook

/// Question 1: cross-entropy vs MSE for logistic regression. Which loss is convex, and
/// does it matter in training? Every number below is computed in the run.
public struct Question1: Question {
    public let id = "q1"
    public let title = "Cross-entropy vs MSE for logistic regression"

    /// The digit dataset: `mnist-5k` unless `--dataset-dir` names another. This question's
    /// evidence is about the geometry of the losses (exact Hessians, many starts of the same
    /// small problem), which 5,000 real digits show as well as 70,000 at a fraction of the
    /// time; Questions 3 and 4, whose numbers the assignment reports, use full MNIST.
    let digits: SharedDataset

    public init(projectRoot: URL, digits: DatasetSource? = nil) {
        self.init(sharing: SharedDataset(requested: digits, projectRoot: projectRoot))
    }

    /// Reads the digits from `digits`, loaded once for every question that shares it.
    init(sharing digits: SharedDataset) {
        self.digits = digits
    }

    public func build(_ session: NotebookSession) throws {
        let toy = ToyProblemConfig(examplesPerClass: session.profile.pick(quick: 40, default: 100, full: 200),
                                   classZeroMean: -1, classOneMean: 1.5, standardDeviation: 1.2, seed: session.seed)
        introduction(session)
        let surfaces = try surfaceSection(session, toy: toy)
        let eigenFigure = try curvatureSection(session, surfaces: surfaces)
        let split = try digits.split(preferring: .mnist5k)
        let digits = try Self.digitsTask(split)
        session.usesDataset(split.description)
        let (jensen, segmentFigure) = try jensenSection(session, toy: toy, digits: digits)
        let (gradients, gradientFigure) = try gradientSection(session)
        let (fair, fairFigures) = try fairComparisonSection(session, digits: digits, design: fairComparisonDesign(session))
        let (calibration, reliabilityFigure) = try calibrationSection(session, fair: fair)
        let (imbalance, imbalanceFigure) = try imbalanceSection(session, digits: digits, fair: fair)

        session.heading("Claim checks")
        let geometry = Q1Evidence(ce: surfaces.surface(.crossEntropy), mse: surfaces.surface(.meanSquaredError), jensen: jensen,
                                  gradients: gradients, figures: (eigen: eigenFigure, segment: segmentFigure, gradient: gradientFigure))
        let validationImages = digits.trainLabels.count / fair.design.validationStride
        for check in [fair.worksBestClaim(figures: fairFigures.map(session.link), validationImages: validationImages),
                      geometry.penalisesClaim(link: session.link),
                      geometry.inappropriateClaim(link: session.link), calibration.claim(figure: session.link(reliabilityFigure)),
                      imbalance.claim(figure: session.link(imbalanceFigure))] {
            session.claim(check)
        }
        headlines(session, fair: fair, calibration: calibration, imbalance: imbalance)
    }

    /// Learning-rate grid, logit scales, starts and budget of the fair comparison, by profile.
    func fairComparisonDesign(_ session: NotebookSession) -> FairComparisonDesign {
        let grid = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30]
        return FairComparisonDesign(learningRates: session.profile.pick(quick: [0.1, 1, 10], default: grid, full: grid),
                                    initialLogitScales: [0.1, 1, 4], ordinaryScale: 1,
                                    starts: session.profile.pick(quick: 2, default: 8, full: 16),
                                    iterations: session.profile.pick(quick: 60, default: 300, full: 1000), validationStride: 5,
                                    targetAccuracy: 0.95, seed: session.seed &+ 2, bootstrapSeed: session.seed &+ 30)
    }

    func introduction(_ session: NotebookSession) {
        session.prose("""
        The assignment answers Question 1 with: *“So out of Cross Entropy and Mean Squared Error, cross-entropy works best \
        with logistic regression.”* This report tests that statement instead of asserting it. Logistic regression predicts \
        $p = \\sigma(z)$ with $z = w^\\top x + b$; per example the two losses are

        $$\\ell_{CE}(z) = -y\\log\\sigma(z) - (1-y)\\log(1-\\sigma(z)), \\qquad \\ell_{MSE}(z) = \\tfrac{1}{2}(\\sigma(z) - y)^2 .$$

        Through the linear model the Hessian of the mean loss is $H = \\frac{1}{n}\\sum_i \\ell''(z_i)\\,\\tilde{x}_i \\tilde{x}_i^\\top$ \
        with $\\tilde{x} = (x, 1)$, so the loss is convex in $(w, b)$ exactly when $\\ell'' \\ge 0$. For cross-entropy \
        $\\ell'' = \\sigma'(z) \\ge 0$ always; for MSE $\\ell'' = \\sigma'(z)^2 + (\\sigma(z) - y)\\,\\sigma''(z)$, which turns negative \
        for confidently wrong predictions. The sections below measure what that means.
        """)
    }

    func headlines(_ session: NotebookSession, fair: FairComparison, calibration: CalibrationComparison, imbalance: ImbalanceComparison) {
        let scale = fair.design.ordinaryScale
        let accuracies = BinaryLoss.allCases.map { String(format: "%.3f", mean(fair.testAccuracies($0, scale: scale))) }
        session.headline("CE / MSE test accuracy, each at its best rate (logit sd \(scaleLabel(scale)))",
                         accuracies.joined(separator: " / "))
        let ece = BinaryLoss.allCases.map { String(format: "%.3f", mean(calibration.calibrationErrors($0))) }
        session.headline("CE / MSE expected calibration error (\(CalibrationComparison.binCount) bins)", ece.joined(separator: " / "))
        let smallest = imbalance.shares.indices.min { imbalance.shares[$0] < imbalance.shares[$1] }!
        let recalls = BinaryLoss.allCases.map { String(format: "%.2f", mean(imbalance.minorityRecalls($0, share: smallest))) }
        session.headline("CE / MSE minority recall at \(percent(imbalance.shares[smallest], digits: 0)) share",
                         recalls.joined(separator: " / "))
    }
}
