import Analysis
import Datasets
import Experiments
import Foundation
import NN
import Notebook
import Plot

/// The report sections of Question 4 between training and the curves: results, the evidence for
/// the recipe's budgets, and the paired test on the test images.
extension Question4 {
    /// Each network's training step timed on its own (see `measureThroughput`): one cell at a
    /// time in this process, never a batch an executor would run side by side.
    func measureThroughputs(_ session: NotebookSession, split: DatasetSplit) throws -> [ConvolutionalArchitecture: ThroughputResult] {
        let configs = ConvolutionalArchitecture.allCases.map {
            ThroughputConfig(architecture: $0, datasetHash: split.contentHash, batchSize: Self.batchSize,
                             warmup: Self.throughputWarmup($0, profile: session.profile),
                             steps: session.profile.pick(quick: 3, default: 30, full: 50), threads: EngineCores.perRun)
        }
        let results = try configs.map { try session.compute(Self.throughput(split: split), config: $0) }
        return Dictionary(uniqueKeysWithValues: zip(configs, results).map { ($0.architecture, $1.result) })
    }

    /// Untimed steps before the timed ones. A process's first few dozen LeNet-5 steps are up to
    /// twice as slow as later ones (a start-up transient, see the README's performance notes),
    /// so LeNet-5 warms up for 100 steps (0.2 s), as `compare.sh` does; a ResNet's first steps
    /// already outlast it.
    static func throughputWarmup(_ architecture: ConvolutionalArchitecture, profile: Profile) -> Int {
        architecture == .leNet5 ? profile.pick(quick: 1, default: 100, full: 100) : profile.pick(quick: 1, default: 3, full: 5)
    }

    func resultsSection(_ session: NotebookSession, networks: [NetworkRuns], throughput: [ConvolutionalArchitecture: ThroughputResult],
                        split: DatasetSplit, recipe: Q4Recipe) {
        session.heading("Results")
        session.table(Table(
            caption: """
                The three networks on \(split.proseName), trained by Adam with a one-cycle schedule (peak learning \
                rate \(Q4Recipe.peakLearningRate), batch \(Self.batchSize)): test accuracy of each seed's \
                checkpoint and their mean ± standard deviation over \(recipe.seedCount) seeds; the epoch \
                budget and, per seed, the epoch whose weights were tested. Cost: forward MFLOPs per image count \
                each multiply-add of the convolutions and dense layers as two FLOPs (batch normalisation, \
                activations and pooling left out); training images per second is the median of timed training \
                steps of batch \(Self.batchSize) measured alone, after the trainings and untimed warm-up steps \
                (\(EngineCores.perRun) cores).
                """,
            headers: ["Model", "Parameters", "Forward MFLOPs / image", "Training images/s", "Budget (epochs)", "Tested epoch per seed",
                      "Test accuracy per seed", "Test accuracy", "Assignment"],
            rows: networks.map { network in
                let result = network.runs[0].result
                return [network.architecture.displayName, result.parameterCount.formatted(),
                        String(format: "%.2f", 2 * Double(result.multiplyAccumulates) / 1e6),
                        throughput[network.architecture].map { String(format: "%.0f", $0.imagesPerSecond) } ?? "–",
                        "\(network.configs[0].epochs)",
                        network.runs.map { "\($0.result.bestEpoch)" }.joined(separator: ", "),
                        network.runs.map { String(format: "%.4f", $0.result.testAccuracy) }.joined(separator: ", "),
                        network.testAccuracy.formatted(), format(Self.assignmentAccuracies[network.architecture] ?? .nan)]
            }))
        for network in networks {
            let prefix = "q4.\(network.architecture.rawValue)"
            let result = network.runs[0].result
            session.record("\(prefix).parameters", Double(result.parameterCount))
            session.record("\(prefix).forward_mflops", 2 * Double(result.multiplyAccumulates) / 1e6)
            if let measured = throughput[network.architecture] {
                session.record("\(prefix).training_images_per_second", measured.imagesPerSecond)
                session.record("\(prefix).training_step_seconds_median", measured.medianSeconds)
            }
            session.record("\(prefix).test_accuracy", network.testAccuracy.mean)
            session.record("\(prefix).test_accuracy_std", network.testAccuracy.standardDeviation)
            for (config, run) in zip(network.configs, network.runs) {
                session.record("\(prefix).seed\(config.seed).test_accuracy", run.result.testAccuracy)
                session.record("\(prefix).seed\(config.seed).tested_epoch", Double(run.result.bestEpoch))
            }
            session.record("\(prefix).epoch_budget", Double(network.configs[0].epochs))
            session.record("\(prefix).training_seconds_mean", network.trainingSeconds.mean)
            session.headline("\(network.architecture.displayName) test accuracy (\(split.proseName))", network.testAccuracy.formatted())
        }
        let leNet = networks[0]
        session.prose("""
        **The assignment's numbers.** It reports LeNet-5 at 18.81% test accuracy, measured "on the 18314 training images" (its own \
        words: a training-set figure on a subset, not a test accuracy on MNIST's 10,000 test images), ResNet-18 at 0.91 and \
        ResNet-50 at 0.9316. 18.81% is barely above the 10% of guessing among ten digits: that LeNet-5 run was broken, most \
        likely by a bug in its data pipeline or training loop\(leNet.testAccuracy.mean > 0.5
            ? """
                \u{20}rather than by the architecture: the same network reaches \(percent(leNet.testAccuracy.mean, digits: 2)) \
                on the test images here
                """
            : ""). \
        So the comparison worth making is between the three networks of this run, not with the assignment's LeNet-5 figure.\
        \(session.profile == .quick
            ? " (Quick profile: tiny subsets and one or two epochs, so these accuracies only show that the pipeline runs.)"
            : "")
        """)
    }

