import Analysis
import Datasets
import Foundation
import Notebook
import Plot

/// Question 2: does a deep network with linear activations trained with MSE give a convex
/// problem? The report measures curvature and Jensen gaps in the weights and derives the verdict.
public struct Question2: Question {
    public let id = "q2"
    public let title = "Are deep linear networks with MSE convex?"

    static let claim: Prose = """
        For a binary classification task with a deep neural network (containing at least one hidden layer) equipped with \
        linear activation functions, the Mean Squared Error (MSE) loss function guarantees a convex optimization problem.
        """

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

    /// What the trained points' spectra say, given that every local minimum is global: a
    /// trained point with negative eigenvalues has not reached a minimum yet.
    static func trainedPointNote(_ curvature: CurvatureResult) -> String {
        guard let optimum = curvature.spectrum(depth: 1, loss: .meanSquared, point: "trained") else { return "" }
        let notes = curvature.spectra.filter { $0.loss == .meanSquared && $0.depth >= 2 && $0.point == "trained" }.map { spectrum in
            spectrum.negativeCount == 0
                ? """
                    At depth \(spectrum.depth) the trained point (loss \(format(spectrum.lossValue, digits: 6)), \
                    ‖∇L‖ = \(format(spectrum.gradientNorm, digits: 2))) has no negative eigenvalue: a \
                    minimum, at the least-squares loss.
                    """
                : """
                    At depth \(spectrum.depth) the trained point (loss \(format(spectrum.lossValue, digits: 6)), \
                    ‖∇L‖ = \(format(spectrum.gradientNorm, digits: 2))) still has \(spectrum.negativeCount) \
                    negative eigenvalues, the smallest \(format(spectrum.smallest, digits: 2)), of the size of the \
                    remaining gradient: gradient descent is still crossing a flat region near a saddle and has not \
                    reached a minimum (at a minimum, which is global, the Hessian is positive semi-definite). The \
                    exact Hessian makes these real negative curvature at that point, not rounding.
                    """
        }
        return "The least-squares optimum (depth 1) has loss \(format(optimum.lossValue, digits: 6)). " + notes.joined(separator: " ")
    }

    /// Fixed gradient-descent budget of the permutation and many-starts experiments.
    static func trainingSteps(_ profile: Profile) -> Int {
        profile.pick(quick: 200, default: 2000, full: 5000)
    }

    public func build(_ session: NotebookSession) throws {
        session.prose("""
        The assignment states: *“\(Self.claim)”* The network's *function* is linear, $f(x) = W_L \\cdots W_1 x$, and the MSE is \
        convex in the end-to-end matrix $W = W_L\\cdots W_1$. But training optimises the individual weights \
        $\\theta = (W_1, \\dots, W_L)$, and the map $\\theta \\mapsto W$ is a product, so the loss in $\\theta$ need not be \
        convex. This report tests the claim in the weights, where gradient descent actually works.
        """)

        let (toy, toyFigure) = try scalarToySection(session)
        let digits = try realDigits(session)
        let (curvature, spectrumFigure) = try curvatureSection(session, digits: digits)
        let (permutation, permutationFigure) = try permutationSection(session, digits: digits)
        let jensen = try jensenSection(session, digits: digits)
        let (benign, benignFigure) = try benignSection(session, digits: digits)
        crossEntropySection(session, curvature: curvature)
        let evidence = Q2Evidence(toy: toy, curvature: curvature, jensen: jensen, permutation: permutation, benign: benign,
                                  figures: (toy: toyFigure, spectra: spectrumFigure, permutation: permutationFigure, benign: benignFigure))
        claimSection(session, evidence: evidence, curvature: curvature, permutation: permutation)
    }

