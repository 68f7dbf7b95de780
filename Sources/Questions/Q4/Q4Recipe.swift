import Datasets
import Experiments
import Foundation
import NN
import Notebook

/// How Question 4 trains its networks, per profile: one recipe for all three (Adam with a
/// one-cycle schedule, batch 64, no augmentation), an epoch budget per network, the seeds, and
/// which budgets are checked by doubling them.
///
/// The budgets follow the convergence rule the report states: a budget is enough when twice
/// the budget moves the mean validation accuracy by less than 0.1 percentage points.
struct Q4Recipe {
    var profile: Profile
    var split: DatasetSplit
    var seed: UInt64

    /// Mini-batch of every network's training run.
    static let batchSize = 64
    /// Adam's peak learning rate of the one-cycle schedule, for all three networks.
    static let peakLearningRate = 3e-3
    /// The share of the steps spent warming up (PyTorch's `pct_start`).
    static let warmupFraction = 0.25
    /// The stated convergence rule: doubling the budget moves mean validation accuracy by less.
    static let convergenceTolerance = 0.001

    /// Seeds per network: 3 by default, 5 in `full`.
    var seedCount: Int { profile.pick(quick: 2, default: 3, full: 5) }

    var seeds: [UInt64] { (0..<seedCount).map { seed &+ UInt64($0) } }

    /// Epochs each network trains for (the one-cycle schedule spans them).
    static func epochBudget(_ architecture: ConvolutionalArchitecture, profile: Profile) -> Int {
        switch architecture {
        // LeNet-5 at 8 epochs missed the rule (16 epochs: +0.14 ± 0.02 validation points, 3 seeds).
        case .leNet5: return profile.pick(quick: 2, default: 16, full: 16)
        case .resNet18: return profile.pick(quick: 1, default: 3, full: 3)
        case .resNet50: return profile.pick(quick: 1, default: 4, full: 4)
        }
    }

    /// A run's relative cost, for ordering a batch: epochs times the architecture's rank in
    /// cost (LeNet-5 < ResNet-18 < ResNet-50, `allCases` order) dominating. Only the order of
    /// the runs depends on it, never a result.
    static func cost(_ config: ConvolutionalTrainingConfig) -> Int {
        let rank = ConvolutionalArchitecture.allCases.firstIndex(of: config.architecture) ?? 0
        return rank * 1_000_000 + config.epochs
    }

    /// The ResNets start each block's residual branch at zero (see `ResNet`); LeNet-5 has none.
    static func zeroInitialResidual(_ architecture: ConvolutionalArchitecture) -> Bool {
        architecture != .leNet5
    }

    /// Whether this run also trains `architecture` at twice its budget, as evidence for the
    /// budget: always for LeNet-5 (seconds per epoch), the ResNets only in `full` (a doubled
    /// ResNet-50 budget costs over an hour on 2 cores).
    func checksDoubledBudget(_ architecture: ConvolutionalArchitecture) -> Bool {
        architecture == .leNet5 || profile == .full
    }

    /// One config per seed; `budgetFactor` multiplies the epoch budget.
    func configs(_ architecture: ConvolutionalArchitecture, budgetFactor: Int = 1) -> [ConvolutionalTrainingConfig] {
        let isResNet = architecture != .leNet5
        return seeds.map { seed in
            var config = ConvolutionalTrainingConfig(
                architecture: architecture, dataset: split.name, datasetHash: split.contentHash,
                epochs: Self.epochBudget(architecture, profile: profile) * budgetFactor, validationFraction: 0.1,
                batchSize: Self.batchSize, peakLearningRate: Self.peakLearningRate, warmupFraction: Self.warmupFraction,
                zeroInitialResidual: Self.zeroInitialResidual(architecture),
                trainingLimit: isResNet ? profile.pick(quick: 40, default: nil, full: nil)
                                        : profile.pick(quick: 300, default: nil, full: nil),
                testLimit: profile.pick(quick: 100, default: nil, full: nil),  // one test set for all: the paired test needs it
                seed: seed)
            if architecture == .leNet5 && seed == seeds[0] && budgetFactor == 1 {
                // The trajectory plot's snapshots (LeNet-5 trains in seconds per epoch).
                config.trajectoryInterval = profile.pick(quick: 2, default: 200, full: 200)
            }
            return config
        }
    }
}

extension Q4Recipe {
    /// The convergence rule applied to a budget (`before`) and twice the budget (`after`), both
    /// validation accuracies over seeds, in words for a table: the change of the mean in
    /// points and whether it is below the tolerance; a change above it but inside two standard
    /// errors of the difference of the means is said to be at the rule's resolution.
    static func budgetRule(before: SeedSpread, after: SeedSpread) -> (change: String, met: String) {
        let change = after.mean - before.mean
        let standardError = (pow(before.standardDeviation, 2) / Double(max(before.count, 1))
                             + pow(after.standardDeviation, 2) / Double(max(after.count, 1))).squareRoot()
        let text = String(format: "%+.2f ± %.2f", 100 * change, 100 * standardError)
        if abs(change) < convergenceTolerance { return (text, "yes") }
        if abs(change) < 2 * standardError { return (text, "no, but within 2 standard errors") }
        return (text, change > 0 ? "no: longer training helps" : "no: longer training hurts")
    }
}
