import Datasets
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

    func result(accuracy: Double, seconds: Double, multiplyAccumulates: Int) -> ConvolutionalTrainingResult {
        var history = TrainingHistory()
        history.loss = [0.1, 0.05]; history.accuracy = [0.98, 0.99]; history.seconds = [seconds / 2, seconds / 2]
        history.validationLoss = [0.06, 0.05]; history.validationAccuracy = [0.985, 0.984]
        return ConvolutionalTrainingResult(parameterCount: 1000, multiplyAccumulates: multiplyAccumulates, trainCount: 54_000,
                                           validationCount: 6_000, testCount: 10_000, history: history, converged: true, log: [],
                                           testLoss: 0.05, testAccuracy: accuracy, confusion: [], misclassified: [],
                                           trainingSeconds: seconds, imagesPerSecond: 1)
    }

    func verdict(leNet: [Double], resNet18: [Double], resNet50: [Double]) -> Verdict {
        let networks = [(ConvolutionalArchitecture.leNet5, leNet, 1), (.resNet18, resNet18, 100), (.resNet50, resNet50, 200)].map { architecture, accuracies, cost in
            NetworkResults(architecture: architecture, results: accuracies.map { result(accuracy: $0, seconds: Double(cost), multiplyAccumulates: cost * 1000) })
        }
        return Question4.claimCheck(networks: networks).verdict
    }

    /// "ResNet suits more" holds only for a ResNet whose gain over LeNet-5 exceeds both the
    /// seed-to-seed spread and twice the test set's standard error of the difference.
    func testTheQ4VerdictWeighsTheDifferenceAgainstTheNoise() {
        XCTAssertEqual(verdict(leNet: [0.988, 0.989], resNet18: [0.994, 0.995], resNet50: [0.994, 0.993]), .supported)
        XCTAssertEqual(verdict(leNet: [0.988, 0.989], resNet18: [0.994, 0.995], resNet50: [0.989, 0.990]), .partly)
        // 0.0015 apart: below twice the standard error of the difference (about 0.0029).
        XCTAssertEqual(verdict(leNet: [0.988, 0.989], resNet18: [0.990, 0.990], resNet50: [0.990, 0.990]), .refuted)
        // A large gain but a larger seed spread.
        XCTAssertEqual(verdict(leNet: [0.90, 0.99], resNet18: [0.99, 0.99], resNet50: [0.99, 0.99]), .refuted)
        XCTAssertEqual(Question4.epochCap(.resNet50, profile: .default), 3)
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
