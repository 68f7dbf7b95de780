import Foundation

/// A search strategy with an ask/tell interface.
///
/// A tuner keeps no state between calls: the next suggestion is a function of the trials so far
/// (and the tuner's seed). So a search interrupted after k trials resumes from the k cached trials
/// with exactly the suggestions it would have made, and rerunning a finished search whose
/// objective is a cached cell replays it without training anything.
public protocol Tuner {
    /// The space the suggestions come from.
    var space: SearchSpace { get }

    /// The configuration to evaluate next given every trial so far, or nil when the strategy has
    /// nothing left to propose (a finished grid).
    func suggest(history: [Trial]) -> Configuration?
}

/// Runs `strategy` until `budget` trials exist (counting those in `history`) or the strategy is
/// exhausted, evaluating each suggestion with `objective`, which is **maximised**.
///
/// ```swift
/// let trials = try runSearch(strategy: RandomSearch(space: space, seed: 1), budget: 20) { configuration in
///     try validationAccuracy(trainingMLPWith: configuration)
/// }
/// ```
///
/// - Parameters:
///   - strategy: grid, random or Bayesian optimisation; see ``Tuner``.
///   - budget: total number of trials, including those in `history`.
///   - history: trials already evaluated (from a cache), to resume an interrupted search.
///   - objective: the score of a configuration; higher is better.
/// - Returns: `history` followed by the new trials, in evaluation order.
public func runSearch(strategy: some Tuner, budget: Int, history: [Trial] = [],
                      objective: (Configuration) throws -> Double) rethrows -> [Trial] {
    precondition(budget >= 0, "budget must be non-negative")
    var trials = history
    while trials.count < budget, let configuration = strategy.suggest(history: trials) {
        trials.append(try Trial.measuring(configuration) { try objective(configuration) })
    }
    return trials
}

/// A generator for the suggestion after `count` trials: a fixed function of the seed and the
/// count, which is what lets a stateless tuner resume exactly. `stream` separates independent uses
/// of one seed (SplitMix64 scrambles nearby seeds into unrelated sequences).
func suggestionGenerator(seed: UInt64, count: Int, stream: UInt64 = 0) -> SeededGenerator {
    SeededGenerator(seed: seed ^ (UInt64(count) &* 0xD1B5_4A32_D192_ED03) ^ (stream &* 0x8CB9_2BA7_2F3D_8DD7))
}
