@testable import Analysis
import TestSupport
import XCTest

final class LanczosTridiagonalTests: XCTestCase {
    func testTridiagonalEigensystemMatchesJacobiAndWeightsSumToOne() {
        var generator = SeededGenerator(seed: 21)
        let m = 12
        let diagonal = (0..<m).map { _ in generator.nextGaussian() }
        let offDiagonal = (0..<(m - 1)).map { _ in generator.nextGaussian() }
        var dense = [Double](repeating: 0, count: m * m)
        for i in 0..<m { dense[i * m + i] = diagonal[i] }
        for i in 0..<(m - 1) { dense[i * m + i + 1] = offDiagonal[i]; dense[(i + 1) * m + i] = offDiagonal[i] }
        let eigensystem = SymmetricTridiagonalEigensystem(diagonal: diagonal, offDiagonal: offDiagonal)
        assertClose(eigensystem.eigenvalues, SymmetricEigenvalues.jacobi(dense, size: m), rtol: 1e-10, atol: 1e-10)
        assertClose(eigensystem.firstComponentWeights.reduce(0, +), 1, rtol: 1e-12)
        // Σ τⱼ λⱼ = e₀ᵀ T e₀ = d₀.
        assertClose(zip(eigensystem.eigenvalues, eigensystem.firstComponentWeights).reduce(0) { $0 + $1.0 * $1.1 }, diagonal[0], rtol: 1e-10, atol: 1e-12)
    }

    func testExtremeEigenvaluesMatchJacobiOnRandomSymmetricMatrices() {
        for (size, seed) in [(30, UInt64(1)), (60, 2), (90, 3)] {
            let matrix = RandomMatrices.symmetric(size: size, seed: seed)
            let reference = SymmetricEigenvalues.jacobi(matrix, size: size)
            let result = extremeEigenvalues(count: 3, dimension: size, steps: size, seed: seed,
                                            applying: RandomMatrices.multiplier(matrix, size: size))
            assertClose(result.largest, Array(reference.suffix(3).reversed()), rtol: 1e-6, atol: 0, "n=\(size)")
            assertClose(result.smallest, Array(reference.prefix(3)), rtol: 1e-6, atol: 0, "n=\(size)")
        }
    }

    func testFewStepsFindWellSeparatedExtremes() {
        // Spectrum {−5, −4, 0.01…1 (196 values), 8, 10}, hidden by a random rotation-free permutation.
        let n = 200
        var spectrum = (0..<(n - 4)).map { 0.01 + 0.99 * Double($0) / Double(n - 5) }
        spectrum += [-5, -4, 8, 10]
        var generator = SeededGenerator(seed: 9)
        spectrum.shuffle(using: &generator)
        let result = extremeEigenvalues(count: 2, dimension: n, steps: 60, seed: 4) { v in zip(spectrum, v).map { $0 * $1 } }
        assertClose(result.largest, [10, 8], rtol: 1e-6)
        assertClose(result.smallest, [-5, -4], rtol: 1e-6)
        XCTAssertEqual(result.steps, 60)
    }

    func testInvariantSubspaceRestartStillFindsAllEigenvalues() {
        // A diagonal operator started from e₀ is invariant after one step; restarts must find the rest.
        let spectrum: [Double] = [3, -1, 2, 7, 0.5]
        let tridiagonal = LanczosTridiagonal(dimension: 5, steps: 5, startVector: [1, 0, 0, 0, 0]) { v in zip(spectrum, v).map { $0 * $1 } }
        assertClose(tridiagonal.ritzValues, spectrum.sorted(), rtol: 1e-9, atol: 1e-9)
    }

    func testHessianEigenvaluesOfAQuarticObjective() {
        let n = 8
        let objective = QuadraticPlusQuarticObjective(matrix: RandomMatrices.symmetric(size: n, seed: 8), linear: [Double](repeating: 0.3, count: n))
        let point = [0.2, -0.5, 1, 0.3, -0.1, 0.7, -1.2, 0.4]
        let reference = SymmetricEigenvalues.jacobi(objective.exactHessian(point), size: n)
        assertClose(smallestHessianEigenvalue(objective, at: point), reference.first!, rtol: 1e-5, atol: 1e-6)
        assertClose(largestHessianEigenvalue(objective, at: point), reference.last!, rtol: 1e-5, atol: 1e-6)
    }
}
