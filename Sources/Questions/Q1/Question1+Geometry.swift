import Analysis
import Foundation
import Notebook
import Plot

/// The geometry sections of Question 1, in reading order: surfaces and curvature of the one-feature
/// problem, Jensen tests on random segments, and the gradient against the logit.
extension Question1 {
    func surfaceSection(_ session: NotebookSession, toy: ToyProblemConfig) throws -> SurfaceResult {
        session.heading("Loss surfaces on a one-feature problem")
        let surfaceConfig = SurfaceConfig(toy: toy, weightRange: [-8, 8], biasRange: [-8, 8],
                                          gridSize: session.profile.pick(quick: 31, default: 201, full: 301))
        let surfaces = try session.compute("loss-surfaces", version: "1", config: surfaceConfig) { config, progress in
            computeSurfaces(config, progress: progress.update)
        }.result
        let ce = surfaces.surface(.crossEntropy), mse = surfaces.surface(.meanSquaredError)
        let (plotWeights, plotBiases, thinned) = contourGrid(surfaces)
        session.prose("""
        Two classes on a line: \(toy.examplesPerClass) points each from $\\mathcal{N}(\(format(toy.classZeroMean, digits: 1)), \
        \(format(toy.standardDeviation, digits: 1))^2)$ (label 0) and $\\mathcal{N}(\(format(toy.classOneMean, digits: 1)), \
        \(format(toy.standardDeviation, digits: 1))^2)$ (label 1), seed \(toy.seed). With one feature the mean loss is a function \
        of $(w, b)$ only, evaluated on a \(surfaceConfig.gridSize)×\(surfaceConfig.gridSize) grid over $[-8, 8]^2$.
        """)
        let surfaceCaption: Prose = "Mean cross-entropy (left) and mean MSE (right) over (w, b), same grid. Cross-entropy is a bowl that "
            + "keeps rising; MSE flattens into plateaus where the sigmoid saturates."
        let surfaceFigure = try session.plot("loss-surfaces-3d", caption: surfaceCaption,
                                             width: 900, height: 420, columns: 2) { figure in
            for (column, surface) in [ce, mse].enumerated() {
                let axes = figure.axes(0, column)
                let step = max(1, surfaces.weights.count / 40)
                axes.surface3D(x: every(surfaces.weights, step), y: every(surfaces.biases, step),
                               z: every(surface.values, step).map { every($0, step) }, colormap: .viridis,
                               elevation: 28, azimuth: -55, zLabel: "loss")
                axes.title = "Mean \(surface.loss.rawValue)"
                axes.xLabel = "w"
                axes.yLabel = "b"
            }
        }
        let contourFigure = try session.plot("loss-contours", caption: "The same two losses as filled contours with labelled level lines.",
                                             width: 900, height: 400, columns: 2) { figure in
            for (column, surface) in [ce, mse].enumerated() {
                let axes = figure.axes(0, column)
                axes.filledContour(x: plotWeights, y: plotBiases, z: thinned(surface.values), levels: 14, colormap: .viridis,
                                   colorbarLabel: "loss")
                let values = surface.values.joined()
                let low = values.min()!, high = values.max()!
                axes.contourLines(x: plotWeights, y: plotBiases, z: thinned(surface.values),
                                  levels: (1...5).map { low + (high - low) * Double($0) / 6 }, color: .white, labelLines: true)
                axes.title = "Mean \(surface.loss.rawValue)"
                axes.xLabel = "w"
                axes.yLabel = "b"
            }
        }
        session.prose("\(session.link(surfaceFigure)) and \(session.link(contourFigure)) show the shapes; the curvature tells them "
                      + "apart exactly.")
        return surfaces
    }

