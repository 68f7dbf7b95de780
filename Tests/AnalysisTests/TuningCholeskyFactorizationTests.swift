@testable import Analysis
import TestSupport
import XCTest

final class TuningCholeskyFactorizationTests: XCTestCase {
    let matrix: [Double] = [4, 2, 0.4, 2, 5, 1, 0.4, 1, 3]

    func testFactorReproducesTheMatrix() throws {
        let factor = try XCTUnwrap(CholeskyFactorization(matrix, size: 3))
        XCTAssertEqual(factor.jitter, 0)
        var product = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { product[i * 3 + j] += factor.lower[i * 3 + k] * factor.lower[j * 3 + k] } } }
        assertClose(product, matrix, rtol: 1e-14, atol: 1e-14)
        XCTAssertEqual(factor.lower[1], 0)
        XCTAssertEqual(factor.lower[2], 0)
        XCTAssertEqual(factor.lower[5], 0)
    }

    func testSolveInverseAndDeterminant() throws {
        let factor = try XCTUnwrap(CholeskyFactorization(matrix, size: 3))
        let x = factor.solve([1, -2, 0.5])
        let residual = (0..<3).map { i in (0..<3).reduce(0) { $0 + matrix[i * 3 + $1] * x[$1] } }
        assertClose(residual, [1, -2, 0.5], rtol: 1e-13, atol: 1e-13)
        // det = 4(15 − 1) − 2(6 − 0.4) + 0.4(2 − 2) = 44.8
        assertClose(factor.logDeterminant, log(44.8), rtol: 1e-13)
        let inverse = factor.inverse()
        var identity = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { identity[i * 3 + j] += matrix[i * 3 + k] * inverse[k * 3 + j] } } }
        assertClose(identity, [1, 0, 0, 0, 1, 0, 0, 0, 1], rtol: 0, atol: 1e-13)
    }

    func testJitterRescuesASingularMatrixAndIndefiniteOnesFail() throws {
        let singular: [Double] = [1, 1, 1, 1]
        let factor = try XCTUnwrap(CholeskyFactorization(singular, size: 2))
        XCTAssertGreaterThan(factor.jitter, 0)
        XCTAssertLessThanOrEqual(factor.jitter, 1e-4)
        XCTAssertNil(CholeskyFactorization([1, 2, 2, 1], size: 2))
    }
}
