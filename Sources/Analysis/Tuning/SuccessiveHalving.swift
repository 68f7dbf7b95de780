import Foundation

/// Successive halving (Jamieson & Talwalkar, "Non-stochastic Best Arm Identification and
/// Hyperparameter Optimization", AISTATS 2016; the inner loop of Hyperband, Li et al., JMLR
/// 2018): try many configurations cheaply, keep the best `1/reduction` of them, and give only
/// those the full training budget. The pruning Optuna's and Ray Tune's users rely on.
///
/// One bracket of two rungs, sized to a compute budget counted in epochs:
///
/// ```
/// rung 0:  n configurations × lowEpochs          rung 1:  ⌈n / η⌉ best of them × highEpochs
/// cost  =  n · lowEpochs + ⌈n / η⌉ · highEpochs  ≤  budgetEpochs      (n as large as fits)
/// ```
/// Promoted configurations train again from scratch for `highEpochs`, so their rung-1 scores are
/// measured exactly like every other method's trials and can be compared with them.
public struct SuccessiveHalving {
    public let space: SearchSpace
    public let seed: UInt64
    public let lowEpochs: Int
    public let highEpochs: Int
    /// η: one in `reduction` configurations is promoted.
    public let reduction: Int

    public init(space: SearchSpace, seed: UInt64, lowEpochs: Int, highEpochs: Int, reduction: Int = 3) {
        precondition(lowEpochs > 0 && highEpochs >= lowEpochs, "SuccessiveHalving: need 0 < lowEpochs ≤ highEpochs")
        precondition(reduction >= 2, "SuccessiveHalving: reduction must be at least 2")
        self.space = space
        self.seed = seed
        self.lowEpochs = lowEpochs
        self.highEpochs = highEpochs
        self.reduction = reduction
    }

    /// The largest first rung whose bracket fits in `budgetEpochs` (at least 1).
    public func firstRungSize(budgetEpochs: Int) -> Int {
        var size = 1
        while cost(firstRung: size + 1) <= budgetEpochs { size += 1 }
        return size
    }

    /// Epochs of compute of a bracket whose first rung has `firstRung` configurations.
    public func cost(firstRung: Int) -> Int {
        firstRung * lowEpochs + promotedCount(firstRung) * highEpochs
    }

    func promotedCount(_ firstRung: Int) -> Int { (firstRung + reduction - 1) / reduction }

    /// What one bracket did: both rungs' trials in evaluation order and the epochs each cost.
    public struct Outcome {
        /// Rung 0: every configuration at `lowEpochs`.
        public var firstRung: [Trial]
        /// Rung 1: the promoted configurations at `highEpochs`, best of rung 0 first.
        public var secondRung: [Trial]
        /// Epochs spent after each trial of `firstRung + secondRung`, in that order.
        public var cumulativeEpochs: [Int]
    }

    /// Runs one bracket; `objective(configuration, epochs)` trains for `epochs` and returns the
    /// score to maximise. Configurations are random search's first draws from `seed`.
    public func run(budgetEpochs: Int, objective: (Configuration, Int) throws -> Double) rethrows -> Outcome {
        let size = firstRungSize(budgetEpochs: budgetEpochs)
        let sampler = RandomSearch(space: space, seed: seed)
        var firstRung: [Trial] = []
        var cumulative: [Int] = []
        func timed(_ configuration: Configuration, _ epochs: Int) throws -> Trial {
            defer { cumulative.append((cumulative.last ?? 0) + epochs) }
            return try Trial.measuring(configuration) { try objective(configuration, epochs) }
        }
        for _ in 0..<size {
            guard let configuration = sampler.suggest(history: firstRung) else { break }
            firstRung.append(try timed(configuration, lowEpochs))
        }
        // Best first; a non-finite score (a diverged run) ranks last; ties keep sampling order.
        let ranked = firstRung.enumerated().sorted { lhs, rhs in
            let l = lhs.element.score.isFinite ? lhs.element.score : -.infinity
            let r = rhs.element.score.isFinite ? rhs.element.score : -.infinity
            return l != r ? l > r : lhs.offset < rhs.offset
        }.map(\.element)
        var secondRung: [Trial] = []
        for trial in ranked.prefix(promotedCount(firstRung.count)) {
            secondRung.append(try timed(trial.configuration, highEpochs))
        }
        return Outcome(firstRung: firstRung, secondRung: secondRung, cumulativeEpochs: cumulative)
    }
}
