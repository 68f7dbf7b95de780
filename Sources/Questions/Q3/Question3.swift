import Datasets
import Foundation
import NN
import Notebook
import Plot

/// Question 3: the MNIST MLP of the assignment, trained by Labbook's engine with a Keras-style log.
public struct Question3: Question {
    public let id = "q3"
    public let title = "The MNIST MLP (784-128-64-10)"
    let projectRoot: URL

    /// How the dataset of this run relates to the assignment's (full MNIST). Only the fallback
    /// `mnist-5k` means full MNIST is missing; other sets (`--dataset-dir`) were asked for.
    static func datasetNote(name: String) -> String {
        switch name {
        case "mnist": return ""
        case "mnist-5k":
            return "Full MNIST is not on this machine (`labbook data fetch mnist` downloads it), so the run uses this smaller set; the assignment's figures are for the full 60,000/10,000 MNIST."
        default:
            return "The assignment's figures are for the full 60,000/10,000 MNIST; this run uses the data it was given."
        }
    }

    /// The assignment's reported figures (Keras, full MNIST).
    static let assignmentTestAccuracy = 0.9764
    static let assignmentFinalValidationAccuracy = 0.9751
    static let assignmentFinalTrainingAccuracy = 0.9932

    /// The digit dataset; the default is `mnist` when present, else `mnist-5k`.
    let digits: SharedDataset

    /// The recipe's mini-batch and validation share (Keras's `batch_size=32`, `validation_split=0.2`).
    static let batchSize = 32
    static let validationFraction = 0.2

    /// The MLP is built for whatever image size the data has; a step needs one full mini-batch
    /// left after the validation images are held out.
    static let datasetRequirements = DatasetRequirements(
        consumer: "q3",
        minimumTrainingImages: smallestTrainingSet(batchSize: batchSize, validationFraction: validationFraction),
        countReason: "\(Int(validationFraction * 100))% are held out for validation and a mini-batch takes \(batchSize)")

    public init(projectRoot: URL, digits: DatasetSource? = nil) {
        self.init(projectRoot: projectRoot, sharing: SharedDataset(digits ?? .defaultDigits(projectRoot: projectRoot), projectRoot: projectRoot))
    }

    /// Reads the digits from `digits`, loaded once for every question that shares it.
    init(projectRoot: URL, sharing digits: SharedDataset) {
        self.projectRoot = projectRoot
        self.digits = digits
    }

    /// Loads and checks the digits before the run writes anything.
    public func checkInputs() throws {
        _ = try digits.split(for: Self.datasetRequirements)
    }

