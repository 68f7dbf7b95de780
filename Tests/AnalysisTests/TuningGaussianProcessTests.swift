@testable import Analysis
import TestSupport
import XCTest

final class TuningGaussianProcessTests: XCTestCase {
    /// σ²(1 + √5 r + 5r²/3) e^{−√5 r}, written out independently of `MaternKernel`.
    func matern(_ r: Double, _ signalVariance: Double) -> Double {
        let s = 5.0.squareRoot() * r
        return signalVariance * (1 + s + s * s / 3) * exp(-s)
    }

    func testTwoPointPosteriorMatchesClosedForm() throws {
        // Inputs 0.2 and 0.7, targets 1 and 5 (normalised: mean 3, scale 2, so y = (−1, 1)).
        let hyperparameters = GaussianProcessHyperparameters(lengthScales: [0.5], signalVariance: 1.5, noiseVariance: 0.01)
        let process = try XCTUnwrap(GaussianProcess(inputs: [[0.2], [0.7]], targets: [1, 5], hyperparameters: hyperparameters))
        XCTAssertEqual(process.targetMean, 3)
        XCTAssertEqual(process.targetScale, 2)

        let a = 1.5 + 0.01, b = matern(1, 1.5)  // K = [[a, b], [b, a]], K⁻¹ = [[a, −b], [−b, a]] / (a² − b²)
        let determinant = a * a - b * b
        let y = [-1.0, 1.0]
        for x in [0.0, 0.4, 0.7, 1.0] {
            let k = [matern(abs(x - 0.2) / 0.5, 1.5), matern(abs(x - 0.7) / 0.5, 1.5)]
            let kInverseK = [(a * k[0] - b * k[1]) / determinant, (-b * k[0] + a * k[1]) / determinant]
            let mean = kInverseK[0] * y[0] + kInverseK[1] * y[1]
            let variance = 1.5 - (kInverseK[0] * k[0] + kInverseK[1] * k[1])
            let posterior = process.posterior(at: [[x]])
            assertClose(posterior.mean[0], 3 + 2 * mean, rtol: 1e-12, atol: 1e-12, "mean at \(x)")
            assertClose(posterior.standardDeviation[0], 2 * variance.squareRoot(), rtol: 1e-10, atol: 1e-12, "std at \(x)")
        }
        let expectedLikelihood = -0.5 * (a * (y[0] * y[0] + y[1] * y[1]) - 2 * b * y[0] * y[1]) / determinant
            - 0.5 * log(determinant) - log(2 * Double.pi)
        assertClose(process.logMarginalLikelihood, expectedLikelihood, rtol: 1e-12)
        let (value, _) = try XCTUnwrap(GaussianProcess.logMarginalLikelihood(
            inputs: [[0.2], [0.7]], normalisedTargets: y, hyperparameters: hyperparameters))
        assertClose(value, expectedLikelihood, rtol: 1e-12)
    }

    func testNearlyNoiselessPosteriorInterpolatesTrainingPoints() throws {
        let inputs = [[0.1, 0.9], [0.5, 0.5], [0.8, 0.2], [0.3, 0.3]]
        let targets = [0.91, 0.97, 0.95, 0.93]
        let process = try XCTUnwrap(GaussianProcess(inputs: inputs, targets: targets, hyperparameters:
            GaussianProcessHyperparameters(lengthScales: [0.4, 0.6], signalVariance: 1, noiseVariance: 1e-8)))
        let posterior = process.posterior(at: inputs)
        assertClose(posterior.mean, targets, rtol: 1e-6, atol: 1e-6)
        XCTAssertTrue(posterior.standardDeviation.allSatisfy { $0 < 1e-3 }, "\(posterior.standardDeviation)")
        // Far from the data: the prior, in original units.
        let far = process.posterior(at: [[40, 40]])
        assertClose(far.mean[0], process.targetMean, rtol: 1e-9)
        assertClose(far.standardDeviation[0], process.targetScale, rtol: 1e-9)
    }

