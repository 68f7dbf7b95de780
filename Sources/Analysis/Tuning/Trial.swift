import Foundation
import Tensor

/// One evaluated configuration: what was run, the score it reached (higher is better, e.g.
/// validation accuracy) and how long the evaluation took.
public struct Trial: Codable, Hashable, Sendable {
    public var configuration: Configuration
    /// The objective, to be maximised. Non-finite scores (a diverged run) are allowed; tuners
    /// treat them as the worst score seen.
    public var score: Double
    /// Wall-clock seconds the objective took.
    public var seconds: Double

    public init(configuration: Configuration, score: Double, seconds: Double) {
        self.configuration = configuration
        self.score = score
        self.seconds = seconds
    }
}

extension Trial {
    /// Evaluates `score` for `configuration` and records it with the wall-clock seconds it took.
    static func measuring(_ configuration: Configuration, _ score: () throws -> Double) rethrows -> Trial {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try score()
        return Trial(configuration: configuration, score: value, seconds: start.duration(to: clock.now).seconds)
    }
}

extension Array where Element == Trial {
    /// The trial with the highest finite score (the first one on ties).
    public var best: Trial? {
        filter { $0.score.isFinite }.reduce(nil) { best, trial in
            best.map { trial.score > $0.score ? trial : $0 } ?? trial
        }
    }

    /// Best finite score after each trial (−∞ until the first finite one): the usual
    /// "best so far versus evaluations" curve for comparing strategies on one budget.
    public var runningBestScores: [Double] {
        var best = -Double.infinity
        return map { trial in
            if trial.score.isFinite { best = Swift.max(best, trial.score) }
            return best
        }
    }
}
