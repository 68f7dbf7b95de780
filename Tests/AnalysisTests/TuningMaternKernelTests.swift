@testable import Analysis
import TestSupport
import XCTest

final class TuningMaternKernelTests: XCTestCase {
    func testKnownValues() {
        let kernel = MaternKernel(lengthScales: [1], signalVariance: 2.5)
        XCTAssertEqual(kernel([0.3], [0.3]), 2.5)
        let sqrt5 = 5.0.squareRoot()
        assertClose(MaternKernel(lengthScales: [1], signalVariance: 1)([0], [1]), (1 + sqrt5 + 5.0 / 3) * exp(-sqrt5), rtol: 1e-14)
        assertClose(kernel.value(atScaledDistance: 1), 2.5 * (1 + sqrt5 + 5.0 / 3) * exp(-sqrt5), rtol: 1e-14)
        // Decreasing in distance, towards zero.
        let values = [0.0, 0.5, 1, 2, 4].map { kernel.value(atScaledDistance: $0) }
        XCTAssertEqual(values, values.sorted(by: >))
        XCTAssertLessThan(kernel.value(atScaledDistance: 10), 1e-7)
    }

    func testLengthScalesActPerDimension() {
        let kernel = MaternKernel(lengthScales: [2, 0.5], signalVariance: 1)
        // (Δ₁/ℓ₁, Δ₂/ℓ₂) = (0.6, 0.8): r = 1.
        assertClose(kernel.scaledDistance([0, 0], [1.2, 0.4]), 1, rtol: 1e-14)
        assertClose(kernel([0, 0], [1.2, 0.4]), MaternKernel(lengthScales: [1], signalVariance: 1)([0], [1]), rtol: 1e-14)
    }

    func testGradientMatchesFiniteDifferences() {
        let a = [0.1, 0.7, 0.4], b = [0.5, 0.2, 0.45]
        let logHyperparameters = [log(0.3), log(1.2), log(0.8), log(1.7)]
        func kernelValue(_ theta: [Double]) -> Double {
            MaternKernel(lengthScales: theta.prefix(3).map { exp($0) }, signalVariance: exp(theta[3]))(a, b)
        }
        let kernel = MaternKernel(lengthScales: [0.3, 1.2, 0.8], signalVariance: 1.7)
        assertClose(kernel.gradientWithRespectToLogHyperparameters(a, b),
                    numericalGradient(kernelValue, at: logHyperparameters), rtol: 1e-7, atol: 1e-10)
        // At r = 0 only σ² matters.
        XCTAssertEqual(kernel.gradientWithRespectToLogHyperparameters(a, a), [0, 0, 0, 1.7])
    }
}
