import Datasets
import Foundation
import NN
import Notebook
import Plot

/// Precision, recall and support of one class on a test set.
struct ClassMetrics: Codable {
    var precision: Double
    var recall: Double
    var support: Int

    /// Every class's metrics from a confusion matrix `confusion[true][predicted]`.
    static func perClass(confusion: [[Int]]) -> [ClassMetrics] {
        let classes = confusion.count
        return (0..<classes).map { c in
            let truePositives = Double(confusion[c][c])
            let predicted = Double((0..<classes).reduce(0) { $0 + confusion[$1][c] })
            let actual = confusion[c].reduce(0, +)
            return ClassMetrics(precision: predicted > 0 ? truePositives / predicted : .nan,
                                recall: actual > 0 ? truePositives / Double(actual) : .nan, support: actual)
        }
    }
}

/// One classifier's training and test outcome, as the shared report sections draw it.
struct ClassifierOutcome {
    /// Row title in multi-classifier figures ("LeNet-5"); nil for a report about one classifier.
    var title: String?
    /// Training histories to draw, each with the suffix of its legend labels ("" or " (seed 43)").
    var histories: [(suffix: String, history: TrainingHistory)]
    var confusion: [[Int]]
    var misclassified: [Misclassification]
}

/// The sections Questions 3 and 4 share for their classifiers: training curves, confusion
/// matrices, the most confident mistakes and per-class metrics, one implementation for both.
extension NotebookSession {
    /// Loss and accuracy per epoch, one row of two panels per classifier; later histories of a
    /// row (other seeds) drawn fainter.
    func trainingCurvesFigure(_ outcomes: [ClassifierOutcome], caption: Prose,
                              validationLabel: String = "validation") throws -> FigureReference {
        try plot("training-curves", caption: caption, width: 900, height: outcomes.count == 1 ? 360 : 300 * Double(outcomes.count),
                 rows: outcomes.count, columns: 2) { figure in
            for (row, outcome) in outcomes.enumerated() {
                let loss = figure.axes(row, 0), accuracy = figure.axes(row, 1)
                for (index, entry) in outcome.histories.enumerated() {
                    let history = entry.history
                    let epochs = (1...max(history.epochCount, 1)).map(Double.init)
                    let alpha = index == 0 ? 1.0 : 0.55
                    loss.line(x: epochs, y: history.loss, label: "training\(entry.suffix)",
                              color: Color.palette(0).withAlpha(alpha), marker: .circle)
                    loss.line(x: epochs, y: history.validationLoss, label: "\(validationLabel)\(entry.suffix)",
                              color: Color.palette(1).withAlpha(alpha), marker: .square)
                    accuracy.line(x: epochs, y: history.accuracy, label: "training\(entry.suffix)",
                                  color: Color.palette(0).withAlpha(alpha), marker: .circle)
                    accuracy.line(x: epochs, y: history.validationAccuracy, label: "\(validationLabel)\(entry.suffix)",
                                  color: Color.palette(1).withAlpha(alpha), marker: .square)
                }
                for axes in [loss, accuracy] {
                    if let title = outcome.title { axes.title = title }
                    axes.xLabel = "epoch"
                    axes.xWholeNumberTicks = true
                    axes.showGrid = true
                }
                loss.yLabel = "cross-entropy"
                accuracy.yLabel = "accuracy"
                accuracy.legendLocation = .lowerRight
            }
        }
    }

    /// Confusion matrices on the test set side by side, rows true classes, columns predictions.
    func confusionMatricesFigure(_ outcomes: [ClassifierOutcome], name: String, caption: Prose,
                                 classNames: [String]) throws -> FigureReference {
        try plot(name, caption: caption, width: outcomes.count == 1 ? 560 : 450 * Double(outcomes.count),
                 height: outcomes.count == 1 ? 500 : 460, columns: outcomes.count) { figure in
            // Counts span 0 to ~1,000: a log scale tells a 2 from a 75, which a linear one shows alike.
            let largest = outcomes.flatMap { $0.confusion.flatMap { $0 } }.max() ?? 1
            figure.sharedColorbar = true
            for (column, outcome) in outcomes.enumerated() {
                let axes = figure.axes(0, column)
                axes.heatmap(outcome.confusion.map { $0.map(Double.init) }, colormap: .viridis, colorScale: .log,
                             valueRange: 1...Double(max(2, largest)), colorbarLabel: "images (log scale; 0 as 1)",
                             xTickLabels: classNames, yTickLabels: classNames, annotate: true)
                if let title = outcome.title { axes.title = title }
                axes.xLabel = "predicted"
                axes.yLabel = "true"
            }
        }
    }

    /// The `limit` most confident mistakes as a grid of test images, captioned true → predicted
    /// (confidence); nil when there are none.
    func mistakesFigure(_ mistakes: [Misclassification], name: String, caption: Prose, images: ImageSet, classNames: [String],
                        limit: Int) throws -> FigureReference? {
        let wrong = mistakes.prefix(limit)
        guard !wrong.isEmpty else { return nil }
        return try plot(name, caption: caption, width: 720, height: limit > 10 ? 300 : 200) { figure in
            figure.axes(0, 0).imageGrid(
                images: wrong.map { images.image(at: $0.testIndex).map { Double($0) / 255 } },
                imageRows: images.rows, imageColumns: images.columns,
                captions: wrong.map { "\(classNames[$0.label])→\(classNames[$0.predicted]) (\(String(format: "%.2f", $0.confidence)))" },
                gridColumns: 10)
        }
    }

    /// Per-class precision, recall and support on the test set.
    func perClassTable(confusion: [[Int]], classNames: [String], caption: Prose) {
        table(Table(caption: caption, headers: ["Class", "Precision", "Recall", "Support"],
                    rows: ClassMetrics.perClass(confusion: confusion).enumerated().map { index, metrics in
                        [classNames[index], format(metrics.precision), format(metrics.recall), "\(metrics.support)"]
                    }))
    }
}
