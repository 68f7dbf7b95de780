@testable import Analysis
import TestSupport
import XCTest

final class SpectralDensityTests: XCTestCase {
    func testQuadratureMeanMatchesTraceOverDimension() {
        let n = 40
        let matrix = RandomMatrices.symmetric(size: n, seed: 31)
        let trace = (0..<n).reduce(0.0) { $0 + matrix[$1 * n + $1] }
        let density = stochasticLanczosQuadrature(dimension: n, steps: 20, probes: 200, seed: 2,
                                                  applying: RandomMatrices.multiplier(matrix, size: n))
        for weights in density.weights { assertClose(weights.reduce(0, +), 1, rtol: 1e-10) }
        // Σ τₖ θₖ = zᵀAz / ‖z‖² exactly, so the mean is Hutchinson's estimate over the same probes, divided by n.
        let hutchinson = hutchinsonTrace(dimension: n, samples: 200, seed: 2, applying: RandomMatrices.multiplier(matrix, size: n))
        assertClose(density.mean, hutchinson.estimate / Double(n), rtol: 1e-9, atol: 1e-12)
        XCTAssertLessThan(abs(density.mean - trace / Double(n)), 4 * hutchinson.standardError / Double(n))
    }

    func testSmoothedDensityIntegratesToOneAndCoversTheSpectrum() {
        let spectrum = (0..<30).map { Double($0 % 3) * 2 - 2 }   // eigenvalues −2, 0, 2, ten each
        let density = stochasticLanczosQuadrature(dimension: 30, steps: 10, probes: 10, seed: 5) { v in zip(spectrum, v).map { $0 * $1 } }
        let grid = stride(from: -5.0, through: 5.0, by: 0.01).map { $0 }
        let values = density.smoothed(at: grid, bandwidth: 0.1)
        assertClose(values.reduce(0, +) * 0.01, 1, rtol: 1e-3)
        // Each node must be one of the three eigenvalues (up to rounding) once it carries weight.
        for (nodes, weights) in zip(density.nodes, density.weights) {
            for (node, weight) in zip(nodes, weights) where weight > 1e-8 {
                XCTAssertLessThan([-2.0, 0, 2].map { abs($0 - node) }.min()!, 1e-6)
            }
        }
    }
}
