@testable import Analysis
import TestSupport
import XCTest

final class LogisticRegressionTests: XCTestCase {
    /// A small random problem with 3 features.
    func makeProblem(_ loss: BinaryLoss, seed: UInt64 = 7) -> LogisticRegression {
        var generator = SeededGenerator(seed: seed)
        let count = 12, dimension = 3
        let features = (0..<(count * dimension)).map { _ in generator.nextGaussian() }
        let labels = (0..<count).map { Double($0 % 2) }
        return LogisticRegression(features: features, labels: labels, dimension: dimension, loss: loss)
    }

    func testPerExampleDerivativesMatchFiniteDifferences() {
        for loss in BinaryLoss.allCases {
            for z in [-12.0, -3, -0.5, 0, 0.7, 4, 15] {
                for y in [0.0, 1.0] {
                    let h = 1e-5
                    let numericFirst = (loss.value(logit: z + h, label: y) - loss.value(logit: z - h, label: y)) / (2 * h)
                    let numericSecond = (loss.derivative(logit: z + h, label: y) - loss.derivative(logit: z - h, label: y)) / (2 * h)
                    assertClose(loss.derivative(logit: z, label: y), numericFirst, rtol: 1e-5, atol: 1e-9, "\(loss) z=\(z) y=\(y)")
                    assertClose(loss.secondDerivative(logit: z, label: y), numericSecond, rtol: 1e-5, atol: 1e-9, "\(loss) z=\(z) y=\(y)")
                }
            }
        }
    }

    func testGradientMatchesFiniteDifferences() {
        for loss in BinaryLoss.allCases {
            let problem = makeProblem(loss)
            let point = [0.3, -1.2, 0.8, 0.1]
            let analytic = problem.valueAndGradient(point)
            assertClose(analytic.value, problem.value(point), rtol: 1e-12)
            assertClose(analytic.gradient, numericalGradient(problem.value, at: point), rtol: 1e-6, atol: 1e-9, "\(loss)")
        }
    }

    func testHessianMatchesFiniteDifferencesOfGradient() {
        for loss in BinaryLoss.allCases {
            let problem = makeProblem(loss)
            let point = [1.5, -2.0, 0.4, -0.3]
            let hessian = problem.hessian(point)
            let size = problem.parameterCount
            for column in 0..<size {
                let numeric = numericalGradient({ problem.valueAndGradient($0).gradient[column] }, at: point)
                assertClose((0..<size).map { hessian[$0 * size + column] }, numeric, rtol: 1e-5, atol: 1e-8, "\(loss) column \(column)")
            }
        }
    }

    func testCrossEntropyHessianIsPositiveSemidefiniteEverywhereAndMSEIsNot() {
        let problem = makeProblem(.crossEntropy)
        let oneFeature = LogisticRegression(features: [-2, -1, -0.5, 0.5, 1, 2.5], labels: [0, 0, 1, 0, 1, 1], dimension: 1, loss: .crossEntropy)
        var mseMinimum = Double.infinity
        for w in stride(from: -8.0, through: 8.0, by: 0.5) {
            for b in stride(from: -8.0, through: 8.0, by: 0.5) {
                let ce = oneFeature.hessian([w, b])
                XCTAssertGreaterThanOrEqual(SymmetricEigenvalues.twoByTwo(ce[0], ce[1], ce[3]).smallest, -1e-9, "w=\(w) b=\(b)")
                let mse = oneFeature.with(loss: .meanSquaredError).hessian([w, b])
                mseMinimum = min(mseMinimum, SymmetricEigenvalues.twoByTwo(mse[0], mse[1], mse[3]).smallest)
            }
        }
        XCTAssertLessThan(mseMinimum, -1e-4, "MSE with a sigmoid must have negative curvature somewhere")
        XCTAssertEqual(problem.parameterCount, 4)
    }

    func testGradientDescentOnSeparableDataReachesFullAccuracyWithCrossEntropy() {
        let problem = LogisticRegression(features: [-3, -2, -1.5, 1.2, 2, 3.1], labels: [0, 0, 0, 1, 1, 1], dimension: 1, loss: .crossEntropy)
        let run = gradientDescent(on: problem, from: [0, 0], learningRate: 0.5, iterations: 200)
        XCTAssertEqual(problem.accuracy(run.finalParameters), 1)
        XCTAssertLessThan(run.losses.last!, run.losses.first!)
        XCTAssertEqual(run.losses.count, 201)
    }

    func testMSEGradientVanishesForConfidentMistakes() {
        XCTAssertLessThan(abs(BinaryLoss.meanSquaredError.derivative(logit: -10, label: 1)), 1e-4)
        assertClose(BinaryLoss.crossEntropy.derivative(logit: -10, label: 1), -1, rtol: 1e-4)
    }

    func testLossesAreStableForHugeLogits() {
        XCTAssertEqual(BinaryLoss.crossEntropy.value(logit: 1000, label: 1), 0, accuracy: 1e-12)
        assertClose(BinaryLoss.crossEntropy.value(logit: -1000, label: 1), 1000, rtol: 1e-12)
        XCTAssertTrue(BinaryLoss.meanSquaredError.value(logit: -1000, label: 1).isFinite)
    }
}
