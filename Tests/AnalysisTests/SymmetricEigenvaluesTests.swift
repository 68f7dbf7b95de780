@testable import Analysis
import TestSupport
import XCTest

final class SymmetricEigenvaluesTests: XCTestCase {
    func testTwoByTwoKnownAnswers() {
        let (small, large) = SymmetricEigenvalues.twoByTwo(2, 1, 2)
        assertClose([small, large], [1, 3], rtol: 1e-12)
        let saddle = SymmetricEigenvalues.twoByTwo(0, 1, 0)
        assertClose([saddle.smallest, saddle.largest], [-1, 1], rtol: 1e-12)
    }

    func testTwoByTwoKeepsTinyEigenvaluesOfNearlySingularMatrices() {
        // [[1, 1], [1, 1 + 1e-12]] has eigenvalues ≈ 5e-13 and 2: no cancellation to a negative number.
        let (small, _) = SymmetricEigenvalues.twoByTwo(1, 1, 1 + 1e-12)
        XCTAssertGreaterThan(small, 0)
        assertClose(small, 5e-13, rtol: 1e-3)
    }

    func testJacobiMatchesKnownSpectrum() {
        // Q diag(−2, 1, 4) Qᵀ for a rotation Q has eigenvalues −2, 1, 4.
        let c = cos(0.4), s = sin(0.4)
        let q: [Double] = [c, -s, 0, s, c, 0, 0, 0, 1]
        let d: [Double] = [-2, 1, 4]
        var a = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { for k in 0..<3 { a[i * 3 + j] += q[i * 3 + k] * d[k] * q[j * 3 + k] } } }
        assertClose(SymmetricEigenvalues.jacobi(a, size: 3), [-2, 1, 4], rtol: 1e-10, atol: 1e-10)
    }
}
