@testable import Analysis
import TestSupport
import XCTest

/// The R-operator Hessian against finite differences of the analytic gradient, and known answers.
final class DeepLinearExactHessianTests: XCTestCase {
    func testExactHessianVectorProductsMatchFiniteDifferences() {
        for sizes in DeepLinearNetworkTests.architectures {
            for loss in DeepLinearNetwork.Loss.allCases {
                let network = DeepLinearNetworkTests.makeNetwork(layerSizes: sizes, loss: loss)
                let point = network.glorotUniformParameters(seed: 11)
                var generator = SeededGenerator(seed: 12)
                let direction = (0..<network.parameterCount).map { _ in generator.nextGaussian() }
                let exact = network.hessianVectorProduct(point, direction)
                let differenced = hessianVectorProduct(network, at: point, vector: direction, relativeStep: 1e-5)
                assertClose(exact, differenced, rtol: 1e-5, atol: 1e-7, "\(sizes) \(loss)")
            }
        }
    }

    func testExactHessianIsSymmetricAndMatchesTheDenseFiniteDifferenceHessian() {
        let network = DeepLinearNetworkTests.makeNetwork(layerSizes: [3, 4, 3, 2], loss: .softmaxCrossEntropy)
        let point = network.glorotUniformParameters(seed: 2)
        let n = network.parameterCount
        let exact = network.exactHessian(at: point)
        for r in 0..<n { for c in 0..<r { XCTAssertEqual(exact[r * n + c], exact[c * n + r]) } }
        assertClose(exact, denseHessian(network, at: point), rtol: 1e-5, atol: 1e-7)
    }

    /// Depth 1, MSE: L = (1/2n)‖X Wᵀ − Y‖², so H = (XᵀX/n) ⊗ I per output row, whatever W is.
    func testDepthOneMeanSquaredHessianIsTheGramMatrix() {
        let network = DeepLinearNetwork(layerSizes: [2, 1], loss: .meanSquared, inputs: [1, 2, 3, -1], targets: [0.5, -2])
        let hessian = network.exactHessian(at: [0.3, -0.7])
        // XᵀX / 2 = [[1 + 9, 2 − 3], [2 − 3, 4 + 1]] / 2.
        XCTAssertEqual(hessian, [5, -0.5, -0.5, 2.5])
    }

    /// Depth 2 at the origin, one input, one hidden unit, one output: L(a, b) = (1/2)(ab·x − y)²
    /// has Hessian [[0, −xy], [−xy, 0]] there, eigenvalues ±xy.
    func testScalarDepthTwoOriginIsASaddleExactly() {
        let network = DeepLinearNetwork(layerSizes: [1, 1, 1], loss: .meanSquared, inputs: [2], targets: [3])
        XCTAssertEqual(network.exactHessian(at: [0, 0]), [0, -6, -6, 0])
    }

    func testGradientDescentStopsAtTheStatedGradientNorm() {
        let network = DeepLinearNetworkTests.makeNetwork(layerSizes: [3, 2], loss: .meanSquared)
        let run = gradientDescent(on: network, from: network.glorotUniformParameters(seed: 1), learningRate: 0.1,
                                  gradientTolerance: 1e-6, maximumIterations: 100_000)
        XCTAssertLessThanOrEqual(run.finalGradientNorm, 1e-6)
        XCTAssertLessThan(run.losses.count, 100_001)
        let capped = gradientDescent(on: network, from: network.glorotUniformParameters(seed: 1), learningRate: 0.1,
                                     gradientTolerance: 1e-6, maximumIterations: 3)
        XCTAssertEqual(capped.losses.count, 4, "three steps and the final value")
        XCTAssertGreaterThan(capped.finalGradientNorm, 1e-6)
    }
}