    func curvatureSection(_ session: NotebookSession, surfaces: SurfaceResult) throws -> FigureReference {
        let ce = surfaces.surface(.crossEntropy), mse = surfaces.surface(.meanSquaredError)
        let (plotWeights, plotBiases, thinned) = contourGrid(surfaces)
        session.heading("Curvature: the smallest Hessian eigenvalue")
        let eigenCaption: Prose = "Smallest eigenvalue of the analytic 2×2 Hessian at every grid point (diverging colours centred at 0; "
            + "the black line is λ_min = 0). Blue regions have negative curvature: the loss is not convex there."
        let eigenFigure = try session.plot("smallest-eigenvalue", caption: eigenCaption,
                                           width: 900, height: 400, columns: 2) { figure in
            for (column, surface) in [ce, mse].enumerated() {
                let axes = figure.axes(0, column)
                let values = surface.smallestEigenvalues
                axes.filledContour(x: plotWeights, y: plotBiases, z: thinned(values), levels: 16, colormap: .diverging,
                                   colorbarLabel: "λ_min", center: 0)
                if surface.negativeCurvatureFraction > 0 {
                    axes.contourLines(x: plotWeights, y: plotBiases, z: thinned(values), levels: [0], color: .black, labelLines: false)
                }
                axes.title = "\(surface.loss.rawValue): λ_min(H)"
                axes.xLabel = "w"
                axes.yLabel = "b"
            }
        }
        session.metrics([
            Metric(key: "q1.ce.min_eigenvalue", label: "Cross-entropy: smallest λ_min on the grid",
                   value: ce.minimumSmallestEigenvalue, format: "%.3g"),
            Metric.share(key: "q1.ce.negative_fraction", label: "Cross-entropy: share of grid points with λ_min < 0",
                         fraction: ce.negativeCurvatureFraction, digits: 2),
            Metric(key: "q1.mse.min_eigenvalue", label: "MSE: smallest λ_min on the grid",
                   value: mse.minimumSmallestEigenvalue, format: "%.3g"),
            Metric.share(key: "q1.mse.negative_fraction", label: "MSE: share of grid points with λ_min < 0",
                         fraction: mse.negativeCurvatureFraction, digits: 2),
        ])
        session.prose("""
        On all \(surfaces.weights.count * surfaces.biases.count) grid points the cross-entropy Hessian has smallest eigenvalue \
        ≥ \(format(ce.minimumSmallestEigenvalue, digits: 3)) (zero up to rounding: $X^\\top S X$ with \
        $S = \\mathrm{diag}(\\sigma'(z_i))$ \
        is positive semidefinite). The MSE Hessian is indefinite on \(percent(mse.negativeCurvatureFraction)) of the grid, \
        with eigenvalues down to \(format(mse.minimumSmallestEigenvalue, digits: 3)) (\(session.link(eigenFigure))).
        """)

        return eigenFigure
    }

    func jensenSection(_ session: NotebookSession, toy: ToyProblemConfig, digits: DigitsTask) throws -> (JensenResult, FigureReference) {
        session.heading("Jensen test on random segments")
        let jensenConfig = JensenConfig(toy: toy, toyPairs: session.profile.pick(quick: 500, default: 20_000, full: 100_000), box: 8,
                                        digits: digits.config, digitPairs: session.profile.pick(quick: 40, default: 600, full: 3000),
                                        digitLogitScale: 4, seed: session.seed &+ 1)
        let jensen = try session.compute("jensen-test", version: "1", config: jensenConfig) { config, progress in
            runJensenTests(config, digits: digits, progress: progress.update)
        }.result
        let rows = jensen.outcomes.map { outcome in
            [outcome.setting == "toy" ? "1 feature, (w, b) ∈ [−8, 8]²"
                : "digits \(digits.config.negativeClass) vs \(digits.config.positiveClass), 785 parameters",
             outcome.loss.rawValue, "\(outcome.test.pairs)", "\(outcome.test.violations)", percent(outcome.test.violationRate, digits: 2),
             format(outcome.test.largestGap, digits: 3)]
        }
        for outcome in jensen.outcomes {
            session.record("q1.jensen.\(outcome.setting).\(outcome.loss.resultKey).violation_rate", outcome.test.violationRate)
        }
        session.prose("""
        A convex $f$ satisfies $f(\\tfrac{a+b}{2}) \\le \\tfrac{f(a)+f(b)}{2}$ for every pair of points. We draw random pairs \
        (uniform in the box for the toy; Gaussian weights giving logits of standard deviation \
        \(format(jensenConfig.digitLogitScale, digits: 0)) \
        for the digit problem) and count violations beyond a relative tolerance of $10^{-9}$.
        """)
        session.table(Table(caption: "Midpoint-convexity violations on random segments.",
                            headers: ["Problem", "Loss", "Pairs", "Violations", "Rate", "Largest gap"], rows: rows,
                            rightAligned: [false, false, true, true, true, true]))
        let segmentCaption: Prose = "Loss along the first violating MSE segment (solid) against its chord (dashed): the midpoint lies "
            + "above the chord, which a convex function never allows."
        let segmentFigure = try session.plot("jensen-segment", caption: segmentCaption,
                                             width: 900, height: 360, columns: 2) { figure in
            for (column, setting) in ["toy", "digits"].enumerated() {
                let axes = figure.axes(0, column)
                let outcome = jensen.outcome(.meanSquaredError, setting)
                axes.title = setting == "toy" ? "1-feature problem, MSE" : "Digits, MSE"
                axes.xLabel = "t along the segment"
                axes.yLabel = "mean loss"
                if outcome.segmentT.isEmpty {
                    axes.text("no violation found", x: 0.5, y: 0.5)
                } else {
                    axes.line(x: outcome.segmentT, y: outcome.segmentLoss, label: "loss", color: .palette(1), width: 2)
                    axes.line(x: outcome.segmentT, y: outcome.segmentChord, label: "chord", color: .gray, dash: .dashed)
                }
            }
        }

        return (jensen, segmentFigure)
    }

