import Analysis
import Foundation
import Notebook
import Plot

extension Question1 {
    /// The real-data section: each loss at its own best learning rate from the same grid, the same
    /// budget and the same starts, at each initial logit scale.
    func fairComparisonSection(_ session: NotebookSession, digits: DigitsTask,
                               design: FairComparisonDesign) throws -> (FairComparison, [FigureReference]) {
        session.heading("Training on real digits, each loss at its own best learning rate")
        let rates = design.learningRates.map { rateLabel($0) }.joined(separator: ", ")
        session.prose("""
        Data: \(digits.description). The MSE gradient carries the factor $\\sigma'(z) \\le \\tfrac14$, so one \
        learning rate for both losses would compare step sizes, not losses. Instead each loss gets its own learning rate from \
        the same grid ({\(rates)}) and the same budget of \(design.iterations) full-batch gradient-descent steps, from the same \
        \(design.starts) random starts, at each of \(design.initialLogitScales.count) initial logit scales (Gaussian weights \
        giving initial logits of standard deviation \(design.initialLogitScales.map(scaleLabel).joined(separator: ", ")); \
        seeds \(design.seed) onwards, one per scale). Every \(ordinal(design.validationStride)) training image is held out: a \
        loss's learning rate is the one whose runs end with \(design.criterion.description) over the starts, the \
        objective each loss is minimising measured on images it has not seen, and only then are the test images used. Steps to reach \
        \(percent(design.targetAccuracy, digits: 0)) training accuracy are counted from the same runs. Test accuracy \
        differences come with 95% paired bootstrap intervals (2,000 replicates resampling the starts and the test images \
        together, seeds \(design.bootstrapSeed) onwards).
        """)
        let configs = design.configs(task: digits.config)
        let cells = try session.computeAll(Self.learningRateSweep(digits), configs: configs).map(\.result)
        let fair = FairComparison(design: design, configs: configs, cells: cells, testLabels: digits.testLabels)
        let sweepFigure = try learningRateSweepFigure(session, fair: fair)
        let curveFigure = try tunedCurvesFigure(session, fair: fair)
        session.table(fairComparisonTable(session, fair: fair))
        session.prose("""
        \(session.link(sweepFigure)) shows how each loss's validation accuracy depends on the learning rate and \
        \(session.link(curveFigure)) the training accuracy at the chosen rates. What the comparison shows at each scale:

        \(Prose(markdown: design.initialLogitScales.map { "- initial logit sd \(scaleLabel($0)): \(fair.scaleSummary(scale: $0))" }
            .joined(separator: "\n")))

        \(fair.sensitivity(validationImages: digits.trainLabels.count / design.validationStride))
        """)
        return (fair, [sweepFigure, curveFigure])
    }

    func learningRateSweepFigure(_ session: NotebookSession, fair: FairComparison) throws -> FigureReference {
        let scales = fair.design.initialLogitScales
        let caption: Prose = """
            Each loss's own validation loss (top, log scale) and validation accuracy (bottom) after the budget against the \
            learning rate, means over the starts, one column per initial logit scale; the square marks the rate chosen (lowest \
            validation loss).
            """
        return try session.plot("learning-rate-sweep", caption: caption,
                                width: 300 * Double(scales.count), height: 620, rows: 2, columns: scales.count) { figure in
            for (column, scale) in scales.enumerated() {
                let rows: [(String, (SweepCell) -> Double)] = [("mean validation loss (own)", \.meanValidationLoss),
                                                               ("mean validation accuracy", \.meanValidationAccuracy)]
                for (row, (label, value)) in rows.enumerated() {
                    let axes = figure.axes(row, column)
                    for (index, loss) in BinaryLoss.allCases.enumerated() {
                        let rates = fair.design.learningRates
                        axes.line(x: rates, y: rates.map { value(fair.cell(loss, scale: scale, learningRate: $0)) }, label: loss.rawValue,
                                  color: .palette(index), width: 2, marker: .circle)
                        axes.scatter(x: [fair.chosenLearningRate(loss, scale: scale)], y: [value(fair.chosen(loss, scale: scale))],
                                     color: .palette(index), size: 11, marker: .square)
                    }
                    axes.xScale = .log
                    axes.yScale = row == 0 ? .log : .linear
                    axes.title = row == 0 ? "initial logit sd \(scaleLabel(scale))" : nil
                    axes.xLabel = "learning rate"
                    axes.yLabel = label
                    axes.showGrid = true
                }
            }
        }
    }

    func tunedCurvesFigure(_ session: NotebookSession, fair: FairComparison) throws -> FigureReference {
        let scales = fair.design.initialLogitScales
        let caption: Prose = "Training accuracy per step at each loss's chosen learning rate: every start (thin) and their mean (thick); "
            + "the dashed line is the \(percent(fair.design.targetAccuracy, digits: 0)) target."
        return try session.plot("tuned-training-curves", caption: caption,
                                width: 300 * Double(scales.count), height: 360, columns: scales.count) { figure in
            for (column, scale) in scales.enumerated() {
                let axes = figure.axes(0, column)
                let steps = (0...fair.design.iterations).map(Double.init)
                for (index, loss) in BinaryLoss.allCases.enumerated() {
                    let runs = fair.chosen(loss, scale: scale).runs
                    for run in runs { axes.line(x: steps, y: run.trainingAccuracy, color: Color.palette(index).withAlpha(0.3), width: 0.8) }
                    let average = steps.indices.map { step in mean(runs.map { $0.trainingAccuracy[step] }) }
                    let rate = rateLabel(fair.chosenLearningRate(loss, scale: scale))
                    axes.line(x: steps, y: average, label: "\(loss.rawValue), rate \(rate)", color: .palette(index), width: 2.2)
                }
                axes.horizontalLine(y: fair.design.targetAccuracy)
                axes.title = "initial logit sd \(scaleLabel(scale))"
                axes.xLabel = "gradient-descent step"
                axes.yLabel = "training accuracy"
                axes.legendLocation = .lowerRight
                axes.showGrid = true
            }
        }
    }
}

/// "0.1", "1", "4": a logit scale as the report names it.
func scaleLabel(_ scale: Double) -> String { String(format: "%g", scale) }

/// "0.3", "10": a learning rate as the report names it.
func rateLabel(_ rate: Double) -> String { String(format: "%g", rate) }

/// "0_1", "4", "0_02": a number inside a results.json key, whose parts are separated by dots.
func keyLabel(_ value: Double) -> String { scaleLabel(value).replacingOccurrences(of: ".", with: "_") }

/// "5th", "2nd": how the prose names every k-th item.
func ordinal(_ n: Int) -> String {
    let suffix = (11...13).contains(n % 100) ? "th" : [1: "st", 2: "nd", 3: "rd"][n % 10] ?? "th"
    return "\(n)\(suffix)"
}

extension BinaryLoss {
    /// The loss's part of a results.json key: "ce" or "mse".
    var resultKey: String { self == .crossEntropy ? "ce" : "mse" }
}
