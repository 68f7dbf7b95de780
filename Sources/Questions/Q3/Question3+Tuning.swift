import Analysis
import Datasets
import Foundation
import Notebook
import Plot

extension Question3 {
    /// Grid search, random search, Bayesian optimisation and successive halving on the same
    /// compute budget (in training epochs), then the best configuration retrained with the full
    /// recipe and tested, and each hyperparameter's share of the score's variance.
    func tuningSection(_ session: NotebookSession, split: DatasetSplit, recipe: MLPTrainingConfig,
                       baseline: [(seed: UInt64, result: MLPTrainingResult)]) throws {
        session.heading("Hyperparameter tuning")
        let plan = TuningPlan(profile: session.profile, seed: session.seed, recipe: recipe)
        session.prose("""
        The assignment names grid search, random search and Bayesian optimisation but runs none. Here each method gets the same compute \
        budget: \(plan.budgetEpochs) epochs of training on the \
        same \(recipe.trainingLimit == nil ? "" : "subset's ")80/20 split of the training images. A trial trains \
        the recipe with one configuration for \(plan.epochs) epoch\(plan.epochs == 1 ? "" : "s") and scores it by \
        validation accuracy, so grid, random and Bayesian search get \(plan.budget) trials each. Successive halving (the pruning behind \
        Hyperband, Optuna's and Ray Tune's schedulers) spends the same \(plan.budgetEpochs) epochs differently: \(plan.firstRung) random \
        configurations for \(max(1, plan.epochs / 3)) epoch\(max(1, plan.epochs / 3) == 1 ? "" : "s") \
        each, then the best third trained again for \(plan.epochs) \
        epoch\(plan.epochs == 1 ? "" : "s"), scored exactly like the other methods' trials. The space: \
        learning rate log-uniform in $[10^{-4}, 10^{-2}]$, hidden sizes $\\{64, 128, 256\\}$ and \
        $\\{32, 64, 128\\}$, batch size $\\{32, 64, 128\\}$. Bayesian optimisation uses a Gaussian process (Matérn-5/2, one length scale \
        per dimension, fitted by maximum marginal likelihood) and log expected improvement. Random search and Bayesian optimisation run \
        with \(plan.seeds.count) seed\(plan.seeds.count == 1 ? "" : "s"), as does \
        successive halving; the grid is deterministic. Every trial is a cached cell.
        """)

        let (runs, prunedTrials) = try runSearches(session, split: split, plan: plan)
        let progressFigure = try tuningProgressFigure(session, runs: runs, plan: plan)
        let allTrials = runs.flatMap { run in run.trials.map { (method: run.method, seed: run.seed, trial: $0) } }
        let sorted = allTrials.sorted { ($0.trial.score.isFinite ? $0.trial.score : -1) > ($1.trial.score.isFinite ? $1.trial.score : -1) }
        trialsTable(session, sorted: sorted, plan: plan, prunedTrials: prunedTrials)
        let coordinatesFigure = try parallelCoordinatesFigure(session, trials: allTrials.map(\.trial))
        let posteriorFigure = try posteriorFigure(session, runs: runs, seed: plan.seeds[0])
        try retrainBest(session, split: split, recipe: recipe, best: sorted.first!.trial.configuration, runs: runs, plan: plan,
                        baseline: baseline)
        session.prose("""
            See \(session.link(progressFigure)), \(session.link(coordinatesFigure))\
            \(posteriorFigure.map { " and \(session.link($0))" } ?? "") for the searches.
            """)
        importanceSection(session, allTrials: allTrials.map(\.trial))
    }