    func gradientSection(_ session: NotebookSession) throws -> (GradientCurves, FigureReference) {
        session.heading("Gradient versus logit")
        let gradientConfig = GradientCurveConfig(logits: Array(stride(from: -10.0, through: 10.0, by: 0.05)), label: 1)
        let gradients = try session.compute("gradient-vs-logit", version: "1", config: gradientConfig) { config, _ in
            GradientCurves(config)
        }.result
        let wrongest = gradients.logits.first!
        let ceAtWrong = gradients.derivative(.crossEntropy, at: 0), mseAtWrong = gradients.derivative(.meanSquaredError, at: 0)
        session.record("q1.gradient.ce_at_most_wrong", ceAtWrong)
        session.record("q1.gradient.mse_at_most_wrong", mseAtWrong)
        let gradientCaption: Prose = "Derivative of the per-example loss in the logit z for an example of class 1. Cross-entropy's stays "
            + "near −1 when the prediction is confidently wrong (z ≪ 0); MSE's vanishes because of the σ′(z) factor."
        let gradientFigure = try session.plot("gradient-vs-logit", caption: gradientCaption,
                                              width: 720, height: 380) { figure in
            let axes = figure.axes(0, 0)
            axes.line(x: gradients.logits, y: gradients.values(.crossEntropy), label: "cross-entropy: σ(z) − 1",
                      color: .palette(0), width: 2)
            axes.line(x: gradients.logits, y: gradients.values(.meanSquaredError), label: "MSE: (σ(z) − 1) σ′(z)",
                      color: .palette(1), width: 2, dash: .dashed)
            axes.horizontalLine(y: 0)
            axes.xLabel = "logit z (label y = 1)"
            axes.yLabel = "dℓ/dz"
            axes.legendLocation = .lowerRight
            axes.showGrid = true
        }
        session.prose("""
        At $z = \(format(wrongest, digits: 0))$ for a class-1 example (a confident mistake) the cross-entropy gradient is \
        \(format(ceAtWrong, digits: 5)) and the MSE gradient \(format(mseAtWrong, digits: 3)): \
        \(String(format: "%.0f", abs(ceAtWrong / mseAtWrong)))× smaller (\(session.link(gradientFigure))). \
        Gradient descent on MSE barely moves an example it gets badly wrong.
        """)

        return (gradients, gradientFigure)
    }

    /// Contours are drawn from at most ~50×50 points: finer grids add drawing time and SVG size (megabytes), not detail.
    func contourGrid(_ surfaces: SurfaceResult) -> (x: [Double], y: [Double], thinned: ([[Double]]) -> [[Double]]) {
        let contourStride = max(1, surfaces.weights.count / 50)
        return (every(surfaces.weights, contourStride), every(surfaces.biases, contourStride),
                { grid in every(grid, contourStride).map { every($0, contourStride) } })
    }
}
