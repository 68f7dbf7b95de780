@testable import Analysis
import TestSupport
import XCTest

final class PrincipalComponentsTests: XCTestCase {
    func testComponentsAreTheTopEigenvectorsOfTheSampleCovariance() {
        var generator = SeededGenerator(seed: 10)
        let count = 400, dimension = 6
        let scales: [Double] = [5, 3, 2, 1, 0.5, 0.2]
        let mixing = RandomMatrices.symmetric(size: dimension, seed: 2)
        var samples = [Double](repeating: 0, count: count * dimension)
        for i in 0..<count {
            let latent = scales.map { $0 * generator.nextGaussian() }
            for j in 0..<dimension {
                samples[i * dimension + j] = 3 + (0..<dimension).reduce(0.0) { $0 + mixing[j * dimension + $1] * latent[$1] }
            }
        }
        let pca = PrincipalComponents(samples: samples, dimension: dimension, componentCount: 3, seed: 1)
        var covariance = [Double](repeating: 0, count: dimension * dimension)
        for i in 0..<count {
            for r in 0..<dimension {
                for c in 0..<dimension {
                    covariance[r * dimension + c] += (samples[i * dimension + r] - pca.mean[r]) * (samples[i * dimension + c] - pca.mean[c]) / Double(count)
                }
            }
        }
        let spectrum = SymmetricEigenvalues.jacobi(covariance, size: dimension)
        assertClose(pca.variances, Array(spectrum.suffix(3).reversed()), rtol: 1e-8)
        assertClose(pca.totalVariance, spectrum.reduce(0, +), rtol: 1e-10)
        for (j, v) in pca.components.enumerated() {
            assertClose(euclideanNorm(v), 1, rtol: 1e-12)
            let cv = RandomMatrices.multiplier(covariance, size: dimension)(v)
            assertClose(cv, v.map { $0 * pca.variances[j] }, rtol: 1e-6, atol: 1e-6, "component \(j) is an eigenvector")
        }
        // Projections are centred, uncorrelated, with the component variances.
        let projected = pca.project(samples)
        for a in 0..<3 {
            XCTAssertLessThan(abs((0..<count).reduce(0.0) { $0 + projected[$1 * 3 + a] }) / Double(count), 1e-9)
            for b in 0..<3 {
                let moment = (0..<count).reduce(0.0) { $0 + projected[$1 * 3 + a] * projected[$1 * 3 + b] } / Double(count)
                assertClose(moment, a == b ? pca.variances[a] : 0, rtol: 1e-6, atol: 1e-6)
            }
        }
        XCTAssertTrue(pca.explainedVarianceRatios.allSatisfy { $0 > 0 && $0 < 1 })
    }
}
