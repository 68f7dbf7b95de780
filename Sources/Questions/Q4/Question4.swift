import Datasets
import Foundation
import NN
import Notebook
import Plot

/// Question 4: convolutional networks (LeNet-5, ResNet-18, ResNet-50) on the digits, trained
/// by Labbook's engine and compared with the assignment's PyTorch numbers.
public struct Question4: Question {
    public let id = "q4"
    public let title = "Convolutional networks: LeNet-5, ResNet-18 and ResNet-50"
    let projectRoot: URL

    /// The assignment's reported test accuracies (PyTorch).
    static let assignmentAccuracies: [ConvolutionalArchitecture: Double] = [.leNet5: 0.1881, .resNet18: 0.91, .resNet50: 0.9316]

    /// The digits: what `--dataset-dir` asked for, else the default for the profile (see
    /// `SharedDataset.source(for:)`), loaded once for every question that shares it.
    let digits: SharedDataset

    public init(projectRoot: URL, digits: DatasetSource? = nil) {
        self.init(projectRoot: projectRoot, sharing: SharedDataset(requested: digits, projectRoot: projectRoot))
    }

    /// Reads the digits from `digits`, loaded once for every question that shares it.
    init(projectRoot: URL, sharing digits: SharedDataset) {
        self.projectRoot = projectRoot
        self.digits = digits
    }

    /// Mini-batch of every network's training run.
    static let batchSize = Q4Recipe.batchSize

    /// LeNet-5 fixes the image size for all three networks (the report compares them on the
    /// same data), and a step needs a full mini-batch.
    static let datasetRequirements = ConvolutionalArchitecture.leNet5.datasetRequirements(consumer: "q4", batchSize: batchSize)

    /// Loads and checks the digits before the run writes anything.
    public func checkInputs(profile: Profile) throws {
        _ = try digits.split(for: Self.datasetRequirements, profile: profile)
    }

