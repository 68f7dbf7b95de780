import Foundation
import Tensor

/// A percentile-bootstrap confidence interval for the difference in accuracy of two
/// classifiers measured on the same test items over several runs each (Efron & Tibshirani,
/// "An Introduction to the Bootstrap", 1993, ch. 13).
///
/// Both sources of variation are resampled in each replicate: the runs (seed pairs, drawn with
/// replacement) and the test items (drawn with replacement, the same items for both
/// classifiers, so the pairing is kept). The statistic is the mean over the drawn runs of
/// `accuracy(second) − accuracy(first)` on the drawn items.
public struct PairedBootstrap: Codable, Equatable, Sendable {
    /// `second − first` on the data as measured (mean over runs).
    public var difference: Double
    public var lower: Double
    public var upper: Double
    public var confidence: Double
    public var replicates: Int

    /// - Parameters:
    ///   - firstCorrect, secondCorrect: per run (pair k against pair k), whether each item was
    ///     classified correctly.
    ///   - replicates: Bootstrap replicates; the interval's Monte Carlo error shrinks as
    ///     `1/sqrt(replicates)`.
    ///   - seed: Seeds the resampling, so the interval is reproducible.
    public init(firstCorrect: [[Bool]], secondCorrect: [[Bool]], confidence: Double = 0.95, replicates: Int = 2000, seed: UInt64) {
        precondition(!firstCorrect.isEmpty && firstCorrect.count == secondCorrect.count, "PairedBootstrap: runs must pair up")
        let items = firstCorrect[0].count
        precondition(items > 0 && (firstCorrect + secondCorrect).allSatisfy { $0.count == items }, "PairedBootstrap: runs must cover the same items")
        precondition(confidence > 0 && confidence < 1 && replicates > 1, "PairedBootstrap: confidence in (0, 1), at least 2 replicates")
        // Per run and item: +1 where only the second is right, −1 where only the first is.
        let gains: [[Int8]] = zip(firstCorrect, secondCorrect).map { first, second in
            zip(first, second).map { Int8(($1 ? 1 : 0) - ($0 ? 1 : 0)) }
        }
        let runs = gains.count
        difference = Double(gains.reduce(0) { $0 + $1.reduce(0) { $0 + Int($1) } }) / Double(runs * items)
        (lower, upper) = Self.percentileInterval(runs: runs, items: items, confidence: confidence, replicates: replicates,
                                                 seed: seed) { drawnRuns, itemDraws in
            var total = 0
            for run in drawnRuns {
                gains[run].withUnsafeBufferPointer { gain in
                    for item in itemDraws { total += Int(gain[item]) }
                }
            }
            return Double(total) / Double(runs * items)
        }
        self.confidence = confidence
        self.replicates = replicates
    }

    /// The resampling both paired bootstraps share: each replicate draws `runs` run indices,
    /// then `items` item indices (with replacement, from one seeded generator, in that order),
    /// and `statistic` turns the draw into a value; returns the percentile interval.
    static func percentileInterval(runs: Int, items: Int, confidence: Double, replicates: Int, seed: UInt64,
                                   statistic: (_ runs: [Int], _ items: [Int]) -> Double) -> (lower: Double, upper: Double) {
        var generator = SeededGenerator(seed: seed)
        var statistics: [Double] = []
        statistics.reserveCapacity(replicates)
        var itemDraws = [Int](repeating: 0, count: items)
        for _ in 0..<replicates {
            let drawnRuns = (0..<runs).map { _ in generator.nextIndex(below: runs) }
            for i in 0..<items { itemDraws[i] = generator.nextIndex(below: items) }
            statistics.append(statistic(drawnRuns, itemDraws))
        }
        statistics.sort()
        let tail = (1 - confidence) / 2
        return (quantile(statistics, tail), quantile(statistics, 1 - tail))
    }

    /// Linear interpolation between order statistics (type 7, numpy's default).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
        return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
    }
}