    /// The recipe's evidence: each budget against twice that budget, on the validation split.
    func convergenceSection(_ session: NotebookSession, networks: [NetworkRuns], doubled: [NetworkRuns], recipe: Q4Recipe) throws {
        session.heading("Why these budgets")
        let tolerance = Q4Recipe.convergenceTolerance
        session.prose("""
        **Convergence rule.** A network's epoch budget is enough when training it for twice the budget (the one-cycle schedule \
        stretched over the doubled budget, same seeds) moves its mean validation accuracy (at the tested checkpoint) by less \
        than \(String(format: "%.1f", 100 * tolerance)) percentage points. The validation split decides; the test images play no part. The \
        doubled budgets run here for \(doubled.map(\.architecture.displayName).joined(separator: ", "))\
        \(doubled.count < networks.count
            ? """
                ; the ResNets' doubled budgets cost over an hour on 2 cores and run in the `full` profile, and the PyTorch \
                reference below ran all of them
                """
            : "").
        """)
        var rows: [[String]] = []
        for network in networks {
            let validation = SeedSpread(values: network.runs.map { $0.result.history.validationAccuracy[$0.result.bestEpoch - 1] })
            var row = [network.architecture.displayName, "\(network.configs[0].epochs)", validation.formatted()]
            if let twice = doubled.first(where: { $0.architecture == network.architecture }) {
                let twiceValidation = SeedSpread(values: twice.runs.map { $0.result.history.validationAccuracy[$0.result.bestEpoch - 1] })
                let change = twiceValidation.mean - validation.mean
                let rule = Q4Recipe.budgetRule(before: validation, after: twiceValidation)
                row += ["\(twice.configs[0].epochs)", twiceValidation.formatted(), rule.change, rule.met, twice.testAccuracy.formatted()]
                let prefix = "q4.\(network.architecture.rawValue).doubled_budget"
                session.record("\(prefix).validation_accuracy", twiceValidation.mean)
                session.record("\(prefix).validation_change", change)
                session.record("\(prefix).test_accuracy", twice.testAccuracy.mean)
            } else {
                row += ["\(2 * network.configs[0].epochs)", "not run in this profile", "–", "see the reference below", "–"]
            }
            session.record("q4.\(network.architecture.rawValue).validation_accuracy", validation.mean)
            rows.append(row)
        }
        session.table(Table(
            caption: """
                Each budget against twice the budget: validation accuracy of the tested checkpoints (mean ± standard \
                deviation over seeds) and the change of the mean in percentage points ± the standard error of that \
                difference; the rule holds when the change is below \(String(format: "%.1f", 100 * tolerance)). Test \
                accuracy of the doubled budget for reference only.
                """,
            headers: ["Model", "Budget", "Validation accuracy", "Twice the budget", "Validation accuracy", "Change (points)",
                      "Rule met", "Test accuracy (twice)"],
            rows: rows))
        if let reference = try PyTorchRecipeReference.load(projectRoot: projectRoot) {
            session.table(reference.table)
            session.prose(reference.note)
        }
        session.prose("""
        **Why zero-initialised residual branches.** ResNet-50 with torchvision's ImageNet stem reduces a 28×28 digit to 7×7 before \
        its first stage and to 1×1 in its last, so most of its 16 blocks see a few pixels; with every block's residual branch \
        active from the first step, PyTorch runs of the same network and schedule swung widely in validation accuracy from one \
        epoch to the next. Starting each block's last batch-normalisation γ at 0 (torchvision's `zero_init_residual`; Goyal et al., \
        2017) makes every block the identity at first, and the network then trains as steadily as ResNet-18.
        """)
    }

