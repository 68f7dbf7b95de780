@testable import Analysis
import TestSupport
import XCTest

final class HutchinsonTraceTests: XCTestCase {
    func testEstimateIsWithinAFewPercentOfTheTrueTraceOfAnSPDMatrix() {
        let n = 50
        let matrix = RandomMatrices.positiveDefinite(size: n, seed: 12)
        let trace = (0..<n).reduce(0.0) { $0 + matrix[$1 * n + $1] }
        let estimate = hutchinsonTrace(dimension: n, samples: 2000, seed: 1, applying: RandomMatrices.multiplier(matrix, size: n))
        XCTAssertLessThan(abs(estimate.estimate - trace) / trace, 0.03, "estimate \(estimate.estimate) vs \(trace)")
        XCTAssertLessThan(abs(estimate.estimate - trace), 4 * estimate.standardError + 1e-12)
        XCTAssertEqual(estimate.samples, 2000)
    }

    func testDiagonalOperatorIsExactWithOneSample() {
        let diagonal: [Double] = [1, -2, 3.5, 4]
        let estimate = hutchinsonTrace(dimension: 4, samples: 1) { v in zip(diagonal, v).map { $0 * $1 } }
        assertClose(estimate.estimate, 6.5, rtol: 1e-12)
    }

    func testSameSeedGivesSameEstimate() {
        let matrix = RandomMatrices.symmetric(size: 10, seed: 4)
        let a = hutchinsonTrace(dimension: 10, samples: 5, seed: 77, applying: RandomMatrices.multiplier(matrix, size: 10))
        let b = hutchinsonTrace(dimension: 10, samples: 5, seed: 77, applying: RandomMatrices.multiplier(matrix, size: 10))
        XCTAssertEqual(a.estimate, b.estimate)
    }
}
