import Analysis
import Foundation
import Notebook
import Plot

extension Question1 {
    /// The real-data section: loss curves, accuracy spread, plateaus and slow runs for both losses.
    func trainingSection(_ session: NotebookSession, digits: DigitsTask, config: DigitsTrainingConfig,
                         training: DigitsTrainingResult) throws {
        session.prose("""
        Data: \(HTMLEscaping.escape(digits.description)). Both losses start from the same \(config.initializations) random \
        initialisations (Gaussian weights scaled so the initial logits have standard deviation \(format(config.initialLogitScale, digits: 0)), \
        seed \(config.seed)) and take \(config.iterations) full-batch gradient-descent steps with learning rate \(config.learningRate). \
        A run *starts on a plateau* when after the first \(percent(DigitsTrainingConfig.plateauFraction, digits: 0)) of its steps \
        its loss is still above \(percent(DigitsTrainingConfig.plateauLevel, digits: 0)) of its initial value; it is *slow* when its \
        training accuracy after the whole budget is below \(percent(config.stallAccuracy, digits: 0)).
        """)
        let curveFigure = try session.plot("digits-loss-curves", caption: "Training loss of every run (thin lines), cross-entropy (left) and MSE (right). Runs that start on a plateau are red, other slow runs orange, the rest blue.",
                                           width: 900, height: 380, columns: 2) { figure in
            for (column, loss) in BinaryLoss.allCases.enumerated() {
                let axes = figure.axes(0, column)
                let steps = (0...config.iterations).map(Double.init)
                for run in training.runs(loss) {
                    let color = config.startsOnPlateau(run) ? Color(red: 0.84, green: 0.15, blue: 0.16, alpha: 0.75)
                        : config.isSlow(run) ? Color(red: 1.0, green: 0.5, blue: 0.05, alpha: 0.55)
                        : Color(red: 0.12, green: 0.47, blue: 0.71, alpha: 0.35)
                    axes.line(x: steps, y: run.losses, color: color, width: 1)
                }
                axes.title = "\(loss.rawValue), \(training.runs(loss).count) runs"
                axes.xLabel = "gradient-descent step"
                axes.yLabel = "mean training loss"
                axes.yScale = .log
            }
        }
        let accuracyFigure = try session.plot("digits-accuracy-spread", caption: "Test accuracy after training, one dot per initialisation, by loss.",
                                              width: 720, height: 360) { figure in
            let axes = figure.axes(0, 0)
            for (index, loss) in BinaryLoss.allCases.enumerated() {
                let accuracies = training.runs(loss).map(\.testAccuracy)
                let jitter = accuracies.indices.map { Double(index) + 0.25 * (Double(($0 * 37) % 17) / 16 - 0.5) }
                axes.scatter(x: jitter, y: accuracies, label: loss.rawValue, color: .palette(index), size: 5)
            }
            axes.xLimits = -0.6...1.6
            axes.xLabel = "0 = cross-entropy, 1 = MSE"
            axes.yLabel = "test accuracy"
            axes.legendLocation = .lowerLeft
            axes.showGrid = true
        }
        var rows: [[String]] = []
        for loss in BinaryLoss.allCases {
            let runs = training.runs(loss)
            let test = runs.map(\.testAccuracy)
            let plateau = runs.filter(config.startsOnPlateau).count
            let slow = runs.filter(config.isSlow).count
            let key = loss == .crossEntropy ? "ce" : "mse"
            session.record("q1.digits.\(key).test_accuracy_mean", mean(test))
            session.record("q1.digits.\(key).test_accuracy_std", standardDeviation(test))
            session.record("q1.digits.\(key).test_accuracy_min", test.min() ?? .nan)
            session.record("q1.digits.\(key).test_accuracy_max", test.max() ?? .nan)
            session.record("q1.digits.\(key).plateau_runs", Double(plateau))
            session.record("q1.digits.\(key).slow_runs", Double(slow))
            rows.append([loss.rawValue, "\(runs.count)", format(mean(test)), format(standardDeviation(test)),
                         format(test.min() ?? .nan), format(test.max() ?? .nan), "\(plateau)", "\(slow)"])
        }
        session.table(Table(caption: "Test accuracy over initialisations (\(digits.testLabels.count) test images).",
                            headers: ["Loss", "Runs", "Mean", "Std", "Worst", "Best", "Plateau at start", "Slow"], rows: rows))
        session.prose("See \(session.link(curveFigure)) and \(session.link(accuracyFigure)).")
        let ceRuns = training.runs(.crossEntropy), mseRuns = training.runs(.meanSquaredError)
        session.headline("CE / MSE mean test accuracy (digits)", "\(format(mean(ceRuns.map(\.testAccuracy)), digits: 3)) / \(format(mean(mseRuns.map(\.testAccuracy)), digits: 3))")
        session.headline("Runs starting on a plateau, CE / MSE", "\(ceRuns.filter(config.startsOnPlateau).count) / \(mseRuns.filter(config.startsOnPlateau).count) of \(mseRuns.count)")
    }
}
