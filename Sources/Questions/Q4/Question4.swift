import Datasets
import Experiments
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
        ResNet-50. Labbook rebuilds all three on its own engine (convolutions as matrix products over im2col columns, as \
        one dense product where every window covers the whole feature map, as on the ResNets' 2×2 and 1×1 maps, or, for \
        LeNet-5's narrow layers on a CPU with AVX-512, directly from the images with the max pooling in the same pass; batch \
        normalisation; residual blocks) and trains them here; every number below comes from this run unless marked as the assignment's. The convolutions' \
        products run on OpenBLAS's sgemm in fp32, or, in training steps on a CPU with AVX512_BF16, on Labbook's bf16 kernel \
        with fp32 accumulation; LeNet-5's direct convolutions and evaluation are fp32 either way. The run metadata's Kernels \
        row says which ran here.

        Dataset: \(split.description) Images are scaled to $[0, 1]$ and fed as 1×28×28 tensors (NCHW).
        """)

        architecturesSection(session)
        let recipe = Q4Recipe(profile: profile, split: split, seed: session.seed)
        let (networks, doubled) = try trainAll(session, recipe: recipe, split: split)
        protocolNote(session, networks: networks, recipe: recipe)
        let throughput = try measureThroughputs(session, split: split)
        resultsSection(session, networks: networks, throughput: throughput, split: split, recipe: recipe)
        try convergenceSection(session, networks: networks, doubled: doubled, recipe: recipe)
        let comparisons = try pairedTestSection(session, networks: networks, split: split)

        session.claim(Self.claimCheck(networks: networks.map(\.outcome), comparisons: comparisons, throughput: throughput))

        let outcomes = try curvesSection(session, networks: networks, throughput: throughput)
        try errorsSection(session, networks: networks, outcomes: outcomes, split: split)
        try landscapeSections(session, runs: networks.map { ($0.architecture, $0.runs[0]) }, split: split)
    }

    private func architecturesSection(_ session: NotebookSession) {
        session.heading("Architectures")
        session.prose("""
        - **LeNet-5**: convolution 5×5×6 (padding 2) → max-pool 2×2 → convolution 5×5×16 → max-pool 2×2 → \
        dense 400→120 → 84 → 10. \
        We use **ReLU and max pooling** (the common modern reading) instead of the 1998 paper's scaled tanh and trainable average \
        subsampling, and a full connection table in the second convolution. Each ReLU is applied after its pooling, which \
        gives the same function and gradients to the bit (the two commute) with a quarter of the work.
        - **ResNet-18 / ResNet-50**: torchvision's layouts (basic blocks [2, 2, 2, 2]; bottleneck blocks [3, 4, 6, 3], stride on \
        the 3×3 convolution) with a one-channel 7×7/2 stem and 3×3/2 max-pool, so a 28×28 digit is 7×7 entering the first stage \
        and 1×1 in the last. Projection shortcuts (1×1 convolution + batch normalisation) wherever a block changes shape.
        - The ImageNet stem is kept as the assignment's torchvision models have it: on a 28×28 digit its 7×7/2 convolution and \
        3×3/2 max-pool leave 7×7 maps for the first stage, the later stages see 4×4, 2×2 and finally 1×1 maps, so the last \
        stage's 3×3 convolutions mostly multiply padding. The networks are deep in layers, not in what they can see.
        - Initialisation: He (Kaiming) normal with fan-in for convolutions, Glorot uniform for dense layers, γ = 1 and β = 0 for \
        batch normalisation, except that each ResNet block's last batch normalisation starts at γ = 0 (its residual branch \
        starts as zero, so the block starts as the identity). Parameter counts follow torchvision: batch-normalisation γ and β \
        are parameters, running statistics are buffers.
        """)

    }

    /// Every network from every seed, and the convergence check: each again at twice its budget,
    /// where affordable. All the runs are independent, so they are one batch of cells (see
    /// `--executor`), the costliest first: with two workers the two cores are busy until the end.
    private func trainAll(_ session: NotebookSession, recipe: Q4Recipe, split: DatasetSplit) throws -> ([NetworkRuns], [NetworkRuns]) {
        let budgets = ConvolutionalArchitecture.allCases.map { recipe.configs($0) }
        let doubledBudgets = ConvolutionalArchitecture.allCases.filter(recipe.checksDoubledBudget).map {
            recipe.configs($0, budgetFactor: 2)
        }
        let groups = budgets + doubledBudgets
        let calls = groups.flatMap { configs in
            configs.map { CellCall(Self.training(Self.trainingName(configs[0], profile: session.profile), split: split), config: $0) }
        }
        let results = try session.computeAll(calls, costliestFirst: Q4Recipe.cost)
        var next = 0
        let runs = groups.map { configs -> NetworkRuns in
            defer { next += configs.count }
            return NetworkRuns(architecture: configs[0].architecture, configs: configs, runs: Array(results[next..<(next + configs.count)]))
        }
        return (Array(runs.prefix(budgets.count)), Array(runs.dropFirst(budgets.count)))
    }

    private func protocolNote(_ session: NotebookSession, networks: [NetworkRuns], recipe: Q4Recipe) {
        let first = networks[0].runs[0].result
        session.prose("""
        **Protocol.** Each network is trained from \(recipe.seedCount) seeds (initialisation, shuffle and split follow the seed) on \
        \(first.trainCount) training images with Adam and a \(first.schedule) (batch \(Self.batchSize), no augmentation); a \
        stratified 10% of the training set (\(first.validationCount) images) is held out for the curves and to choose the \
        checkpoint: the weights of the epoch with the highest validation accuracy are kept and tested. The \(first.testCount) test \
        images are used once, after training. Each ResNet block's last batch normalisation starts at γ = 0 (see below). \
        \(Self.executionNote(networks))
        """)
    }

    /// How the trainings were run: on how many cores each, and that their wall times are not the cost measure.
    static func executionNote(_ networks: [NetworkRuns]) -> String {
        let counts = Set(networks.flatMap { $0.runs.map(\.result.threads) }).sorted()
        let cores = counts.map(String.init).joined(separator: " or ")
        return """
            The runs are independent cells computed as one batch, each on \(cores) core\(counts == [1] ? "" : "s") of the \
            engine (with `--executor local`, several side by side: one worker per share of the cores); a run repeats bit for \
            bit with the same core count. Their wall times therefore say how the batch was run, not what a network costs: \
            the cost columns below count FLOPs and time training steps alone.
            """
    }

    private func curvesSection(_ session: NotebookSession, networks: [NetworkRuns],
                               throughput: [ConvolutionalArchitecture: ThroughputResult]) throws -> [ClassifierOutcome] {
        session.heading("Training curves")
        let outcomes = networks.map { network in
            ClassifierOutcome(title: network.architecture.displayName,
                              histories: zip(network.configs, network.runs).map { config, run in
                                  (network.runs.count > 1 ? " (seed \(config.seed))" : "", run.result.history)
                              },
                              confusion: network.runs[0].result.confusion, misclassified: network.runs[0].result.misclassified)
        }
        let curves = try session.trainingCurvesFigure(outcomes, caption: """
            Loss (left) and accuracy (right) per epoch for each network and seed: training (running average over the epoch) \
            and validation (the held-out 10% of the training images, after each epoch). The test set is not used here.
            """)
        let costFigure = try accuracyAgainstCostFigure(session, networks: networks, throughput: throughput)
        session.preformatted(networks.flatMap { network in
            zip(network.configs, network.runs).map { config, run in
                "\(network.architecture.displayName), seed \(config.seed)\n" + run.result.log.joined(separator: "\n")
            }
        }.joined(separator: "\n\n"), caption: "Keras-style training logs of every run.")
        session.prose("\(session.link(curves)) shows how each network trained; \(session.link(costFigure)) what its accuracy costs.")

        return outcomes
    }

    private func errorsSection(_ session: NotebookSession, networks: [NetworkRuns], outcomes: [ClassifierOutcome],
                               split: DatasetSplit) throws {
        session.heading("Where the networks err")
        let confusion = try session.confusionMatricesFigure(
            outcomes, name: "confusion-matrices",
            caption: """
                Confusion matrices on the test images (the first seed's run of each network): rows are true digits, \
                columns predictions.
                """,
            classNames: split.classNames)
        var mistakeFigures: [String] = []
        for network in networks {
            let figure = try session.mistakesFigure(
                network.runs[0].result.misclassified, name: "misclassified-\(network.architecture.rawValue)",
                caption: """
                    \(network.architecture.displayName): its most confident mistakes on the test set, \
                    true → predicted (confidence).
                    """,
                images: split.test, classNames: split.classNames, limit: 10)
            if let figure { mistakeFigures.append(session.link(figure)) }
        }
        session.prose("""
            \(session.link(confusion)) shows which digits each network confuses\(mistakeFigures.isEmpty
                ? ""
                : "; \(mistakeFigures.joined(separator: ", ")) show the test images they get wrong with the highest confidence").
            """)
        for network in networks {
            session.perClassTable(
                confusion: network.runs[0].result.confusion, classNames: split.classNames,
                caption: "\(network.architecture.displayName): per-class precision and recall on the test set (first seed).")
        }

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