    /// Every method's searches on the plan's budget; each trial is a cached cell. Returns the
    /// runs and how many first-rung trials successive halving pruned.
    private func runSearches(_ session: NotebookSession, split: DatasetSplit, plan: TuningPlan) throws -> ([SearchRun], Int) {
        let (budget, epochs, seeds, base, budgetEpochs) = (plan.budget, plan.epochs, plan.seeds, plan.base, plan.budgetEpochs)
        var trialSeconds: [Configuration: Double] = [:]
        func objective(_ configuration: Configuration, epochs trialEpochs: Int) throws -> Double {
            var trialBase = base
            trialBase.epochs = trialEpochs
            let trial = try session.compute(Self.tuningTrial(split: split),
                                            config: TrialConfig(base: trialBase, configuration: configuration)).result
            if trialEpochs == epochs { trialSeconds[configuration] = trial.seconds }
            return trial.validationAccuracy
        }
        func objective(_ configuration: Configuration) throws -> Double { try objective(configuration, epochs: epochs) }
        // Grid and random search propose without looking at scores, so their trials are known up
        // front: one batch of independent cells (see `--executor`); the searches below then read
        // them from the cache. Bayesian optimisation and successive halving stay sequential.
        let gridStrategy = GridSearch(space: mlpSearchSpace, budget: budget)
        var planned = plannedConfigurations(gridStrategy, budget: budget)
        for seed in seeds { planned += plannedConfigurations(RandomSearch(space: mlpSearchSpace, seed: seed), budget: budget) }
        _ = try session.computeAll(Self.tuningTrial(split: split), configs: planned.map { TrialConfig(base: base, configuration: $0) })
        var runs: [SearchRun] = []
        runs.append(SearchRun(method: "grid", seed: 0, trials: try runSearch(strategy: gridStrategy, budget: budget, objective: objective)))
        for seed in seeds {
            runs.append(SearchRun(method: "random", seed: seed,
                                  trials: try runSearch(strategy: RandomSearch(space: mlpSearchSpace, seed: seed),
                                                        budget: budget, objective: objective)))
        }
        for seed in seeds {
            let strategy = BayesianOptimization(space: mlpSearchSpace, seed: seed, initialDesignTrials: min(5, max(2, budget / 4)))
            runs.append(SearchRun(method: "bayesian", seed: seed,
                                  trials: try runSearch(strategy: strategy, budget: budget, objective: objective)))
        }
        var prunedTrials = 0
        for seed in seeds {
            let outcome = try plan.halving(seed).run(budgetEpochs: budgetEpochs) { configuration, trialEpochs in
                try objective(configuration, epochs: trialEpochs)
            }
            prunedTrials += outcome.firstRung.count
            runs.append(SearchRun(method: "successive halving", seed: seed, trials: outcome.secondRung,
                                  epochsAfterTrial: Array(outcome.cumulativeEpochs.suffix(outcome.secondRung.count))))
        }
        // Report the original training time of each trial, also when it came from the cache.
        runs = runs.map { run in
            var copy = run
            copy.trials = run.trials.map { Trial(configuration: $0.configuration, score: $0.score,
                                                 seconds: trialSeconds[$0.configuration] ?? $0.seconds) }
            return copy
        }

        return (runs, prunedTrials)
    }

    static let tuningMethods = ["grid", "random", "bayesian", "successive halving"]

    private func tuningProgressFigure(_ session: NotebookSession, runs: [SearchRun], plan: TuningPlan) throws -> FigureReference {
        let (epochs, budgetEpochs, methods) = (plan.epochs, plan.budgetEpochs, Self.tuningMethods)
        return try session.plot("tuning-progress", caption: """
            Best validation accuracy so far against epochs of training spent (budget \(budgetEpochs)); \
            successive halving's curve starts when its first promoted configuration has been trained \
            for \(epochs) epochs. Thin lines: individual seeds; thick: their mean.
            """,
                                              width: 760, height: 380) { figure in
            let axes = figure.axes(0, 0)
            for (index, method) in methods.enumerated() {
                let methodRuns = runs.filter { $0.method == method }
                let curves = methodRuns.map { $0.trials.runningBestScores }
                let length = curves.map(\.count).min() ?? 0
                guard length > 0 else { continue }
                let x = (0..<length).map { Double(methodRuns[0].epochs(afterTrial: $0, trialEpochs: epochs)) }
                if curves.count > 1 {
                    for curve in curves {
                        axes.line(x: x, y: Array(curve.prefix(length)), color: Color.palette(index).withAlpha(0.35), width: 1)
                    }
                }
                let meanCurve = (0..<length).map { step in mean(curves.map { $0[step] }) }
                axes.line(x: x, y: meanCurve, label: method, color: .palette(index), width: 2.5, marker: .circle)
            }
            axes.xLabel = "epochs of training"
            axes.yLabel = "best validation accuracy so far"
            axes.legendLocation = .lowerRight
            axes.showGrid = true
        }

    }

    private func trialsTable(_ session: NotebookSession, sorted: [(method: String, seed: UInt64, trial: Trial)], plan: TuningPlan,
                             prunedTrials: Int) {
        let epochs = plan.epochs
        session.table(Table(caption: """
            Every trial, best first (validation accuracy after \(epochs) epoch\(epochs == 1 ? "" : "s"); \
            successive halving's \(prunedTrials) shorter first-rung trials are not listed).
            """,
                            headers: ["Method", "Seed", "Learning rate", "Hidden 1", "Hidden 2", "Batch", "Val. accuracy", "Seconds"],
                            rows: sorted.map { entry in
                                let c = entry.trial.configuration
                                return [entry.method, entry.method == "grid" ? "–" : "\(entry.seed)",
                                        String(format: "%.2e", c.real("learningRate")),
                                        "\(c.integer("hidden1"))", "\(c.integer("hidden2"))", "\(c.integer("batchSize"))",
                                        format(entry.trial.score), String(format: "%.2f", entry.trial.seconds)]
                            }))

    }