    /// The smallest case, L(a, b) = (a·b·x − y)²: a saddle at the origin and a non-convex set of minima.
    private func scalarToySection(_ session: NotebookSession) throws -> (ScalarToyResult, FigureReference) {
        let profile = session.profile
        session.heading("The smallest case: L(a, b) = (a·b·x − y)²")
        let toyConfig = ScalarToyConfig(input: 1, target: 1, range: 2, gridSize: profile.pick(quick: 41, default: 121, full: 201))
        let toy = try session.compute("scalar-toy", version: "1", config: toyConfig) { config, _ in computeScalarToy(config) }.result
        let toyFigure = try session.plot("scalar-toy", caption: """
            L(a, b) = (ab − 1)² as a surface (left) and contours (right). The minima \
            form the hyperbola ab = 1 (two branches, white); the origin is a saddle.
            """,
                                         width: 900, height: 400, columns: 2) { figure in
            let surface = figure.axes(0, 0)
            let step = max(1, toy.axis.count / 40)
            surface.surface3D(x: every(toy.axis, step), y: every(toy.axis, step), z: every(toy.values, step).map { every($0, step) },
                              elevation: 30, azimuth: -60, zLabel: "L")
            surface.xLabel = "a"
            surface.yLabel = "b"
            let contour = figure.axes(0, 1)
            // At most ~60×60 contour cells: finer grids only make the SVG larger.
            let thin = max(1, toy.axis.count / 60)
            let axis = every(toy.axis, thin), values = every(toy.values, thin).map { every($0, thin) }
            contour.filledContour(x: axis, y: axis, z: values.map { $0.map { log10($0 + 1e-3) } }, levels: 14,
                                  colorbarLabel: "log₁₀(L + 10⁻³)")
            contour.contourLines(x: axis, y: axis, z: values, levels: [0.05], color: .white, labelLines: false)
            contour.scatter(x: [0], y: [0], label: "saddle (0, 0)", color: .palette(3), size: 7)
            contour.xLabel = "a"
            contour.yLabel = "b"
            contour.equalAspect = true
        }
        session.metrics([
            Metric(key: "q2.toy.eigenvalue_min_origin", label: "λ_min of the Hessian at (0, 0)",
                   value: toy.eigenvaluesAtOrigin[0], format: "%.4g"),
            Metric(key: "q2.toy.eigenvalue_max_origin", label: "λ_max of the Hessian at (0, 0)",
                   value: toy.eigenvaluesAtOrigin[1], format: "%.4g"),
            Metric(key: "q2.toy.midpoint_loss", label: "Loss at the midpoint of minima (1, 1) and (−1, −1)",
                   value: toy.midpointLoss, format: "%.4g"),
        ])
        session.prose("""
        The Hessian at the origin is \
        $\\begin{pmatrix} \(format(toy.hessianAtOrigin[0], digits: 0)) & \(format(toy.hessianAtOrigin[1], digits: 0)) \\\\ \
        \(format(toy.hessianAtOrigin[2], digits: 0)) & \(format(toy.hessianAtOrigin[3], digits: 0)) \\end{pmatrix}$ with eigenvalues \
        \(format(toy.eigenvaluesAtOrigin[0], digits: 3)) and \(format(toy.eigenvaluesAtOrigin[1], digits: 3)): a saddle, \
        impossible for a convex function. The points $(1, 1)$ and $(-1, -1)$ are both global minima \
        (loss \(format(toy.minimumLoss, digits: 3))), yet their midpoint has loss \
        \(format(toy.midpointLoss, digits: 3)) (\(session.link(toyFigure))); the set of minimisers, a hyperbola, is not even convex.
        """)

        return (toy, toyFigure)
    }

    /// The real-digits task every later section trains on: its config, its cell and the hidden width.
    struct LinearDigits {
        var config: LinearDigitsConfig
        var data: Computed<LinearDigitsData>
        var splitName: String
        var width: Int
    }

    private func realDigits(_ session: NotebookSession) throws -> LinearDigits {
        let profile = session.profile
        session.heading("Deep linear networks on real digits")
        let split = try digits.split(preferring: .mnist5k)
        session.usesDataset(split.description)
        let dataConfig = LinearDigitsConfig(dataset: split.name, datasetHash: split.contentHash, negativeClass: 3, positiveClass: 8,
                                            principalComponents: profile.pick(quick: 6, default: 12, full: 16), seed: session.seed)
        let data = try session.compute("digits-pca", version: "1", config: dataConfig) { config, _ in
            try LinearDigitsData(split: split, config: config)
        }
        return LinearDigits(config: dataConfig, data: data, splitName: split.name, width: profile.pick(quick: 3, default: 6, full: 8))
    }