    public func build(_ session: NotebookSession) throws {
        let profile = session.profile
        let split = try digits.split(for: Self.datasetRequirements)
        session.usesDataset(split.description)

        session.prose("""
        The assignment trains a multilayer perceptron on MNIST with Keras: inputs scaled to $[0, 1]$, flattened to 784 values, \
        two ReLU hidden layers of 128 and 64 units, a 10-way softmax, Adam, batch size 32, 10 epochs, 20% of the training set held \
        out for validation, and reports a test accuracy of \(Self.assignmentTestAccuracy). Labbook reproduces the recipe with its own \
        engine; every number below comes from this run.
        """)

        // MARK: Data
        session.heading("Data and preprocessing")
        let config = MLPTrainingConfig(dataset: split.name, datasetHash: split.contentHash, epochs: profile.pick(quick: 2, default: 10, full: 10),
                                       batchSize: Self.batchSize, learningRate: 1e-3, hiddenSizes: [128, 64],
                                       validationFraction: Self.validationFraction,
                                       trainingLimit: profile.pick(quick: 2000, default: nil, full: nil), seed: session.seed)
        let training = try session.compute("train-mlp", version: "1", config: config) { config, progress in
            try FileManager.default.createDirectory(at: progress.artifactDirectory, withIntermediateDirectories: true)
            return try trainMLP(config, split: split, weightsURL: progress.artifactDirectory.appendingPathComponent("mlp.weights"), log: progress.log)
        }
        let result = training.result
        let sortedLabels = split.train.labels.sorted()
        let kerasTail = Set(sortedLabels.suffix(Int((Double(sortedLabels.count) * 0.2).rounded())))
        session.prose("""
        Dataset: \(HTMLEscaping.escape(split.description)) \(Self.datasetNote(name: split.name))

        1. **Normalisation**: pixel values divided by 255, so inputs lie in $[0, 1]$.
        2. **Flatten**: each 28×28 image becomes a vector of 784 values (the model's first layer).
        3. **Split**: the \(config.trainingLimit.map { "first \($0) (after a seeded shuffle) of the " } ?? "")training images are shuffled with seed \(config.seed), then \
        \(result.trainCount) train and \(result.validationCount) validate (20%); the \(result.testCount) test images are used once, at the end.

        Why shuffle first: Keras's `validation_split` takes the *last* 20% of the arrays as given, without shuffling. On data sorted by label \
        (as the 5,000-digit file is) that validation set would contain only the digits \(kerasTail.sorted().map(String.init).joined(separator: " and ")), \
        and validation accuracy would say nothing about the other classes.
        """)
        let samples = try session.plot("sample-inputs", caption: "Twenty training inputs with their labels, after normalisation.", width: 720, height: 330) { figure in
            let axes = figure.axes(0, 0)
            axes.imageGrid(images: result.sampleIndices.map { split.train.image(at: $0).map { Double($0) / 255 } },
                           imageRows: split.train.rows, imageColumns: split.train.columns,
                           captions: result.sampleIndices.map { split.classNames[Int(split.train.labels[$0])] }, gridColumns: 10)
        }
        session.prose("\(session.link(samples)) shows what the network sees.")

        // MARK: Architecture
        session.heading("Architecture")
        session.table(Table(caption: "Layers, output shapes and parameter counts (Keras's `model.summary()`).",
                            headers: ["Layer", "Output shape", "Parameters"],
                            rows: result.layers.map { [$0.name, $0.outputShape, "\($0.parameters)"] } + [["Total", "", "\(result.parameterCount)"]]))
        session.record("q3.parameters", Double(result.parameterCount))

        // MARK: Training
        session.heading("Training log")
        session.preformatted(result.log.joined(separator: "\n"), caption: "Keras-style log of this run (Adam, learning rate \(config.learningRate), batch \(config.batchSize), \(config.epochs) epochs, \(String(format: "%.1f", result.trainingSeconds)) s of training).")
        let history = result.history
        session.table(Table(caption: "Per-epoch metrics.", headers: ["Epoch", "Loss", "Accuracy", "Val. loss", "Val. accuracy", "Seconds"],
                            rows: (0..<history.epochCount).map { epoch in
                                ["\(epoch + 1)", format(history.loss[epoch]), format(history.accuracy[epoch]), format(history.validationLoss[epoch]),
                                 format(history.validationAccuracy[epoch]), String(format: "%.2f", history.seconds[epoch])]
                            }))
        let curves = try session.plot("training-curves", caption: "Loss (left) and accuracy (right) per epoch, training vs validation.", width: 900, height: 360, columns: 2) { figure in
            let epochs = (1...history.epochCount).map(Double.init)
            let loss = figure.axes(0, 0)
            loss.line(x: epochs, y: history.loss, label: "training", color: .palette(0), marker: .circle)
            loss.line(x: epochs, y: history.validationLoss, label: "validation", color: .palette(1), marker: .square)
            loss.xLabel = "epoch"
            loss.xWholeNumberTicks = true
            loss.yLabel = "cross-entropy"
            loss.showGrid = true
            let accuracy = figure.axes(0, 1)
            accuracy.line(x: epochs, y: history.accuracy, label: "training", color: .palette(0), marker: .circle)
            accuracy.line(x: epochs, y: history.validationAccuracy, label: "validation", color: .palette(1), marker: .square)
            accuracy.xLabel = "epoch"
            accuracy.xWholeNumberTicks = true
            accuracy.yLabel = "accuracy"
            accuracy.legendLocation = .lowerRight
            accuracy.showGrid = true
        }

        // MARK: Test
        session.heading("Test accuracy")
        session.metrics([
            Metric(key: "q3.test_accuracy", label: "Test accuracy (\(result.testCount) images)", value: result.testAccuracy, format: "%.4f"),
            Metric(key: "q3.test_loss", label: "Test loss", value: result.testLoss, format: "%.4f"),
            Metric(key: "q3.final_validation_accuracy", label: "Final validation accuracy", value: history.validationAccuracy.last ?? .nan, format: "%.4f"),
            Metric(key: "q3.training_seconds", label: "Training time (s)", value: result.trainingSeconds, format: "%.2f"),
        ])
        session.table(Table(caption: "This run beside the assignment's reported numbers.",
                            headers: ["", "Assignment (Keras, full MNIST)", "Labbook (\(split.name))"],
                            rows: [
                                ["Final training accuracy", format(Self.assignmentFinalTrainingAccuracy), format(history.accuracy.last ?? .nan)],
                                ["Final validation accuracy", format(Self.assignmentFinalValidationAccuracy), format(history.validationAccuracy.last ?? .nan)],
                                ["Test accuracy", format(Self.assignmentTestAccuracy), format(result.testAccuracy)],
                                ["Training images", "48,000", "\(result.trainCount)"],
                            ]))
        session.prose(split.name == "mnist"
            ? "On full MNIST this recipe is expected to reach about 0.975–0.98; this run gives \(format(result.testAccuracy)) (\(session.link(curves)))."
            : "With \(result.trainCount) training images instead of 48,000 the accuracy is lower than the assignment's full-MNIST figure; run `labbook data fetch mnist` and `labbook run q3` on a machine with internet to compare like with like (\(session.link(curves))).")
        session.headline("Test accuracy (\(split.name))", format(result.testAccuracy))

        // MARK: Errors
        session.heading("Where the model errs")
        let confusionFigure = try session.plot("confusion-matrix", caption: "Confusion matrix on the test set: rows are true digits, columns predictions.", width: 560, height: 500) { figure in
            let axes = figure.axes(0, 0)
            axes.heatmap(result.confusion.map { $0.map(Double.init) }, colormap: .viridis, colorbarLabel: "images",
                         xTickLabels: split.classNames, yTickLabels: split.classNames, annotate: true)
            axes.xLabel = "predicted"
            axes.yLabel = "true"
        }
        let wrong = result.misclassified.prefix(20)
        let misclassifiedFigure = try session.plot("misclassified", caption: "The most confident mistakes on the test set: true → predicted (confidence).", width: 720, height: 300) { figure in
            let axes = figure.axes(0, 0)
            axes.imageGrid(images: wrong.map { split.test.image(at: $0.testIndex).map { Double($0) / 255 } },
                           imageRows: split.test.rows, imageColumns: split.test.columns,
                           captions: wrong.map { "\(split.classNames[$0.label])→\(split.classNames[$0.predicted]) (\(String(format: "%.2f", $0.confidence)))" },
                           gridColumns: 10)
        }
        session.table(Table(caption: "Per-class precision and recall on the test set.", headers: ["Class", "Precision", "Recall", "Support"],
                            rows: result.classMetrics.enumerated().map { index, metrics in
                                [split.classNames[index], format(metrics.precision), format(metrics.recall), "\(metrics.support)"]
                            }))
        session.prose("\(session.link(confusionFigure)) shows which digits are confused; \(session.link(misclassifiedFigure)) shows the test images the model gets wrong with the highest confidence.")

        // MARK: Tuning
        try tuningSection(session, split: split, recipe: config, baselineTestAccuracy: result.testAccuracy)

        // MARK: Landscape
        let model = MLP(inputSize: split.train.rows * split.train.columns, hiddenSizes: (config.hiddenSizes[0], config.hiddenSizes[1]),
                        classCount: split.classNames.count, seed: config.seed)
        let initial = model.flattenedParameters()
        try model.loadWeights(from: training.artifacts.appendingPathComponent("mlp.weights"))
        let evaluationCount = min(split.train.count, profile.pick(quick: 500, default: 10_000, full: 10_000))
        let landscape = LandscapeConfig(model: "mlp", gridSize: profile.pick(quick: 9, default: 51, full: 51), range: 1,
                                        evaluationImages: evaluationCount, directionSeed: session.seed &+ 100,
                                        lanczosSteps: profile.pick(quick: 8, default: 30, full: 60), topEigenvalueCount: 5,
                                        traceSamples: profile.pick(quick: 4, default: 30, full: 100), hessianStep: 1e-3)
        try session.lossLandscapeSection(TrainedModel(name: "MLP", model: model, initialParameters: initial,
                                                      trainedParameters: model.flattenedParameters(),
                                                      evaluation: labeledData(split.train, indices: Array(0..<evaluationCount))),
                                         config: landscape, inputs: [training.key])
    }
}