    private func parallelCoordinatesFigure(_ session: NotebookSession, trials: [Trial]) throws -> FigureReference {
        try session.plot("tuning-parallel-coordinates", caption: """
            Parallel coordinates (as Optuna draws them): each line is a trial of any method, coloured by its validation \
            accuracy (colour bar; best drawn on top). Each axis is ticked in its own units; the learning rate, searched \
            log-uniformly, on a log axis, and the layer and batch sizes, searched over powers of two, spaced by their logarithm.
            """,
                                                 width: 860, height: 420) { figure in
            func values(_ name: String) -> [Double] { trials.map { Double($0.configuration.integer(name)) } }
            figure.axes(0, 0).parallelCoordinates([
                ParallelDimension(label: "learning rate", values: trials.map { $0.configuration.real("learningRate") }, scale: .log),
                ParallelDimension(label: "hidden units (layer 1)", values: values("hidden1"), scale: .log),
                ParallelDimension(label: "hidden units (layer 2)", values: values("hidden2"), scale: .log),
                ParallelDimension(label: "batch size", values: values("batchSize"), scale: .log),
                ParallelDimension(label: "validation accuracy", values: trials.map(\.score)),
            ], colorValues: trials.map(\.score), colorLabel: "validation accuracy")
        }

    }

    /// The GP posterior along the learning-rate axis for the first Bayesian run.
    private func posteriorFigure(_ session: NotebookSession, runs: [SearchRun], seed bayesianSeed: UInt64) throws -> FigureReference? {
        let bayesianRun = runs.first { $0.method == "bayesian" && $0.seed == bayesianSeed }!
        let strategy = BayesianOptimization(space: mlpSearchSpace, seed: bayesianSeed)
        let best = bayesianRun.trials.best!
        let rates = evenlySpacedValues(from: -4, through: -2, count: 81).map { pow(10, $0) }
        var posteriorFigure: FigureReference?
        if let surrogate = strategy.surrogate(history: bayesianRun.trials) {
            let points = rates.map { mlpSearchSpace.encode(best.configuration.setting("learningRate", to: .real($0))) }
            let posterior = surrogate.posterior(at: points)
            let sameOtherSettings = bayesianRun.trials.filter { trial in
                ["hidden1", "hidden2", "batchSize"].allSatisfy { trial.configuration[$0] == best.configuration[$0] }
            }
            posteriorFigure = try session.plot("tuning-gp-posterior", caption: """
                Gaussian-process posterior of validation accuracy along the learning rate at the end of \
                the Bayesian run (seed \(bayesianSeed)), other settings fixed at the best trial's \
                (hidden \(best.configuration.integer("hidden1"))/\(best.configuration.integer("hidden2")), \
                batch \(best.configuration.integer("batchSize"))): mean ± 2 standard deviations, and the \
                trials with those settings.
                """,
                                               width: 760, height: 360) { figure in
                let axes = figure.axes(0, 0)
                axes.line(x: rates, y: posterior.mean, label: "posterior mean", color: .palette(0), width: 2)
                axes.line(x: rates, y: zip(posterior.mean, posterior.standardDeviation).map { $0 + 2 * $1 },
                          label: "± 2 sd", color: .palette(0), dash: .dashed)
                axes.line(x: rates, y: zip(posterior.mean, posterior.standardDeviation).map { $0 - 2 * $1 },
                          color: .palette(0), dash: .dashed)
                axes.scatter(x: sameOtherSettings.map { $0.configuration.real("learningRate") }, y: sameOtherSettings.map(\.score),
                             label: "trials", color: .palette(3), size: 6)
                axes.xScale = .log
                axes.xLabel = "learning rate"
                axes.yLabel = "validation accuracy"
            }
        }

        return posteriorFigure
    }

    /// The overall best configuration retrained with the full recipe from the recipe's seeds, and each method's best.
    private func retrainBest(_ session: NotebookSession, split: DatasetSplit, recipe: MLPTrainingConfig, best overallBest: Configuration,
                             runs: [SearchRun], plan: TuningPlan, baseline: [(seed: UInt64, result: MLPTrainingResult)]) throws {
        let (budgetEpochs, methods) = (plan.budgetEpochs, Self.tuningMethods)
        let tunedConfigs = baseline.map { entry -> MLPTrainingConfig in
            var config = recipe.applying(overallBest)
            config.seed = entry.seed
            return config
        }
        let tuned = try session.computeAll(Self.tunedRetraining(split: split), configs: tunedConfigs).map(\.result)
        var rows: [[String]] = []
        for method in methods {
            let methodRuns = runs.filter { $0.method == method }
            let bests = methodRuns.compactMap { $0.trials.best?.score }
            let seconds = methodRuns.map { $0.trials.reduce(0) { $0 + $1.seconds } }
            session.record("q3.tuning.\(method.replacingOccurrences(of: " ", with: "_")).best_validation_accuracy", mean(bests))
            session.record("q3.tuning.\(method.replacingOccurrences(of: " ", with: "_")).seconds", mean(seconds))
            rows.append([method, "\(methodRuns.count)", "\(methodRuns.first?.trials.count ?? 0)", format(mean(bests)),
                         format(bests.max() ?? .nan), String(format: "%.1f", mean(seconds))])
        }
        session.table(Table(caption: """
            Per method: best validation accuracy (mean over seeds and best seed) and total training time of its \
            full-length trials (budget \(budgetEpochs) epochs each; a grid uses the largest balanced grid that fits).
            """,
                            headers: ["Method", "Seeds", "Trials", "Best val. acc. (mean)", "Best val. acc. (max)", "Tuning time (s)"],
                            rows: rows))
        try tunedComparison(session, split: split, recipe: recipe, best: overallBest, tuned: tuned, baseline: baseline.map(\.result))
    }