    /// Per-image predictions, written as predictions.csv, and McNemar's test on them.
    func pairedTestSection(_ session: NotebookSession, networks: [NetworkRuns], split: DatasetSplit) throws -> [PairedComparison] {
        session.heading("The same test images, paired")
        // Every run was tested on the same first images of the test set; compare on those all share.
        let testCount = networks.flatMap { $0.runs.map { min($0.result.testCount, $0.result.testPredictions.count) } }.min() ?? 0
        guard testCount > 0 else { throw NotebookError.invalidInput("q4: no test predictions to compare") }
        let labels = split.test.labels.prefix(testCount).map { Int32($0) }
        let file = try session.dataFile(
            "predictions.csv",
            description: "Every training run's predicted class and probability of the true class for each test image",
            contents: Self.predictionsCSV(networks: networks, labels: labels))
        let outcomes = networks.map(\.outcome)
        let leNet = outcomes[0]
        var family = outcomes.dropFirst().map { PairedComparison(first: leNet, second: $0, labels: labels, seed: session.seed &+ 500) }
        for (index, adjusted) in holmAdjusted(family.map(\.mcNemar.pValue)).enumerated() { family[index].adjustedPValue = adjusted }
        let between = PairedComparison(first: outcomes[1], second: outcomes[2], labels: labels, seed: session.seed &+ 501)
        let comparisons = family + [between]
        session.prose("""
        All networks are tested on the same \(testCount) images, so they are compared image by image rather than by their \
        accuracies alone: for each pair, seed k of one network against seed k of the other, the images only one of the two gets \
        right decide McNemar's exact test (pooled over the seed pairs), and a bootstrap that resamples both the test images and \
        the seed pairs (2,000 replicates) gives a 95% interval for the difference in accuracy. Every run's prediction for every \
        test image is in [\(file)](\(file)) (columns: index, label, one predicted class per network and seed, then each run's \
        probability of the true class).
        """)
        session.table(Table(
            caption: """
                Paired comparisons on the test images: difference in accuracy (second − first, mean over seed pairs) \
                with its 95% bootstrap interval, the discordant images pooled over seed pairs, McNemar's exact \
                two-sided p-value, and Holm's adjustment over the two comparisons with LeNet-5 that the verdict rests on.
                """,
            headers: ["Comparison", "Difference", "95% interval", "Only first right", "Only second right", "p (exact)",
                      "p (Holm)", "p per seed pair"],
            rows: comparisons.map { comparison in
                ["\(comparison.second.displayName) vs \(comparison.first.displayName)",
                 String(format: "%+.4f", comparison.bootstrap.difference),
                 String(format: "[%+.4f, %+.4f]", comparison.bootstrap.lower, comparison.bootstrap.upper),
                 "\(comparison.mcNemar.onlyFirstCorrect)", "\(comparison.mcNemar.onlySecondCorrect)",
                 formatP(comparison.mcNemar.pValue), comparison.adjustedPValue.map(formatP) ?? "–",
                 comparison.perSeedPair.map { formatP($0.pValue) }.joined(separator: ", ")]
            }))
        for comparison in comparisons {
            let prefix = "q4.paired.\(comparison.second.rawValue)_vs_\(comparison.first.rawValue)"
            session.record("\(prefix).difference", comparison.bootstrap.difference)
            session.record("\(prefix).interval_lower", comparison.bootstrap.lower)
            session.record("\(prefix).interval_upper", comparison.bootstrap.upper)
            session.record("\(prefix).only_first_correct", Double(comparison.mcNemar.onlyFirstCorrect))
            session.record("\(prefix).only_second_correct", Double(comparison.mcNemar.onlySecondCorrect))
            session.record("\(prefix).mcnemar_p", comparison.mcNemar.pValue)
            if let adjusted = comparison.adjustedPValue { session.record("\(prefix).holm_p", adjusted) }
        }
        return comparisons
    }

