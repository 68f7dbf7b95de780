import Datasets
import Seeding
import XCTest

final class StratifiedSplitTests: XCTestCase {
    /// Labels sorted by class, like mnist-5k, with uneven class sizes.
    private let labels: [UInt8] = Array(repeating: 0, count: 7) + Array(repeating: 1, count: 13)
        + Array(repeating: 2, count: 1) + Array(repeating: 5, count: 40)

    func testEachClassContributesRoundedShareToTest() {
        let split = stratifiedSplit(labels: labels, testFraction: 0.2, seed: 42)
        let testLabels = split.test.map { labels[$0] }
        // round(1.4) = 1, round(2.6) = 3, round(0.2) = 0, round(8.0) = 8
        XCTAssertEqual(testLabels.filter { $0 == 0 }.count, 1)
        XCTAssertEqual(testLabels.filter { $0 == 1 }.count, 3)
        XCTAssertEqual(testLabels.filter { $0 == 2 }.count, 0)
        XCTAssertEqual(testLabels.filter { $0 == 5 }.count, 8)
        XCTAssertEqual((split.train + split.test).sorted(), Array(0..<labels.count), "each index exactly once")
    }

    func testSameSeedSameIndicesDifferentSeedDiffers() {
        let first = stratifiedSplit(labels: labels, testFraction: 0.2, seed: 7)
        let again = stratifiedSplit(labels: labels, testFraction: 0.2, seed: 7)
        let other = stratifiedSplit(labels: labels, testFraction: 0.2, seed: 8)
        XCTAssertEqual(first.train, again.train)
        XCTAssertEqual(first.test, again.test)
        XCTAssertNotEqual(first.train, other.train)
        XCTAssertNotEqual(Set(first.test), Set(other.test))
    }

    func testSplitIsPinnedAcrossReleases() {
        // Guards against accidental changes to SplitMix64 or the split order, which would
        // silently change which images every cached mnist-5k result was tested on.
        let split = stratifiedSplit(labels: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], testFraction: 0.4, seed: 1)
        XCTAssertEqual(split.test.count, 4)
        XCTAssertEqual(split.test.map { $0 < 5 ? 0 : 1 }.reduce(0, +), 2)
        XCTAssertEqual(split, SplitSnapshot.seedOne)
    }

    func testSplitMix64MatchesReferenceOutputs() {
        // Reference values from the C implementation (Vigna, prng.di.unimi.it/splitmix64.c), seed 1234567.
        var generator = SplitMix64(seed: 1_234_567)
        XCTAssertEqual((0..<5).map { _ in generator.next() }, [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    func testBoundedDrawsStayInRange() {
        var generator = SplitMix64(seed: 3)
        var seen = Set<Int>()
        for _ in 0..<1000 {
            let value = generator.next(below: 6)
            XCTAssertTrue((0..<6).contains(value))
            seen.insert(value)
        }
        XCTAssertEqual(seen, Set(0..<6))
    }
}

private enum SplitSnapshot {
    static let seedOne: (train: [Int], test: [Int]) = ([2, 3, 8, 7, 9, 4], [6, 1, 0, 5])
}

private func XCTAssertEqual(_ lhs: (train: [Int], test: [Int]), _ rhs: (train: [Int], test: [Int]),
                            file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(lhs.train, rhs.train, "train", file: file, line: line)
    XCTAssertEqual(lhs.test, rhs.test, "test", file: file, line: line)
}
