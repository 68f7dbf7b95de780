import Foundation

/// Random search: each suggestion an independent draw from the search prior (log-uniform
/// learning rate, uniform over levels and choices).
///
/// Bergstra & Bengio, "Random Search for Hyper-Parameter Optimization", JMLR 13 (2012): with few
/// important dimensions, random points try more distinct values of each than a grid of equal size.
///
/// The k-th suggestion depends only on the seed and k, so a search is reproducible from its seed
/// and resumes exactly. In a discrete space a draw equal to an earlier trial is redrawn (up to
/// a limit), so the budget is not spent twice on one point.
public struct RandomSearch: Tuner {
    public let space: SearchSpace
    public let seed: UInt64

    public init(space: SearchSpace, seed: UInt64) {
        self.space = space
        self.seed = seed
    }

    public func suggest(history: [Trial]) -> Configuration? {
        var generator = suggestionGenerator(seed: seed, count: history.count)
        let seen = Set(history.map(\.configuration))
        var candidate = space.randomConfiguration(using: &generator)
        for _ in 0..<100 where seen.contains(candidate) {
            candidate = space.randomConfiguration(using: &generator)
        }
        return candidate
    }
}