    /// index, label, then each run's predicted class, then each run's probability of the true class.
    static func predictionsCSV(networks: [NetworkRuns], labels: [Int32]) -> String {
        let runs = networks.flatMap { network in
            zip(network.configs, network.runs).map { ("\(network.architecture.rawValue)_seed\($0.seed)", $1.result) }
        }
        var lines = [(["index", "label"] + runs.map(\.0) + runs.map { "p_true_\($0.0)" }).joined(separator: ",")]
        lines.reserveCapacity(labels.count + 1)
        for index in labels.indices {
            let predicted = runs.map { "\($0.1.testPredictions[index])" }
            let probabilities = runs.map { String(format: "%.4f", $0.1.trueClassProbabilities[index]) }
            lines.append((["\(index)", "\(labels[index])"] + predicted + probabilities).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Test accuracy against forward FLOPs per image: each seed its own marker shape, the mean
    /// with a ±1 standard deviation bar. The legend names the means only and the caption the
    /// shapes: legend rows for the seeds would have to take some network's colour (they took
    /// LeNet-5's, so "seed 42" and "LeNet-5 mean" showed the same blue circle).
    func accuracyAgainstCostFigure(_ session: NotebookSession, networks: [NetworkRuns],
                                   throughput: [ConvolutionalArchitecture: ThroughputResult]) throws -> FigureReference {
        let markers: [Marker] = [.triangle, .square, .cross, .circle]
        let shapes = (networks.first?.configs ?? []).enumerated()
            .map { "\(markers[$0.offset % markers.count].rawValue): seed \($0.element.seed)" }.joined(separator: ", ")
        return try session.plot("accuracy-vs-cost", caption: """
            Test accuracy of each seed's checkpoint (\(shapes)) against forward MFLOPs per image (log \
            scale), with each network's mean (large circle) and ±1 standard deviation over seeds: what each \
            network's accuracy costs in arithmetic. Training throughput measured alone is in the results table.
            """,
                                width: 760, height: 420) { figure in
            let axes = figure.axes(0, 0)
            for (index, network) in networks.enumerated() {
                let flops = 2 * Double(network.runs[0].result.multiplyAccumulates) / 1e6
                for (seedIndex, run) in network.runs.enumerated() {
                    axes.scatter(x: [flops], y: [run.result.testAccuracy], color: .palette(index), size: 7,
                                 marker: markers[seedIndex % markers.count])
                }
                let spread = network.testAccuracy
                axes.line(x: [flops * 1.15, flops * 1.15],
                          y: [spread.mean - spread.standardDeviation, spread.mean + spread.standardDeviation],
                          color: .palette(index), width: 2)
                axes.scatter(x: [flops * 1.15], y: [spread.mean], label: "\(network.architecture.displayName) mean",
                             color: .palette(index), size: 9)
            }
            axes.xScale = .log
            axes.xLabel = "forward MFLOPs per image (log scale)"
            axes.yLabel = "test accuracy"
            axes.legendLocation = .best
            axes.showGrid = true
        }
    }
}
