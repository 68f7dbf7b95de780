@testable import Analysis
import TestSupport
import XCTest

final class ScalarTwoLayerNetworkTests: XCTestCase {
    func testHessianAtTheOriginIsTheSaddleWithEigenvaluesPlusMinusTwo() {
        let toy = ScalarTwoLayerNetwork(input: 1, target: 1)
        let hessian = toy.hessian([0, 0])
        XCTAssertEqual(hessian, [0, -2, -2, 0])
        let (smallest, largest) = SymmetricEigenvalues.twoByTwo(hessian[0], hessian[1], hessian[3])
        assertClose([smallest, largest], [-2, 2], rtol: 1e-12)
        XCTAssertLessThan(smallest, 0)
        XCTAssertGreaterThan(largest, 0)
        XCTAssertEqual(toy.valueAndGradient([0, 0]).gradient, [0, 0], "the origin is a critical point")
    }

    func testGradientAndHessianMatchFiniteDifferences() {
        let toy = ScalarTwoLayerNetwork(input: 1.7, target: -0.6)
        for point in [[0.3, -1.2], [2.0, 0.5], [-0.7, -0.9]] {
            assertClose(toy.valueAndGradient(point).gradient, numericalGradient(toy.value, at: point), rtol: 1e-7, atol: 1e-9)
            assertClose(denseHessian(toy, at: point), toy.hessian(point), rtol: 1e-6, atol: 1e-8)
        }
    }

    func testLanczosFindsTheNegativeCurvature() {
        let toy = ScalarTwoLayerNetwork()
        assertClose(smallestHessianEigenvalue(toy, at: [0, 0]), -2, rtol: 1e-6)
        assertClose(largestHessianEigenvalue(toy, at: [0, 0]), 2, rtol: 1e-6)
    }
}
