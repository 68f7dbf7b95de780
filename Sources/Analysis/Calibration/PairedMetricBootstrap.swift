import Foundation

/// A percentile-bootstrap confidence interval for the difference in any per-run metric of two
/// classifiers' probabilistic predictions on the same labelled items over several paired runs
/// (the metric-valued sibling of ``PairedBootstrap``, which compares accuracies).
///
/// Each replicate draws the runs (pairs k, with replacement) and the items (with replacement, the
/// same items for both classifiers and every drawn run, so the pairing is kept) and computes
/// ```
/// mean over drawn runs k of  metric(second[k] on the drawn items) − metric(first[k] on the drawn items)
/// ```
/// Metrics that are not averages over items (expected calibration error, balanced accuracy) are
/// recomputed on each resample, which is what a bootstrap of such a statistic needs.
public struct PairedMetricBootstrap: Codable, Equatable, Sendable {
    /// `second − first` on the data as measured (mean over runs).
    public var difference: Double
    public var lower: Double
    public var upper: Double
    public var confidence: Double
    public var replicates: Int

    /// - Parameters:
    ///   - first, second: per run (pair k against pair k), the predicted probability of class 1 for each item.
    ///   - labels: the items' labels in {0, 1}.
    ///   - metric: `(probabilities, labels) -> value`, e.g. ``expectedCalibrationError(probabilities:labels:binCount:)``.
    ///   - seed: seeds the resampling, so the interval is reproducible.
    public init(first: [[Double]], second: [[Double]], labels: [Double], confidence: Double = 0.95, replicates: Int = 2000,
                seed: UInt64, metric: ([Double], [Double]) -> Double) {
        precondition(!first.isEmpty && first.count == second.count, "PairedMetricBootstrap: runs must pair up")
        precondition(!labels.isEmpty && (first + second).allSatisfy { $0.count == labels.count },
                     "PairedMetricBootstrap: every run must predict every item")
        precondition(confidence > 0 && confidence < 1 && replicates > 1,
                     "PairedMetricBootstrap: confidence in (0, 1), at least 2 replicates")
        let runs = first.count, items = labels.count
        func difference(runs drawn: [Int], items indices: [Int]?) -> Double {
            let y = indices.map { $0.map { labels[$0] } } ?? labels
            return drawn.reduce(0) { sum, run in
                let a = indices.map { $0.map { first[run][$0] } } ?? first[run]
                let b = indices.map { $0.map { second[run][$0] } } ?? second[run]
                return sum + metric(b, y) - metric(a, y)
            } / Double(drawn.count)
        }
        self.difference = difference(runs: Array(0..<runs), items: nil)
        (lower, upper) = PairedBootstrap.percentileInterval(runs: runs, items: items, confidence: confidence,
                                                            replicates: replicates, seed: seed) { drawnRuns, drawnItems in
            difference(runs: drawnRuns, items: drawnItems)
        }
        self.confidence = confidence
        self.replicates = replicates
    }

    /// Whether the interval excludes zero: the difference is outside the resampling noise.
    public var excludesZero: Bool { lower > 0 || upper < 0 }
}
