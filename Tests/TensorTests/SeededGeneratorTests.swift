import Tensor
import TestSupport
import XCTest

final class SeededGeneratorTests: XCTestCase {
    func testSameSeedSameStream() {
        var first = SeededGenerator(seed: 7), second = SeededGenerator(seed: 7), other = SeededGenerator(seed: 8)
        let a = (0..<5).map { _ in first.next() }
        XCTAssertEqual(a, (0..<5).map { _ in second.next() })
        XCTAssertNotEqual(a, (0..<5).map { _ in other.next() })
    }

    /// SplitMix64's published first output for seed 0 is 0xE220A8397B1DCDAF; our state words
    /// are SplitMix64's first four outputs, so the first xoshiro256** output is fixed too.
    func testKnownFirstOutputPinsTheAlgorithm() {
        var generator = SeededGenerator(seed: 0)
        let first = generator.next()
        // rotl(s1 * 5, 7) * 9 with s1 = SplitMix64(0) second output 0x6E789E6AA1B965F4.
        let s1: UInt64 = 0x6E78_9E6A_A1B9_65F4
        let product = s1 &* 5
        XCTAssertEqual(first, ((product << 7) | (product >> 57)) &* 9)
    }

    func testUnitFloatsInRangeAndPermutation() {
        var generator = SeededGenerator(seed: 3)
        for _ in 0..<10_000 {
            let value = generator.nextUnitFloat()
            XCTAssertTrue(value >= 0 && value < 1)
        }
        let permutation = generator.permutation(of: 100)
        XCTAssertEqual(permutation.sorted(), Array(0..<100))
        XCTAssertNotEqual(permutation, Array(0..<100))
    }

    func testNormalSamplesHaveUnitMoments() {
        var generator = SeededGenerator(seed: 4)
        let samples = (0..<20_000).map { _ in generator.nextStandardNormal() }
        let mean = samples.reduce(0, +) / Double(samples.count)
        let variance = samples.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(samples.count)
        XCTAssertEqual(mean, 0, accuracy: 0.03)
        XCTAssertEqual(variance, 1, accuracy: 0.05)
    }
}
