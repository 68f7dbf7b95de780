import Analysis
import Experiments
import Foundation

/// Two networks compared on the same test images, seed k of one against seed k of the other:
/// McNemar's exact test on the pooled discordant images and a paired-bootstrap interval of the
/// accuracy difference (`second − first`).
struct PairedComparison: Codable {
    var first: ConvolutionalArchitecture
    var second: ConvolutionalArchitecture
    var mcNemar: McNemarTest
    /// One test per seed pair, for the table.
    var perSeedPair: [McNemarTest]
    var bootstrap: PairedBootstrap
    /// The p-value after Holm's adjustment over the comparisons the verdict rests on; nil for
    /// a comparison outside that family.
    var adjustedPValue: Double?

    init(first: NetworkResults, second: NetworkResults, labels: [Int32], seed: UInt64) {
        let firstCorrect = first.results.map { Self.correctness($0.testPredictions, labels: labels) }
        let secondCorrect = second.results.map { Self.correctness($0.testPredictions, labels: labels) }
        let pairs = min(firstCorrect.count, secondCorrect.count)
        self.first = first.architecture
        self.second = second.architecture
        mcNemar = McNemarTest(firstCorrect: Array(firstCorrect.prefix(pairs)), secondCorrect: Array(secondCorrect.prefix(pairs)))
        perSeedPair = (0..<pairs).map { McNemarTest(firstCorrect: [firstCorrect[$0]], secondCorrect: [secondCorrect[$0]]) }
        bootstrap = PairedBootstrap(firstCorrect: Array(firstCorrect.prefix(pairs)), secondCorrect: Array(secondCorrect.prefix(pairs)),
                                    replicates: 2000, seed: seed)
    }

    /// Whether each of the first `labels.count` predictions is right; every run must have
    /// predicted at least that many test images (checked by the caller: release builds drop
    /// preconditions).
    static func correctness(_ predictions: [Int32], labels: [Int32]) -> [Bool] {
        zip(predictions.prefix(labels.count), labels).map { $0 == $1 }
    }

    /// Whether `second` is significantly more accurate than `first` (or less, for a negative
    /// `direction`) at level `alpha`, by the adjusted p-value.
    func isSignificant(direction: Double, alpha: Double) -> Bool {
        guard let adjusted = adjustedPValue else { return false }
        return adjusted < alpha && bootstrap.difference * direction > 0
    }

    /// Whether the whole interval lies inside ±`margin`.
    func isEquivalent(margin: Double) -> Bool {
        bootstrap.lower > -margin && bootstrap.upper < margin
    }

    /// "ResNet-18 − LeNet-5: +0.0012 [−0.0003, +0.0027]; only ResNet-18 right on 61 images, only
    /// LeNet-5 on 49 (3 seed pairs), McNemar p = 0.29 (Holm 0.57)".
    var summary: String {
        let interval = String(format: "%+.4f [%+.4f, %+.4f]", bootstrap.difference, bootstrap.lower, bootstrap.upper)
        let p = adjustedPValue.map { ", Holm-adjusted \(formatP($0))" } ?? ""
        return "\(second.displayName) − \(first.displayName): \(interval) (\(Int((bootstrap.confidence * 100).rounded()))% interval); "
            + "only \(second.displayName) right on \(mcNemar.onlySecondCorrect) test images, only \(first.displayName) on "
            + "\(mcNemar.onlyFirstCorrect) (\(perSeedPair.count) seed pairs pooled), McNemar exact p = \(formatP(mcNemar.pValue))\(p)"
    }
}