    public func build(_ session: NotebookSession) throws {
        let profile = session.profile
        let split = try digits.split(for: Self.datasetRequirements, profile: profile)
        session.usesDataset(split.description)

        session.prose("""
        The assignment trains three convolutional networks on handwritten digits with PyTorch and Adam: LeNet-5, ResNet-18 and \
        ResNet-50. Labbook rebuilds all three on its own engine (im2col convolutions on OpenBLAS sgemm, batch normalisation, \
        residual blocks) and trains them here; every number below comes from this run unless marked as the assignment's.

        Dataset: \(HTMLEscaping.escape(split.description)) Images are scaled to $[0, 1]$ and fed as 1×28×28 tensors (NCHW).
        """)

        // MARK: Architectures
        session.heading("Architectures")
        session.prose("""
        - **LeNet-5**: convolution 5×5×6 (padding 2) → max-pool 2×2 → convolution 5×5×16 → max-pool 2×2 → dense 400→120 → 84 → 10. \
        We use **ReLU and max pooling** (the common modern reading) instead of the 1998 paper's scaled tanh and trainable average \
        subsampling, and a full connection table in the second convolution.
        - **ResNet-18 / ResNet-50**: torchvision's layouts (basic blocks [2, 2, 2, 2]; bottleneck blocks [3, 4, 6, 3], stride on \
        the 3×3 convolution) with a one-channel 7×7/2 stem and 3×3/2 max-pool, so a 28×28 digit is 7×7 entering the first stage \
        and 1×1 in the last. Projection shortcuts (1×1 convolution + batch normalisation) wherever a block changes shape.
        - Initialisation: He (Kaiming) normal with fan-in for convolutions, Glorot uniform for dense layers, γ = 1 and β = 0 for \
        batch normalisation. Parameter counts follow torchvision: batch-normalisation γ and β are parameters, running \
        statistics are buffers.
        """)

        // MARK: Training
        let recipe = Q4Recipe(profile: profile, split: split, seed: session.seed)
        var networks: [NetworkRuns] = []
        for architecture in ConvolutionalArchitecture.allCases {
            networks.append(try train(session, configs: recipe.configs(architecture), split: split))
        }
        // The convergence check: every network again at twice its budget, where affordable.
        var doubled: [NetworkRuns] = []
        for architecture in ConvolutionalArchitecture.allCases where recipe.checksDoubledBudget(architecture) {
            doubled.append(try train(session, configs: recipe.configs(architecture, budgetFactor: 2), split: split))
        }
        let first = networks[0].runs[0].result
        session.prose("""
        **Protocol.** Each network is trained from \(recipe.seedCount) seeds (initialisation, shuffle and split follow the seed) on \
        \(first.trainCount) training images with Adam and a \(first.schedule) (batch \(Self.batchSize)); a stratified 10% of the \
        training set (\(first.validationCount) images) is held out for the curves and to choose the checkpoint: the weights of the \
        epoch with the highest validation accuracy are kept. The \(first.testCount) test images are used once, after training.
        """)

        session.heading("Results")
        session.table(Table(
            caption: "The three networks on \(split.name) (Adam one-cycle, peak learning rate \(Q4Recipe.peakLearningRate), batch 64): test accuracy as mean ± standard deviation over \(recipe.seedCount) seeds, epoch budget and the epoch whose weights were tested per seed, training time per seed. Forward MFLOPs per image count each multiply-add of the convolutions and dense layers as two FLOPs (batch normalisation, activations and pooling left out).",
            headers: ["Model", "Parameters", "Forward MFLOPs / image", "Epochs per seed", "Training time per seed (s)", "Images/s", "Test accuracy", "Assignment"],
            rows: networks.map { network in
                let result = network.runs[0].result
                return [network.architecture.displayName, result.parameterCount.formatted(),
                        String(format: "%.2f", 2 * Double(result.multiplyAccumulates) / 1e6),
                        network.runs.map { "\($0.result.bestEpoch)/\($0.result.history.epochCount)" }.joined(separator: ", "),
                        network.runs.map { String(format: "%.0f", $0.result.trainingSeconds) }.joined(separator: ", "),
                        String(format: "%.0f", network.runs.map(\.result.imagesPerSecond).reduce(0, +) / Double(network.runs.count)),
                        network.testAccuracy.formatted(), format(Self.assignmentAccuracies[network.architecture] ?? .nan)]
            }))
        for network in networks {
            let prefix = "q4.\(network.architecture.rawValue)"
            let result = network.runs[0].result
            session.record("\(prefix).parameters", Double(result.parameterCount))
            session.record("\(prefix).forward_mflops", 2 * Double(result.multiplyAccumulates) / 1e6)
            session.record("\(prefix).images_per_second", network.runs.map(\.result.imagesPerSecond).reduce(0, +) / Double(network.runs.count))
            session.record("\(prefix).test_accuracy", network.testAccuracy.mean)
            session.record("\(prefix).test_accuracy_std", network.testAccuracy.standardDeviation)
            session.record("\(prefix).epochs_mean", network.runs.map { Double($0.result.history.epochCount) }.reduce(0, +) / Double(network.runs.count))
            session.record("\(prefix).training_seconds_mean", network.trainingSeconds.mean)
            session.headline("\(network.architecture.displayName) test accuracy (\(split.name))", network.testAccuracy.formatted())
        }
        let leNet = networks[0]
        session.prose("""
        **The assignment's numbers.** It reports LeNet-5 at 18.81% test accuracy "on 18,314 training images", ResNet-18 at 0.91 and \
        ResNet-50 at 0.9316. 18.81% is barely above the 10% of guessing among ten digits: that LeNet-5 run was broken, \
        most likely by a bug in its data pipeline or training loop\(leNet.testAccuracy.mean > 0.5 ? " rather than by the architecture: the same network with the same optimiser reaches \(percent(leNet.testAccuracy.mean)) here" : ""). \
        So the comparison worth making is between the three networks of this run, not with the assignment's LeNet-5 figure.\(profile == .quick ? " (Quick profile: tiny subsets and one epoch, so these accuracies only show that the pipeline runs.)" : "")
        """)

        // MARK: Claim
        session.claim(Self.claimCheck(networks: networks.map(\.outcome)))

        // MARK: Curves
        session.heading("Training curves")
        let outcomes = networks.map { network in
            ClassifierOutcome(title: network.architecture.displayName,
                              histories: zip(network.configs, network.runs).map { config, run in
                                  (network.runs.count > 1 ? " (seed \(config.seed))" : "", run.result.history)
                              },
                              confusion: network.runs[0].result.confusion, misclassified: network.runs[0].result.misclassified)
        }
        let curves = try session.trainingCurvesFigure(outcomes, caption: "Loss (left) and accuracy (right) per epoch for each network and seed: training (running average over the epoch) and validation (the held-out 10% of the training images, after each epoch). The test set is not used here.")
        let costFigure = try session.plot("accuracy-vs-training-time", caption: "Validation accuracy after each epoch against cumulative training seconds, one line per network and seed, and each network's final test accuracy (mean ± standard deviation over seeds, at its mean training time): what each network's accuracy costs on this machine.",
                                          width: 820, height: 420) { figure in
            let axes = figure.axes(0, 0)
            for (index, network) in networks.enumerated() {
                for (seedIndex, run) in network.runs.enumerated() {
                    let history = run.result.history
                    var elapsed = 0.0
                    let x = history.seconds.map { elapsed += $0; return elapsed }
                    axes.line(x: x, y: history.validationAccuracy, label: seedIndex == 0 ? "\(network.architecture.displayName) validation" : nil,
                              color: Color.palette(index).withAlpha(seedIndex == 0 ? 1 : 0.5), marker: .circle)
                }
                let spread = network.testAccuracy
                axes.scatter(x: [network.trainingSeconds.mean], y: [spread.mean], label: "\(network.architecture.displayName) test", color: .palette(index), size: 10)
                axes.line(x: [network.trainingSeconds.mean, network.trainingSeconds.mean],
                          y: [spread.mean - spread.standardDeviation, spread.mean + spread.standardDeviation], color: .palette(index), width: 2)
            }
            axes.xScale = .log
            axes.xLabel = "cumulative training seconds (log scale)"
            axes.yLabel = "accuracy"
            axes.legendLocation = .lowerRight
            axes.showGrid = true
        }
        session.preformatted(networks.flatMap { network in
            zip(network.configs, network.runs).map { config, run in
                "\(network.architecture.displayName), seed \(config.seed)\n" + run.result.log.joined(separator: "\n")
            }
        }.joined(separator: "\n\n"), caption: "Keras-style training logs of every run.")
        session.prose("\(session.link(curves)) shows how each network trained; \(session.link(costFigure)) what its accuracy cost.")

        let runs = networks.map { (architecture: $0.architecture, computed: $0.runs[0]) }

        // MARK: Errors
        session.heading("Where the networks err")
        let confusion = try session.confusionMatricesFigure(outcomes, name: "confusion-matrices",
                                                            caption: "Confusion matrices on the test images (the first seed's run of each network): rows are true digits, columns predictions.",
                                                            classNames: split.classNames)
        var mistakeFigures: [String] = []
        for network in networks {
            let figure = try session.mistakesFigure(network.runs[0].result.misclassified, name: "misclassified-\(network.architecture.rawValue)",
                                                    caption: "\(network.architecture.displayName): its most confident mistakes on the test set, true → predicted (confidence).",
                                                    images: split.test, classNames: split.classNames, limit: 10)
            if let figure { mistakeFigures.append(session.link(figure)) }
        }
        session.prose("\(session.link(confusion)) shows which digits each network confuses\(mistakeFigures.isEmpty ? "" : "; \(mistakeFigures.joined(separator: ", ")) show the test images they get wrong with the highest confidence").")
        for network in networks {
            session.perClassTable(confusion: network.runs[0].result.confusion, classNames: split.classNames,
                                  caption: "\(network.architecture.displayName): per-class precision and recall on the test set (first seed).")
        }

        // MARK: Landscape
        try landscapeSections(session, runs: runs.map { ($0.architecture, $0.computed) }, split: split)
    }

