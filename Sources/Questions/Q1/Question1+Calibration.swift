import Analysis
import Foundation
import Notebook
import Plot

extension Question1 {
    /// The probabilistic-outputs section: calibration of both trained classifiers on the test digits.
    func calibrationSection(_ session: NotebookSession, fair: FairComparison) throws -> (CalibrationComparison, FigureReference) {
        session.heading("Probabilistic outputs: calibration on held-out digits")
        let scale = fair.design.ordinaryScale
        let replicates = session.profile.pick(quick: 200, default: 2000, full: 4000)
        let calibration = CalibrationComparison(fair: fair, scale: scale, replicates: replicates, seed: session.seed &+ 40)
        let bins = CalibrationComparison.binCount
        session.prose("""
        The classifiers of the previous section from initial logit sd \(scaleLabel(scale)), each at its chosen learning rate, \
        predict $p = \\sigma(z)$ for the \(fair.testLabels.count) test digits, never used in training or in choosing the rate. \
        Calibration is measured by the expected calibration error over \(bins) equal-width bins of $p$, \
        $\\mathrm{ECE} = \\sum_k \\frac{n_k}{n} \\left| \\bar p_k - \\bar y_k \\right|$, beside two proper scores: the Brier score \
        $\\frac1n \\sum (p_i - y_i)^2$ and the log loss $-\\frac1n \\sum [y_i \\log p_i + (1 - y_i) \\log(1 - p_i)]$ \
        (probabilities clipped to $[10^{-15}, 1 - 10^{-15}]$). Differences come with 95% paired bootstrap intervals \
        (\(replicates) replicates resampling the \(fair.design.starts) starts and the test images together, seed \(session.seed &+ 40)).
        """)
        let figure = try reliabilityFigure(session, calibration: calibration)
        var rows: [[String]] = []
        for loss in BinaryLoss.allCases {
            let ece = calibration.calibrationErrors(loss), brier = calibration.brierScores(loss), log = calibration.logLosses(loss)
            session.record("q1.calibration.\(loss.resultKey).ece", mean(ece))
            session.record("q1.calibration.\(loss.resultKey).brier", mean(brier))
            session.record("q1.calibration.\(loss.resultKey).log_loss", mean(log))
            rows.append([loss.rawValue, rateLabel(calibration.learningRates[loss]!),
                         SeedSpread(values: ece).formatted(), SeedSpread(values: brier).formatted(), SeedSpread(values: log).formatted()])
        }
        rows.append(["cross-entropy − MSE", "", CalibrationComparison.interval(calibration.calibrationError),
                     CalibrationComparison.interval(calibration.brier), CalibrationComparison.interval(calibration.logLoss)])
        for (name, paired) in [("ece", calibration.calibrationError), ("brier", calibration.brier), ("log_loss", calibration.logLoss)] {
            session.record("q1.calibration.\(name)_difference", paired.difference)
            session.record("q1.calibration.\(name)_difference_lower", paired.lower)
            session.record("q1.calibration.\(name)_difference_upper", paired.upper)
        }
        session.table(Table(caption: "Calibration on the test digits, mean ± sd over the starts; the last row is the paired "
                                + "difference with its 95% interval. Lower is better in every column.",
                            headers: ["Loss", "Rate", "ECE (\(bins) bins)", "Brier score", "Log loss"], rows: rows))
        return (calibration, figure)
    }

    func reliabilityFigure(_ session: NotebookSession, calibration: CalibrationComparison) throws -> FigureReference {
        let caption: Prose = """
            Reliability diagram on the test digits, all starts pooled: the fraction of class 1 (the digit 8) in each of the \
            \(CalibrationComparison.binCount) equal-width bins of the predicted probability against the bin's mean prediction \
            (left; the diagonal is perfect calibration), and how many predictions fall in each bin (right).
            """
        return try session.plot("reliability-diagram", caption: caption, width: 900, height: 400, columns: 2) { figure in
            let (left, right) = (figure.axes(0, 0), figure.axes(0, 1))
            left.line(x: [0, 1], y: [0, 1], label: "perfect calibration", color: .gray, width: 1, dash: .dashed)
            for (index, loss) in BinaryLoss.allCases.enumerated() {
                let filled = calibration.pooledDiagram(loss).bins.filter { $0.count > 0 }
                left.line(x: filled.map(\.meanPrediction), y: filled.map(\.observedFrequency), label: loss.rawValue,
                          color: .palette(index), width: 2, marker: .circle)
                right.line(x: filled.map { ($0.lower + $0.upper) / 2 }, y: filled.map { Double($0.count) }, label: loss.rawValue,
                           color: .palette(index), width: 2, marker: .circle)
            }
            left.xLimits = 0...1
            left.yLimits = 0...1
            left.xLabel = "mean predicted probability of class 1"
            left.yLabel = "observed fraction of class 1"
            left.legendLocation = .upperLeft
            left.showGrid = true
            right.yScale = .log
            right.xLabel = "predicted probability of class 1 (bin centre)"
            right.yLabel = "predictions in the bin (empty bins left out)"
            right.showGrid = true
        }
    }
}