    /// Each hyperparameter's share of the score's variance over the distinct configurations.
    private func importanceSection(_ session: NotebookSession, allTrials: [Trial]) {
        // Each configuration once: successive halving and the searches repeat some configurations
        // (cached trials), which would otherwise count twice; a repeated one scores its mean.
        let fullLength = Dictionary(grouping: allTrials, by: \.configuration).map { configuration, trials in
            Trial(configuration: configuration, score: mean(trials.map(\.score)), seconds: mean(trials.map(\.seconds)))
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.configuration.description < $1.configuration.description }
        // Ties broken by the configuration: a Dictionary's order changes from process to process,
        // and the sums below would then change in their last bits.
        let importance = HyperparameterImportance.correlationRatios(trials: fullLength, space: mlpSearchSpace)
        for entry in importance { session.record("q3.tuning.importance.\(entry.name)", entry.share) }
        session.table(Table(caption: """
            Share of the variance of validation accuracy over the \(fullLength.count) distinct configurations of all \
            full-length trials (each counted once, with the mean score of its repeats) that each hyperparameter explains on \
            its own (correlation ratio η²: configurations grouped by the parameter's level, the learning rate in three \
            log-equal bins). Shares need not add to 1: parameters interact, and the methods do not sample the space evenly.
            """,
                            headers: ["Hyperparameter", "Share of variance (η²)"],
                            rows: importance.sorted { ($0.share.isFinite ? $0.share : -1) > ($1.share.isFinite ? $1.share : -1) }
                                .map { [Self.readerName($0.name), format($0.share, digits: 3)] }))
        if let top = importance.max(by: { ($0.share.isFinite ? $0.share : -1) < ($1.share.isFinite ? $1.share : -1) }) {
            session.prose("""
                Over the range searched, the **\(Self.readerName(top.name))** matters most: on its own it \
                explains \(percent(top.share)) of the variance of validation accuracy across configurations.
                """)
        }
    }
}

/// The tuning's budget: trials per method, epochs per trial, the seeds of the seeded methods.
struct TuningPlan {
    var budget: Int
    var epochs: Int
    var seeds: [UInt64]
    /// The recipe at the trials' epochs.
    var base: MLPTrainingConfig
    var budgetEpochs: Int { budget * epochs }

    init(profile: Profile, seed: UInt64, recipe: MLPTrainingConfig) {
        budget = profile.pick(quick: 4, default: 20, full: 30)
        epochs = profile.pick(quick: 1, default: 3, full: 5)
        seeds = profile.pick(quick: [1], default: [1, 2], full: [1, 2, 3]).map { $0 &+ seed }
        base = recipe
        base.epochs = epochs
    }

    func halving(_ seed: UInt64) -> SuccessiveHalving {
        SuccessiveHalving(space: mlpSearchSpace, seed: seed, lowEpochs: max(1, epochs / 3), highEpochs: epochs)
    }

    var firstRung: Int { halving(0).firstRungSize(budgetEpochs: budgetEpochs) }
}

extension Question3 {
    /// A search-space parameter as a reader reads it.
    static func readerName(_ parameter: String) -> String {
        switch parameter {
        case "learningRate": return "learning rate"
        case "hidden1": return "first hidden layer's width"
        case "hidden2": return "second hidden layer's width"
        case "batchSize": return "batch size"
        default: return parameter
        }
    }
}

/// The configurations a tuner that ignores scores (grid, random search) proposes in `budget`
/// trials: its suggestions depend only on the configurations tried before.
func plannedConfigurations(_ strategy: some Tuner, budget: Int) -> [Configuration] {
    var history: [Trial] = []
    while history.count < budget, let configuration = strategy.suggest(history: history) {
        history.append(Trial(configuration: configuration, score: 0, seconds: 0))
    }
    return history.map(\.configuration)
}