    /// Exact Hessian spectra in the weights at depths 1-3: saddles where convexity allows none.
    private func curvatureSection(_ session: NotebookSession, digits: LinearDigits) throws -> (CurvatureResult, FigureReference) {
        let profile = session.profile
        let (dataConfig, data, width) = (digits.config, digits.data, digits.width)
        let curvatureConfig = CurvatureConfig(data: dataConfig, hiddenWidth: width, depths: [1, 2, 3],
                                              trainingIterations: profile.pick(quick: 2000, default: 200_000, full: 500_000),
                                              gradientTolerance: profile.pick(quick: 1e-4, default: 1e-7, full: 1e-8),
                                              learningRate: 0.05, seed: session.seed)
        let curvature = try session.compute("hessian-spectra", version: "2", config: curvatureConfig,
                                            inputs: [data.key]) { config, progress in
            computeCurvature(config, data: data.result, progress: progress.update)
        }.result
        session.prose("""
        Task: digits \(dataConfig.negativeClass) vs \(dataConfig.positiveClass) from \(digits.splitName) \
        (\(data.result.exampleCount) training images), inputs reduced to \(dataConfig.principalComponents) standardised principal \
        components (\(percent(data.result.explainedVariance)) of the pixel variance), \
        one-hot targets, MSE $\\frac{1}{2n}\\sum_i \\lVert W x_i - y_i \\rVert^2$. \
        Depth 1 is plain linear regression (convex); depths 2 and 3 have hidden layers of width \(width) and no activation. The Hessian in \
        the weights is computed exactly, by automatic differentiation: Pearlmutter's R-operator differentiates the backpropagation along \
        each unit vector (no finite-difference step), eigenvalues by Jacobi; at the origin, at a Glorot-uniform initialisation and at a \
        trained point, where gradient descent (step \(curvatureConfig.learningRate)) ran until the gradient norm fell to \
        \(format(curvatureConfig.gradientTolerance, digits: 1)) (at most \(curvatureConfig.trainingIterations.formatted()) steps). Lanczos \
        on the same exact Hessian-vector products gives the extremes independently. **One rule for "negative"**: an eigenvalue counts \
        as negative when it lies below −10⁻⁸ · max |λ| of its own spectrum (rounding in these double-precision Hessians is about \
        10⁻¹⁵ · max |λ|); everything between is zero curvature.
        """)
        let spectrumRows = curvature.spectra.filter { $0.loss == .meanSquared }.map { spectrum in
            ["\(spectrum.depth)", spectrum.point, format(spectrum.lossValue), format(spectrum.gradientNorm, digits: 2),
             format(spectrum.smallest, digits: 4), format(spectrum.lanczosSmallest, digits: 4), format(spectrum.largest, digits: 4),
             "\(spectrum.negativeCount) of \(spectrum.eigenvalues.count)"]
        }
        session.table(Table(caption: """
            Hessian of the MSE in the weights (exact, by the R-operator): gradient norm at the point, extreme \
            eigenvalues (Jacobi and Lanczos) and the number of negative ones (below −10⁻⁸ · max |λ|).
            """,
                            headers: ["Depth", "Point", "Loss", "‖∇L‖", "λ_min", "λ_min (Lanczos)", "λ_max", "Negative"],
                            rows: spectrumRows))
        let spectrumFigure = try spectrumFigure(session, curvature: curvature, depths: curvatureConfig.depths)
        for spectrum in curvature.spectra {
            let key = "q2.\(spectrum.loss.rawValue).depth\(spectrum.depth).\(spectrum.point.replacingOccurrences(of: " ", with: "_"))"
            session.record("\(key).lambda_min", spectrum.smallest)
            session.record("\(key).lambda_max", spectrum.largest)
        }
        session.prose("""
            See \(session.link(spectrumFigure)). At depth 2 the origin is a strict \
            saddle; at depth 3 the Hessian there vanishes (a degenerate saddle: the loss \
            is flat to second order yet not a minimum). \(Self.trainedPointNote(curvature))
            """)

        return (curvature, spectrumFigure)
    }

    private func spectrumFigure(_ session: NotebookSession, curvature: CurvatureResult, depths: [Int]) throws -> FigureReference {
        try session.plot("hessian-spectra", caption: """
            All Hessian eigenvalues (sorted) of the MSE in the weights, by depth, at the origin, a random initialisation \
            and the trained solution. Points below the dashed zero line are directions of negative curvature.
            """,
                                              width: 960, height: 360, columns: 3) { figure in
            for (column, point) in ["origin", "random init", "trained"].enumerated() {
                let axes = figure.axes(0, column)
                for depth in depths {
                    guard let spectrum = curvature.spectrum(depth: depth, loss: .meanSquared, point: point) else { continue }
                    let x = spectrum.eigenvalues.indices.map { Double($0) / Double(max(spectrum.eigenvalues.count - 1, 1)) }
                    axes.line(x: x, y: spectrum.eigenvalues, label: "depth \(depth)", color: .palette(depth - 1), marker: .circle)
                }
                axes.horizontalLine(y: 0)
                axes.title = point
                axes.xLabel = "eigenvalue rank (fraction)"
                axes.yLabel = "eigenvalue"
            }
        }
    }