    func testKernelMatrixIsSymmetricPositiveDefinite() throws {
        var generator = SeededGenerator(seed: 4)
        let inputs = (0..<8).map { _ in (0..<3).map { _ in generator.nextUniform() } }
        let kernel = MaternKernel(lengthScales: [0.3, 0.5, 1.2], signalVariance: 0.8)
        let matrix = GaussianProcess.covarianceMatrix(inputs, kernel: kernel, noiseVariance: 1e-6)
        for i in 0..<8 { for j in 0..<8 { XCTAssertEqual(matrix[i * 8 + j], matrix[j * 8 + i]) } }
        let factor = try XCTUnwrap(CholeskyFactorization(matrix, size: 8))
        XCTAssertEqual(factor.jitter, 0)
        let eigenvalues = SymmetricEigenvalues.jacobi(matrix, size: 8)
        XCTAssertGreaterThan(eigenvalues.first!, 0)
        assertClose(eigenvalues.reduce(0) { $0 + log($1) }, factor.logDeterminant, rtol: 1e-9)
    }

    func testLogMarginalLikelihoodGradientMatchesFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 9)
        let inputs = (0..<7).map { _ in (0..<2).map { _ in generator.nextUniform() } }
        let targets = inputs.map { sin(4 * $0[0]) + 0.5 * $0[1] * $0[1] }
        let (mean, scale) = GaussianProcess.normalisation(of: targets)
        let y = targets.map { ($0 - mean) / scale }
        func likelihood(_ theta: [Double]) -> Double {
            GaussianProcess.logMarginalLikelihood(inputs: inputs, normalisedTargets: y,
                                                  hyperparameters: GaussianProcessHyperparameters(logValues: theta))!.value
        }
        for theta in [[log(0.3), log(0.7), log(1.1), log(0.02)], [log(1.5), log(0.2), log(0.4), log(1e-3)]] {
            let (_, gradient) = try XCTUnwrap(GaussianProcess.logMarginalLikelihood(
                inputs: inputs, normalisedTargets: y, hyperparameters: GaussianProcessHyperparameters(logValues: theta)))
            assertClose(gradient, numericalGradient(likelihood, at: theta), rtol: 1e-5, atol: 1e-6)
        }
    }

    func testFittingRaisesTheLikelihoodAndPredictsASmoothFunction() throws {
        var generator = SeededGenerator(seed: 2)
        let inputs = (0...10).map { [Double($0) / 10 + 0.02 * (generator.nextUniform() - 0.5)] }
        let target: (Double) -> Double = { 0.9 + 0.05 * sin(6 * $0) }
        let fitted = try XCTUnwrap(GaussianProcess.fitted(inputs: inputs, targets: inputs.map { target($0[0]) }, using: &generator))
        let start = try XCTUnwrap(GaussianProcess(inputs: inputs, targets: inputs.map { target($0[0]) }, hyperparameters:
            GaussianProcessHyperparameters(lengthScales: [0.3], signalVariance: 1, noiseVariance: 1e-3)))
        XCTAssertGreaterThan(fitted.logMarginalLikelihood, start.logMarginalLikelihood)
        let bounds = GaussianProcessHyperparameterBounds()
        XCTAssertTrue(bounds.lengthScale.contains(fitted.hyperparameters.lengthScales[0]))
        XCTAssertTrue(bounds.noiseVariance.contains(fitted.hyperparameters.noiseVariance))
        let tests = stride(from: 0.05, through: 0.95, by: 0.1).map { [$0] }
        let posterior = fitted.posterior(at: tests)
        for (point, (mean, deviation)) in zip(tests, zip(posterior.mean, posterior.standardDeviation)) {
            XCTAssertEqual(mean, target(point[0]), accuracy: 0.005, "at \(point[0])")
            XCTAssertLessThan(abs(mean - target(point[0])), 4 * deviation + 1e-4, "calibrated at \(point[0])")
        }
    }
}
