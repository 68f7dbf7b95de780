import Analysis
import XCTest

final class McNemarTestTests: XCTestCase {
    /// b = 10, c = 2: P(X ≤ 2) for X ~ Bin(12, ½) is (1 + 12 + 66)/4096, doubled.
    func testExactPValueKnownAnswer() {
        XCTAssertEqual(McNemarTest(onlyFirstCorrect: 10, onlySecondCorrect: 2).pValue, 2 * 79 / 4096, accuracy: 1e-12)
        XCTAssertEqual(McNemarTest(onlyFirstCorrect: 2, onlySecondCorrect: 10).pValue, 2 * 79 / 4096, accuracy: 1e-12)
        XCTAssertEqual(McNemarTest(onlyFirstCorrect: 0, onlySecondCorrect: 0).pValue, 1)
        XCTAssertEqual(McNemarTest(onlyFirstCorrect: 5, onlySecondCorrect: 5).pValue, 1, "capped at 1")
        // b = 0, c = 6: 2/64.
        XCTAssertEqual(McNemarTest(onlyFirstCorrect: 0, onlySecondCorrect: 6).pValue, 2.0 / 64, accuracy: 1e-12)
    }

    /// Thousands of discordant items: finite, and near the normal approximation
    /// z = (c − b)/√(b + c) = 100/√2100 → two-sided 0.029.
    func testLargeCountsStayFiniteAndMatchTheNormalApproximation() {
        let p = McNemarTest(onlyFirstCorrect: 1000, onlySecondCorrect: 1100).pValue
        XCTAssertTrue(p.isFinite)
        XCTAssertEqual(p, 0.031, accuracy: 0.004)
        XCTAssertLessThan(McNemarTest(onlyFirstCorrect: 0, onlySecondCorrect: 3000).pValue, 1e-300 + 1e-12)
    }

    func testCountsFromCorrectnessPooledOverRuns() {
        let test = McNemarTest(firstCorrect: [[true, true, false, false], [true, false, true, true]],
                               secondCorrect: [[true, false, true, false], [false, false, true, true]])
        XCTAssertEqual(test.onlyFirstCorrect, 2)
        XCTAssertEqual(test.onlySecondCorrect, 1)
        XCTAssertEqual(test.discordant, 3)
    }

    func testHolmAdjustment() {
        // Sorted 0.01, 0.03, 0.04 → 3·0.01, max(0.03, 2·0.03), max(0.06, 1·0.04).
        let adjusted = holmAdjusted([0.01, 0.04, 0.03])
        XCTAssertEqual(adjusted[0], 0.03, accuracy: 1e-12)
        XCTAssertEqual(adjusted[1], 0.06, accuracy: 1e-12)
        XCTAssertEqual(adjusted[2], 0.06, accuracy: 1e-12)
        XCTAssertEqual(holmAdjusted([0.6, 0.9]), [1, 1], "monotone: never below an earlier step")
        XCTAssertEqual(holmAdjusted([0.2, 0.01]), [0.2, 0.02])
    }
}

final class PairedBootstrapTests: XCTestCase {
    func testIdenticalClassifiersGiveAZeroInterval() {
        let correct = [(0..<500).map { $0 % 7 != 0 }, (0..<500).map { $0 % 5 != 0 }]
        let bootstrap = PairedBootstrap(firstCorrect: correct, secondCorrect: correct, replicates: 200, seed: 1)
        XCTAssertEqual(bootstrap.difference, 0)
        XCTAssertEqual(bootstrap.lower, 0)
        XCTAssertEqual(bootstrap.upper, 0)
    }

    /// The second is right on 10% more of 1000 items in every run: the interval is the
    /// binomial spread of that share, 0.1 ± 1.96·√(0.1·0.9/1000) ≈ [0.081, 0.119].
    func testIntervalMatchesTheBinomialSpread() {
        let first = (0..<1000).map { $0 % 10 != 0 }
        let second = [Bool](repeating: true, count: 1000)
        let bootstrap = PairedBootstrap(firstCorrect: [first, first], secondCorrect: [second, second], replicates: 2000, seed: 3)
        XCTAssertEqual(bootstrap.difference, 0.1, accuracy: 1e-12)
        XCTAssertEqual(bootstrap.lower, 0.081, accuracy: 0.005)
        XCTAssertEqual(bootstrap.upper, 0.119, accuracy: 0.005)
        let again = PairedBootstrap(firstCorrect: [first, first], secondCorrect: [second, second], replicates: 2000, seed: 3)
        XCTAssertEqual(again, bootstrap, "seeded: reproducible")
    }

    /// Runs that disagree widen the interval: the seed pairs are resampled too.
    func testSeedPairsAreResampled() {
        let items = 2000
        let first = [Bool](repeating: false, count: items)
        let runs = [[Bool](repeating: true, count: items), [Bool](repeating: false, count: items)]
        let bootstrap = PairedBootstrap(firstCorrect: [first, first], secondCorrect: runs, replicates: 400, seed: 5)
        XCTAssertEqual(bootstrap.difference, 0.5, accuracy: 1e-12)
        XCTAssertEqual(bootstrap.lower, 0, accuracy: 1e-12)
        XCTAssertEqual(bootstrap.upper, 1, accuracy: 1e-12)
    }

    func testQuantileInterpolatesLikeNumpy() {
        XCTAssertEqual(PairedBootstrap.quantile([1, 2, 3, 4], 0.5), 2.5, accuracy: 1e-12)
        XCTAssertEqual(PairedBootstrap.quantile([1, 2, 3, 4], 0.025), 1.075, accuracy: 1e-12)
    }
}