    /// A trained network and its permuted twin: two equal minima with a higher midpoint.
    private func permutationSection(_ session: NotebookSession, digits: LinearDigits) throws -> (PermutationResult, FigureReference) {
        let profile = session.profile
        let (dataConfig, data, width) = (digits.config, digits.data, digits.width)
        session.heading("Two equal minima, a higher midpoint")
        let permutationConfig = PermutationConfig(data: dataConfig, hiddenWidth: width, trainingIterations: Self.trainingSteps(profile),
                                                  learningRate: 0.05, seed: session.seed &+ 3)
        let permutation = try session.compute("permutation-symmetry", version: "1", config: permutationConfig,
                                              inputs: [data.key]) { config, _ in
            runPermutationSymmetry(config, data: data.result)
        }.result
        let permutationFigure = try session.plot("permutation-segment", caption: """
            MSE along the straight segment between a trained depth-2 network and the same network with its hidden units \
            listed in reverse order (identical function, identical loss). The chord (dashed) is what convexity would allow.
            """,
                                                 width: 720, height: 360) { figure in
            let axes = figure.axes(0, 0)
            axes.line(x: permutation.profile.t, y: permutation.profile.values, label: "loss along the segment",
                      color: .palette(1), width: 2)
            axes.line(x: permutation.profile.t, y: permutation.profile.chord, label: "chord", color: .gray, dash: .dashed)
            axes.xLabel = "t (0 = trained weights, 1 = permuted twin)"
            axes.yLabel = "MSE"
            axes.showGrid = true
        }
        session.metrics([
            Metric(key: "q2.permutation.minimum_loss", label: "Loss of the trained network",
                   value: permutation.minimumLoss, format: "%.5f"),
            Metric(key: "q2.permutation.twin_loss", label: "Loss of its permuted twin", value: permutation.permutedLoss, format: "%.5f"),
            Metric(key: "q2.permutation.midpoint_loss", label: "Loss at their midpoint", value: permutation.midpointLoss, format: "%.5f"),
        ])
        session.prose("""
            Jensen's inequality would require the midpoint's loss to be at most \(format(permutation.minimumLoss, digits: 5)); \
            it is \(format(permutation.midpointLoss, digits: 5)) (\(session.link(permutationFigure))).
            """)

        return (permutation, permutationFigure)
    }

    private func jensenSection(_ session: NotebookSession, digits: LinearDigits) throws -> [DeepJensenRow] {
        let profile = session.profile
        let (dataConfig, data, width) = (digits.config, digits.data, digits.width)
        session.heading("Randomised convexity test")
        let jensenConfig = DeepJensenConfig(data: dataConfig, hiddenWidth: width, depths: [1, 2, 3],
                                            pairs: profile.pick(quick: 100, default: 2000, full: 10_000), seed: session.seed &+ 4)
        let jensen = try session.compute("jensen-test", version: "1", config: jensenConfig, inputs: [data.key]) { config, _ in
            runDeepJensen(config, data: data.result)
        }.result
        session.table(Table(caption: "Midpoint-convexity violations over pairs of random Glorot initialisations.",
                            headers: ["Loss", "Depth", "Pairs", "Violations", "Rate", "Largest gap"],
                            rows: jensen.map { row in
                                [row.loss == .meanSquared ? "MSE" : "cross-entropy", "\(row.depth)", "\(row.test.pairs)",
                                 "\(row.test.violations)", percent(row.test.violationRate, digits: 2),
                                 format(row.test.largestGap, digits: 3)]
                            }))
        for row in jensen { session.record("q2.jensen.\(row.loss.rawValue).depth\(row.depth).violation_rate", row.test.violationRate) }
        let deepMSEViolations = jensen.filter { $0.loss == .meanSquared && $0.depth >= 2 }.reduce(0) { $0 + $1.test.violations }
        session.prose(deepMSEViolations == 0
            ? """
                No violations between random initialisations: averaging two independent random weight sets \
                shrinks the end-to-end product $W_L \\cdots W_1$ towards zero, where the MSE is moderate, so \
                random chords stay above the loss. The non-convexity is where training goes: at saddles \
                (negative eigenvalues above) and between equivalent solutions (the permuted twins). A convexity \
                test that samples only random pairs can miss it; one violation suffices to disprove convexity.
                """
            : """
                Violations appear only once there is a hidden layer: \(deepMSEViolations) for the deep MSE networks, \
                against \(jensen.filter { $0.loss == .meanSquared && $0.depth == 1 }.reduce(0) { $0 + $1.test.violations }) \
                for linear regression.
                """)

        return jensen
    }