    /// Loss-landscape sections: LeNet-5 always (with its trajectory), ResNet-18 beyond the quick
    /// profile (in evaluation mode, so batch normalisation uses its running statistics); then
    /// every trained model's landscape side by side, with Q3's MLP.
    private func landscapeSections(_ session: NotebookSession, runs: [(ConvolutionalArchitecture, Computed<ConvolutionalTrainingResult>)],
                                   split: DatasetSplit) throws {
        let profile = session.profile
        var summaries: [LandscapeSummary] = []
        for (architecture, computed) in runs {
            let affordable = architecture == .leNet5 || (architecture == .resNet18 && profile != .quick)
            guard affordable else { continue }
            let isLeNet = architecture == .leNet5
            let seed = session.seed
            let fresh = architecture.makeModel(classCount: split.classNames.count, seed: seed)
            let initial = fresh.flattenedParameters()
            try fresh.loadWeights(from: computed.artifacts.appendingPathComponent("\(architecture.rawValue).weights"))
            let model: any UnaryLayer = architecture.usesBatchNormalization ? InferenceMode(fresh) : fresh
            let evaluationCount = min(split.train.count, isLeNet ? profile.pick(quick: 256, default: 1000, full: 4000)
                                                                 : profile.pick(quick: 64, default: 128, full: 512))
            let gridSize = isLeNet ? profile.pick(quick: 7, default: 51, full: 51) : profile.pick(quick: 5, default: 25, full: 51)
            let config = LandscapeConfig(model: architecture.rawValue, gridSize: gridSize,
                                         range: 1, evaluationImages: evaluationCount, directionSeed: seed &+ 100,
                                         rowsPerBlock: isLeNet ? profile.pick(quick: 3, default: 6, full: 6) : profile.pick(quick: 3, default: 3, full: 4),
                                         lanczosSteps: isLeNet ? profile.pick(quick: 6, default: 20, full: 60) : profile.pick(quick: 4, default: 10, full: 20),
                                         topEigenvalueCount: isLeNet ? 5 : 3,
                                         traceSamples: isLeNet ? profile.pick(quick: 3, default: 20, full: 100) : profile.pick(quick: 2, default: 6, full: 20),
                                         hessianStep: 1e-3,
                                         spectralProbes: isLeNet ? profile.pick(quick: 1, default: 3, full: 5) : 0,
                                         spectralSteps: isLeNet ? profile.pick(quick: 6, default: 40, full: 80) : 0)
            session.prose("The loss-landscape section below is for **\(architecture.displayName)**\(architecture.usesBatchNormalization ? ", evaluated in inference mode: batch normalisation uses the running statistics of the trained network at every point, so the loss is a fixed function of the parameters (batch-normalisation γ and β, like biases, get no direction)" : "").")
            let trained = TrainedModel(name: architecture.displayName, model: model, initialParameters: initial,
                                       trainedParameters: fresh.flattenedParameters(),
                                       evaluation: imageData(split.train, indices: Array(0..<evaluationCount)))
            summaries.append(try session.lossLandscapeSection(trained, config: config, inputs: [computed.key]))
            if isLeNet {
                try session.trajectorySection(trained, trajectoryFile: computed.artifacts.appendingPathComponent(trajectoryFileName),
                                              config: TrajectoryConfig(model: architecture.rawValue, evaluationImages: evaluationCount,
                                                                       gridSize: profile.pick(quick: 7, default: 25, full: 41), margin: 0.15,
                                                                       stepsPerEpoch: (computed.result.trainCount + Self.batchSize - 1) / Self.batchSize),
                                              inputs: [computed.key])
            }
        }
        // Q3's MLP on its own digits split, from Q3's cells (computed here if Q3 has not run).
        let mlpSplit = try digits.split(for: Question3.datasetRequirements, profile: profile)
        let recipe = Question3.recipe(split: mlpSplit, profile: profile, seed: session.seed)
        let mlpTraining = try Question3.trainRecordingTrajectory(session, recipe: recipe, split: mlpSplit)
        let (mlp, mlpLandscape) = try Question3.landscapeModel(training: mlpTraining, recipe: recipe, split: mlpSplit, profile: profile, seed: session.seed)
        summaries.insert(try session.landscapeCells(mlp, config: mlpLandscape, inputs: [mlpTraining.key], ofQuestion: "q3"), at: 0)
        try session.landscapeComparison(summaries)
    }

