import Analysis
import TestSupport
import XCTest

/// Known answers for the calibration error, Brier score, log loss and balanced accuracy.
final class CalibrationMetricsTests: XCTestCase {
    /// Two items in the 0.9 bin, one of them class 1: |0.9 − 0.5| = 0.4.
    func testCalibrationErrorOfOneOverconfidentBin() {
        assertClose(expectedCalibrationError(probabilities: [0.9, 0.9], labels: [1, 0], binCount: 15), 0.4)
    }

    /// Predictions of ¼ of which one in four is class 1 are perfectly calibrated.
    func testCalibrationErrorIsZeroWhenFrequenciesMatch() {
        assertClose(expectedCalibrationError(probabilities: [0.25, 0.25, 0.25, 0.25], labels: [1, 0, 0, 0]), 0, atol: 1e-15)
    }

    /// Two bins, weighted by their counts: 3/4 · |0.1 − 0| + 1/4 · |0.8 − 1| = 0.075 + 0.05.
    func testCalibrationErrorWeightsBinsByCount() {
        let ece = expectedCalibrationError(probabilities: [0.1, 0.1, 0.1, 0.8], labels: [0, 0, 0, 1], binCount: 10)
        assertClose(ece, 0.125, rtol: 1e-12)
    }

    /// Equal-width bins: k/B lands in bin k, p = 1 in the last bin, and empty bins carry NaN.
    func testReliabilityBinsAreEqualWidthWithOneInTheLastBin() {
        let diagram = ReliabilityDiagram(probabilities: [0, 0.2, 0.25, 0.5, 0.99, 1], labels: [0, 0, 1, 1, 1, 1], binCount: 4)
        XCTAssertEqual(diagram.bins.map(\.count), [2, 1, 1, 2])
        XCTAssertEqual(diagram.bins.map(\.lower), [0, 0.25, 0.5, 0.75])
        assertClose(diagram.bins[3].meanPrediction, 0.995)
        assertClose(diagram.bins[0].observedFrequency, 0)
        XCTAssertEqual(diagram.itemCount, 6)
        XCTAssertTrue(ReliabilityDiagram(probabilities: [0.1], labels: [0], binCount: 3).bins[2].meanPrediction.isNaN)
    }

    func testBrierScoreKnownAnswers() {
        assertClose(brierScore(probabilities: [0.5, 0.5], labels: [0, 1]), 0.25)
        // (0.1² + 0.2² + 0.7²) / 3 = 0.54 / 3.
        assertClose(brierScore(probabilities: [0.9, 0.2, 0.7], labels: [1, 0, 0]), 0.18, rtol: 1e-12)
        assertClose(brierScore(probabilities: [1, 0], labels: [1, 0]), 0)
    }

    func testLogLossKnownAnswers() {
        assertClose(logLoss(probabilities: [0.5, 0.5], labels: [0, 1]), log(2), rtol: 1e-12)
        // −(log 0.8 + log 0.75) / 2.
        assertClose(logLoss(probabilities: [0.8, 0.25], labels: [1, 0]), -(log(0.8) + log(0.75)) / 2, rtol: 1e-12)
        // A confidently wrong 0 is clipped to 10⁻¹⁵: finite, −log(10⁻¹⁵).
        assertClose(logLoss(probabilities: [0], labels: [1]), -log(1e-15), rtol: 1e-9)
    }

    func testBinaryConfusionRecallsAndBalancedAccuracy() {
        // Class 1: 2 of 4 found; class 0: 5 of 6 kept.
        let confusion = BinaryConfusion(probabilities: [0.9, 0.6, 0.4, 0.1, 0.2, 0.3, 0.1, 0.0, 0.45, 0.7],
                                        labels: [1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(confusion, BinaryConfusion(truePositives: 2, falseNegatives: 2, trueNegatives: 5, falsePositives: 1))
        assertClose(confusion.recall(ofClass: 1), 0.5)
        assertClose(confusion.recall(ofClass: 0), 5.0 / 6)
        assertClose(confusion.balancedAccuracy, (0.5 + 5.0 / 6) / 2)
        assertClose(confusion.accuracy, 0.7)
        // Always answering the majority class: balanced accuracy ½ whatever the shares.
        let majority = BinaryConfusion(probabilities: [Double](repeating: 0.1, count: 50), labels: (0..<50).map { $0 < 2 ? 1 : 0 })
        assertClose(majority.balancedAccuracy, 0.5)
        XCTAssertTrue(BinaryConfusion(probabilities: [0.2], labels: [0]).recall(ofClass: 1).isNaN)
    }
}

final class PairedMetricBootstrapTests: XCTestCase {
    /// Identical predictions differ by exactly 0 in every replicate.
    func testIdenticalClassifiersGiveAZeroInterval() {
        var generator = SeededGenerator(seed: 3)
        let labels = (0..<60).map { Double($0 % 2) }
        let runs = (0..<3).map { _ in labels.map { _ in generator.nextUniform() } }
        let paired = PairedMetricBootstrap(first: runs, second: runs, labels: labels, replicates: 200, seed: 1) {
            brierScore(probabilities: $0, labels: $1)
        }
        XCTAssertEqual(paired.difference, 0)
        XCTAssertEqual(paired.lower, 0)
        XCTAssertEqual(paired.upper, 0)
        XCTAssertFalse(paired.excludesZero)
    }

    /// A perfect classifier against one that always says ½: Brier 0 against ¼ on every resample.
    func testAConstantGapIsMeasuredExactly() {
        let labels = (0..<40).map { Double($0 % 3 == 0 ? 1 : 0) }
        let perfect = [labels, labels], vague = [[Double]](repeating: [Double](repeating: 0.5, count: 40), count: 2)
        let paired = PairedMetricBootstrap(first: vague, second: perfect, labels: labels, replicates: 300, seed: 9) {
            brierScore(probabilities: $0, labels: $1)
        }
        assertClose(paired.difference, -0.25)
        assertClose(paired.lower, -0.25)
        assertClose(paired.upper, -0.25)
        XCTAssertTrue(paired.excludesZero)
    }

    /// A real but noisy gap: the interval contains the measured difference, is reproducible for a
    /// seed, and widens when there are fewer items.
    func testIntervalBracketsTheDifferenceAndShrinksWithMoreItems() {
        func interval(items: Int) -> PairedMetricBootstrap {
            var generator = SeededGenerator(seed: 11)
            let labels = (0..<items).map { _ in generator.nextUniform() < 0.5 ? 1.0 : 0.0 }
            let sharp = (0..<2).map { _ in
                labels.map { $0 == 1 ? 0.7 + 0.2 * generator.nextUniform() : 0.1 + 0.2 * generator.nextUniform() }
            }
            let blunt = (0..<2).map { _ in labels.map { _ in 0.3 + 0.4 * generator.nextUniform() } }
            return PairedMetricBootstrap(first: blunt, second: sharp, labels: labels, replicates: 500, seed: 5) {
                expectedCalibrationError(probabilities: $0, labels: $1, binCount: 10)
            }
        }
        let small = interval(items: 40), large = interval(items: 400)
        XCTAssertLessThanOrEqual(small.lower, small.difference)
        XCTAssertGreaterThanOrEqual(small.upper, small.difference)
        XCTAssertLessThan(large.upper - large.lower, small.upper - small.lower)
        XCTAssertEqual(interval(items: 40), small)
    }
}