    /// What is true instead: every start reaches the least-squares loss (Kawaguchi 2016).
    private func benignSection(_ session: NotebookSession, digits: LinearDigits) throws -> (BenignResult, FigureReference) {
        let profile = session.profile
        let (dataConfig, data, width) = (digits.config, digits.data, digits.width)
        session.heading("What is true: no bad local minima")
        let benignConfig = BenignConfig(data: dataConfig, hiddenWidth: width,
                                        initializations: profile.pick(quick: 4, default: 20, full: 50),
                                        trainingIterations: Self.trainingSteps(profile), learningRate: 0.05, seed: session.seed &+ 5)
        let benign = try session.compute("many-starts", version: "1", config: benignConfig, inputs: [data.key]) { config, progress in
            runBenignLandscape(config, data: data.result, progress: progress.update)
        }.result
        let benignFigure = try session.plot("many-starts", caption: """
            Final MSE of depth-2 linear networks trained from different random initialisations, against \
            the global optimum of the same loss over end-to-end matrices (least squares, dashed).
            """,
                                            width: 720, height: 340) { figure in
            let axes = figure.axes(0, 0)
            axes.scatter(x: benign.finalLosses.indices.map { Double($0 + 1) }, y: benign.finalLosses,
                         label: "trained from a random start", color: .palette(0), size: 5)
            axes.horizontalLine(y: benign.leastSquaresLoss, color: .palette(3), label: "least-squares optimum")
            axes.xLabel = "initialisation (run number)"
            axes.xWholeNumberTicks = true
            axes.yLabel = "final training MSE"
            axes.legendLocation = .upperRight
        }
        let spread = (benign.finalLosses.max() ?? 0) - (benign.finalLosses.min() ?? 0)
        session.metrics([
            Metric(key: "q2.benign.least_squares_loss", label: "Least-squares optimum", value: benign.leastSquaresLoss, format: "%.6f"),
            Metric(key: "q2.benign.mean_final_loss", label: "Mean final loss, \(benign.finalLosses.count) starts",
                   value: mean(benign.finalLosses), format: "%.6f"),
            Metric(key: "q2.benign.final_loss_spread", label: "Spread (max − min) of final losses", value: spread, format: "%.3g"),
            Metric(key: "q2.benign.max_end_to_end_error", label: "Largest ‖W₂W₁ − W_ls‖ / ‖W_ls‖",
                   value: benign.endToEndRelativeErrors.max() ?? .nan, format: "%.3g"),
        ])
        session.prose("""
        Every start ends at (numerically) the same loss as the least-squares solution, and the trained product $W_2 W_1$ matches the \
        least-squares matrix (\(session.link(benignFigure))). This is Kawaguchi's theorem (NeurIPS 2016): for deep linear networks with \
        squared loss every local minimum is global and every other critical point is a saddle, strict for depth 2 and possibly degenerate \
        for depth ≥ 3. The landscape is *benign*, but not *convex*.
        """)

        return (benign, benignFigure)
    }

    private func crossEntropySection(_ session: NotebookSession, curvature: CurvatureResult) {
        session.heading("The same checks with cross-entropy")
        let ceRows = curvature.spectra.filter { $0.loss == .softmaxCrossEntropy }.map { spectrum in
            ["\(spectrum.depth)", spectrum.point, format(spectrum.lossValue), format(spectrum.smallest, digits: 4),
             format(spectrum.largest, digits: 4), "\(spectrum.negativeCount) of \(spectrum.eigenvalues.count)"]
        }
        session.table(Table(caption: "Hessian of softmax cross-entropy in the weights of the same linear networks.",
                            headers: ["Depth", "Point", "Loss", "λ_min", "λ_max", "Negative"], rows: ceRows))
        session.prose("""
            The assignment contrasts MSE with cross-entropy, which it says “may not guarantee convexity”. \
            With linear activations the two behave alike: convex at depth 1 (in the weights), non-convex with \
            hidden layers. The loss is not what breaks convexity; the product of weight matrices is.
            """)

    }

    private func claimSection(_ session: NotebookSession, evidence: Q2Evidence, curvature: CurvatureResult,
                              permutation: PermutationResult) {
        session.heading("Claim check")
        session.claim(evidence.claimCheck(claim: Self.claim, link: session.link))
        session.headline("Verdict", evidence.verdict.rawValue)
        if let saddle = curvature.spectrum(depth: 2, loss: .meanSquared, point: "origin") {
            session.headline("Depth-2 MSE λ_min at origin", format(saddle.smallest, digits: 3))
        }
        session.headline("Midpoint vs minimum loss (permuted twins)",
                         "\(format(permutation.midpointLoss, digits: 4)) vs \(format(permutation.minimumLoss, digits: 4))")
    }
}