    /// Trains one network from every seed of `configs`: the runs are independent, so they are
    /// one batch of cells (see `--executor`). The cell name carries the budget, so a doubled
    /// budget is a cell of its own.
    private func train(_ session: NotebookSession, configs: [ConvolutionalTrainingConfig], split: DatasetSplit) throws -> NetworkRuns {
        let architecture = configs[0].architecture
        let cell = "train-\(architecture.rawValue)" + (configs[0].epochs == Q4Recipe.epochBudget(architecture, profile: session.profile)
                                                        ? "" : "-\(configs[0].epochs)-epochs")
        let results = try session.computeAll(cell, version: "3", configs: configs) { config, progress in
            try FileManager.default.createDirectory(at: progress.artifactDirectory, withIntermediateDirectories: true)
            return try trainConvolutional(config, split: split,
                                          weightsURL: progress.artifactDirectory.appendingPathComponent("\(config.architecture.rawValue).weights"),
                                          progress: progress)
        }
        return NetworkRuns(architecture: architecture, configs: configs, runs: results)
    }

    /// "so resnet suit more than the Lenet", tested on this run's converged, multi-seed results:
    /// a ResNet suits more if its mean test accuracy beats LeNet-5's by more than the noise,
    /// the larger of the seed-to-seed spread and twice the test set's standard error of the
    /// difference, and at what cost in FLOPs and training time.
    static func claimCheck(networks: [NetworkResults]) -> ClaimCheck {
        let leNet = networks.first { $0.architecture == .leNet5 }!
        let resNets = networks.filter { $0.architecture != .leNet5 }
        var evidence: [String] = []
        var better = 0, worse = 0
        for resNet in resNets {
            let difference = resNet.testAccuracy.mean - leNet.testAccuracy.mean
            let testCount = resNet.results[0].testCount
            let standardError = (pow(accuracyStandardError(resNet.testAccuracy.mean, testCount: testCount), 2)
                                 + pow(accuracyStandardError(leNet.testAccuracy.mean, testCount: testCount), 2)).squareRoot()
            let spread = max(resNet.testAccuracy.standardDeviation, leNet.testAccuracy.standardDeviation)
            let noise = max(spread, 2 * standardError)
            if difference > noise { better += 1 } else if difference < -noise { worse += 1 }
            let costRatio = Double(resNet.results[0].multiplyAccumulates) / Double(max(leNet.results[0].multiplyAccumulates, 1))
            let timeRatio = resNet.trainingSeconds.mean / max(leNet.trainingSeconds.mean, 1e-9)
            evidence.append("\(resNet.architecture.displayName) − LeNet-5: \(String(format: "%+.4f", difference)) test accuracy (\(resNet.testAccuracy.formatted()) vs \(leNet.testAccuracy.formatted())), against a noise level of \(format(noise)) (largest seed spread \(format(spread)); twice the test-set standard error of the difference \(format(2 * standardError))): \(difference > noise ? "a real gain" : difference < -noise ? "a real loss" : "within the noise"), for \(String(format: "%.0f", costRatio))× the FLOPs per image and \(String(format: "%.1f", timeRatio))× the training time.")
        }
        for network in networks {
            evidence.append("\(network.architecture.displayName): tested epoch / budget per seed \(network.results.map { "\($0.bestEpoch)/\($0.history.epochCount)" }.joined(separator: ", ")), \(network.results[0].parameterCount.formatted()) parameters.")
        }
        evidence.append("The assignment's LeNet-5 figure (0.1881) is barely above chance (0.10); its ResNet figures (0.91, 0.9316) are compared with a broken run.")
        let verdict: Verdict = better == resNets.count ? .supported : (better == 0 ? .refuted : .partly)
        return ClaimCheck(
            id: "resnet-suits-more", claim: "test accuracy for resnet 50 is 0.9316 test accuracy for resnet 18 is 0.91 so resnet suit more than the Lenet",
            verdict: verdict, evidence: evidence,
            conclusion: better == resNets.count
                ? "Both ResNets beat LeNet-5 by more than the seed-to-seed and test-set noise, at many times its compute; whether that gain is worth the cost is the real question, answered by the figures above."
                : "Not every ResNet beats a trained LeNet-5 by more than the seed-to-seed and test-set noise; on 28×28 digits LeNet-5 is a strong baseline at a fraction of the cost, and the assignment's conclusion rests on a LeNet-5 run that did not train.")
    }
}

/// One network of Question 4 trained from several seeds: the cells and their results.
struct NetworkRuns {
    var architecture: ConvolutionalArchitecture
    var configs: [ConvolutionalTrainingConfig]
    var runs: [Computed<ConvolutionalTrainingResult>]

    var outcome: NetworkResults { NetworkResults(architecture: architecture, results: runs.map(\.result)) }
    var testAccuracy: SeedSpread { outcome.testAccuracy }
    var trainingSeconds: SeedSpread { outcome.trainingSeconds }
}

/// What the verdict weighs: one network's results over its seeds.
struct NetworkResults {
    var architecture: ConvolutionalArchitecture
    var results: [ConvolutionalTrainingResult]

    var testAccuracy: SeedSpread { SeedSpread(values: results.map(\.testAccuracy)) }
    var trainingSeconds: SeedSpread { SeedSpread(values: results.map(\.trainingSeconds)) }
}
