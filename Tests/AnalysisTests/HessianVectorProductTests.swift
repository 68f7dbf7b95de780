@testable import Analysis
import TestSupport
import XCTest

final class HessianVectorProductTests: XCTestCase {
    func testLogisticRegressionHessianVectorProductsMatchExactHessian() {
        var generator = SeededGenerator(seed: 11)
        let count = 20, dimension = 4
        let features = (0..<(count * dimension)).map { _ in generator.nextGaussian() }
        let labels = (0..<count).map { Double($0 % 2) }
        for loss in BinaryLoss.allCases {
            let problem = LogisticRegression(features: features, labels: labels, dimension: dimension, loss: loss)
            let point = [0.8, -1.1, 0.3, 2.0, -0.4]
            let exact = problem.hessian(point)
            let n = problem.parameterCount
            for _ in 0..<3 {
                let vector = (0..<n).map { _ in generator.nextGaussian() }
                let expected = (0..<n).map { r in (0..<n).reduce(0.0) { $0 + exact[r * n + $1] * vector[$1] } }
                assertClose(hessianVectorProduct(problem, at: point, vector: vector), expected, rtol: 1e-6, atol: 1e-8, "\(loss)")
            }
            assertClose(denseHessian(problem, at: point), exact, rtol: 1e-6, atol: 1e-8, "\(loss)")
        }
    }

    func testDenseHessianMatchesClosedFormAndIsSymmetric() {
        let n = 6
        let objective = QuadraticPlusQuarticObjective(matrix: RandomMatrices.symmetric(size: n, seed: 3), linear: [1, -2, 0.5, 0, 3, -1])
        let point = [0.5, -1.5, 2, 0.1, -0.7, 1.2]
        let hessian = denseHessian(objective, at: point)
        assertClose(hessian, objective.exactHessian(point), rtol: 1e-6, atol: 1e-7)
        for r in 0..<n { for c in 0..<n { XCTAssertEqual(hessian[r * n + c], hessian[c * n + r]) } }
    }

    func testStepScalesWithVectorLengthSoTinyAndHugeVectorsAgree() {
        let objective = QuadraticPlusQuarticObjective(matrix: RandomMatrices.positiveDefinite(size: 4, seed: 5), linear: [0, 0, 0, 0])
        let point = [1.0, 2, -1, 0.5]
        let unit = [0.5, 0.5, -0.5, 0.5]
        let reference = hessianVectorProduct(objective, at: point, vector: unit)
        assertClose(hessianVectorProduct(objective, at: point, vector: unit.map { $0 * 1e-6 }).map { $0 * 1e6 }, reference, rtol: 1e-6, atol: 1e-7)
        assertClose(hessianVectorProduct(objective, at: point, vector: unit.map { $0 * 1e6 }).map { $0 * 1e-6 }, reference, rtol: 1e-6, atol: 1e-7)
        XCTAssertEqual(hessianVectorProduct(objective, at: point, vector: [0, 0, 0, 0]), [0, 0, 0, 0])
    }
}
