@testable import Analysis
import TestSupport
import XCTest

final class LogisticDescentRunTests: XCTestCase {
    func makeProblem(_ loss: BinaryLoss) -> LogisticRegression {
        var generator = SeededGenerator(seed: 21)
        let count = 30, dimension = 4
        let features = (0..<(count * dimension)).map { _ in generator.nextGaussian() }
        let labels = (0..<count).map { index in features[index * dimension] + 0.3 * generator.nextGaussian() > 0 ? 1.0 : 0.0 }
        return LogisticRegression(features: features, labels: labels, dimension: dimension, loss: loss)
    }

    /// The same iterates as the generic gradient descent, plus the training accuracy at each.
    func testMatchesGradientDescentAndRecordsAccuracy() {
        for loss in BinaryLoss.allCases {
            let problem = makeProblem(loss)
            let start = [Double](repeating: 0.05, count: problem.parameterCount)
            let run = LogisticDescentRun(on: problem, from: start, learningRate: 0.5, iterations: 25)
            let reference = gradientDescent(on: problem, from: start, learningRate: 0.5, iterations: 25)
            assertClose(run.losses, reference.losses, rtol: 1e-12)
            assertClose(run.finalParameters, reference.finalParameters, rtol: 1e-12)
            XCTAssertEqual(run.accuracies.count, 26)
            assertClose(run.accuracies[0], problem.accuracy(start))
            assertClose(run.accuracies[25], problem.accuracy(run.finalParameters))
            XCTAssertGreaterThan(run.accuracies[25], 0.8, "\(loss) learns the separable direction")
        }
    }

    func testEvaluateAgreesWithItsParts() {
        let problem = makeProblem(.crossEntropy)
        let parameters = [0.3, -0.2, 0.1, 0.4, -0.05]
        let evaluation = problem.evaluate(parameters)
        let (value, gradient) = problem.valueAndGradient(parameters)
        assertClose(evaluation.value, problem.value(parameters), rtol: 1e-12)
        assertClose(evaluation.gradient, gradient, rtol: 1e-12)
        XCTAssertEqual(value, evaluation.value)
        XCTAssertEqual(evaluation.accuracy, problem.accuracy(parameters))
    }
}
