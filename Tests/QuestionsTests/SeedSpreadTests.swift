import Analysis
import Datasets
import Experiments
import NN
import Notebook
@testable import Questions
import XCTest

final class SeedSpreadTests: XCTestCase {
    func testMeanSampleDeviationAndRange() {
        let spread = SeedSpread(values: [0.97, 0.98, 0.99])
        XCTAssertEqual(spread.mean, 0.98, accuracy: 1e-12)
        XCTAssertEqual(spread.standardDeviation, 0.01, accuracy: 1e-12)   // n − 1 in the denominator
        XCTAssertEqual(spread.formatted(), "0.9800 ± 0.0100 (3 seeds, 0.9700–0.9900)")
        XCTAssertEqual(SeedSpread(values: [0.5]).standardDeviation, 0)
        XCTAssertEqual(SeedSpread(values: [0.5]).formatted(), "0.5000 (1 seed)")
    }

    func testAccuracyStandardError() {
        XCTAssertEqual(accuracyStandardError(0.99, testCount: 10_000), 0.000995, accuracy: 1e-6)
        XCTAssertTrue(accuracyStandardError(0.5, testCount: 0).isNaN)
    }
}

final class Q4VerdictTests: XCTestCase {
    static let labels = [Int32](repeating: 0, count: 10_000)

    /// A result whose predictions are wrong (class 1) exactly on the images in `wrong`.
    func result(wrong: Set<Int>, multiplyAccumulates: Int) -> ConvolutionalTrainingResult {
        var history = TrainingHistory()
        history.loss = [0.1]; history.accuracy = [0.99]; history.seconds = [1]
        history.validationLoss = [0.05]; history.validationAccuracy = [0.99]
        let predictions = Self.labels.indices.map { wrong.contains($0) ? Int32(1) : 0 }
        return ConvolutionalTrainingResult(parameterCount: 1000, multiplyAccumulates: multiplyAccumulates, trainCount: 54_000,
                                           validationCount: 6_000, testCount: Self.labels.count, history: history, schedule: "one-cycle",
                                           bestEpoch: 1, log: [], testLoss: 0.05,
                                           testAccuracy: 1 - Double(wrong.count) / Double(Self.labels.count), confusion: [],
                                           misclassified: [], testPredictions: predictions,
                                           trueClassProbabilities: predictions.map { $0 == 0 ? 0.9 : 0.1 },
                                           trainingSeconds: 1, imagesPerSecond: 1, threads: 2)
    }

    /// Each network's three seeds err on `wrong` (the same images for every seed).
    func verdict(leNet: Set<Int>, resNet18: Set<Int>, resNet50: Set<Int>) -> (Verdict, [PairedComparison]) {
        let networks = [(ConvolutionalArchitecture.leNet5, leNet, 1), (.resNet18, resNet18, 80), (.resNet50, resNet50, 190)].map { architecture, wrong, cost in
            NetworkResults(architecture: architecture, results: (0..<3).map { _ in result(wrong: wrong, multiplyAccumulates: cost * 1000) })
        }
        var family = networks.dropFirst().map { PairedComparison(first: networks[0], second: $0, labels: Self.labels, seed: 1) }
        for (index, adjusted) in holmAdjusted(family.map(\.mcNemar.pValue)).enumerated() { family[index].adjustedPValue = adjusted }
        return (Question4.claimCheck(networks: networks, comparisons: family, throughput: [:]).verdict, family)
    }

    func testSupportedWhenSomeResNetIsSignificantlyMoreAccurate() {
        let leNetErrors = Set(0..<100)
        let (verdict, comparisons) = verdict(leNet: leNetErrors, resNet18: Set(60..<100), resNet50: leNetErrors)
        XCTAssertEqual(verdict, .supported)
        XCTAssertEqual(comparisons[0].mcNemar.onlySecondCorrect, 180, "60 images × 3 seed pairs")
        XCTAssertEqual(comparisons[0].mcNemar.onlyFirstCorrect, 0)
        XCTAssertEqual(comparisons[0].bootstrap.difference, 0.006, accuracy: 1e-12)
    }

    func testRefutedWhenLeNetIsSignificantlyBetterThanBothOrAllAreEqual() {
        XCTAssertEqual(verdict(leNet: Set(0..<50), resNet18: Set(0..<110), resNet50: Set(0..<120)).0, .refuted)
        XCTAssertEqual(verdict(leNet: Set(0..<50), resNet18: Set(0..<50), resNet50: Set(0..<50)).0, .refuted,
                       "identical predictions: both differences inside the ±0.1-point margin")
    }

    /// A few images either way: no significant difference, yet the interval is wider than the margin.
    func testInconclusiveInsideTheNoise() {
        let (verdict, comparisons) = verdict(leNet: Set(0..<80), resNet18: Set(12..<80).union(1000..<1008), resNet50: Set(0..<80))
        XCTAssertEqual(verdict, .inconclusive)
        XCTAssertGreaterThan(comparisons[0].adjustedPValue!, 0.05)
        XCTAssertGreaterThan(comparisons[0].bootstrap.upper, Question4.equivalenceMargin)
    }

    func testPredictionsCSVHasOneColumnPerNetworkAndSeed() {
        let runs = NetworkRuns(architecture: .leNet5, configs: [], runs: [])
        XCTAssertEqual(Question4.predictionsCSV(networks: [runs], labels: [3, 4]), "index,label\n0,3\n1,4\n")
    }
}

final class SharedDatasetTests: XCTestCase {
    /// Questions 1 and 2 and the quick profile of 3 and 4 all read mnist-5k: one load between them.
    func testEachDatasetIsLoadedOncePerRun() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shared = SharedDataset(requested: nil, projectRoot: root)
        XCTAssertEqual(shared.source(for: .quick), .mnist5k)
        let first = try shared.split(preferring: .mnist5k)
        let second = try shared.split(for: DatasetRequirements(consumer: "test"), profile: .quick)
        XCTAssertEqual(first.contentHash, second.contentHash)
        XCTAssertEqual(shared.loadCount, 1)
        let requested = SharedDataset(requested: .fashionMNIST, projectRoot: root)
        XCTAssertEqual(requested.source(for: .default), .fashionMNIST, "--dataset-dir wins over every default")
    }
}
