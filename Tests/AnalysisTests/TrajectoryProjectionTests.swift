@testable import Analysis
import TestSupport
import XCTest

final class TrajectoryProjectionTests: XCTestCase {
    /// Iterates on a known plane through θ_final: the projection finds it (all variance in two
    /// directions), recovers the path's coordinates up to sign and rotation, and has unit,
    /// orthogonal directions.
    func testIteratesOnAPlaneAreRecovered() {
        var generator = SeededGenerator(seed: 11)
        let dimension = 300
        let final = (0..<dimension).map { _ in generator.nextGaussian() }
        var u = (0..<dimension).map { _ in generator.nextGaussian() }
        var v = (0..<dimension).map { _ in generator.nextGaussian() }
        let un = sqrt(dot(u, u)); u = u.map { $0 / un }
        v = zip(v, u).map { $0 - dot(v, u) * $1 }
        let vn = sqrt(dot(v, v)); v = v.map { $0 / vn }
        // A curved path: long along u, a bend along v, ending at the final weights.
        let coordinates = (0...20).map { t -> (Double, Double) in
            let s = 1 - Double(t) / 20
            return (5 * s, 1.5 * sin(.pi * s))
        }
        let iterates = coordinates.map { a, b in (0..<dimension).map { final[$0] + a * u[$0] + b * v[$0] } }
        let projection = TrajectoryProjection(iterates: iterates)
        XCTAssertEqual(projection.explainedVarianceRatios.reduce(0, +), 1, accuracy: 1e-9)
        XCTAssertGreaterThan(projection.explainedVarianceRatios[0], projection.explainedVarianceRatios[1])
        for direction in projection.directions { XCTAssertEqual(dot(direction, direction), 1, accuracy: 1e-9) }
        XCTAssertEqual(dot(projection.directions[0], projection.directions[1]), 0, accuracy: 1e-9)
        // Distances within the plane are preserved by any rotation/reflection of it.
        for (index, (a, b)) in coordinates.enumerated() {
            XCTAssertEqual(hypot(projection.alphas[index], projection.betas[index]), hypot(a, b), accuracy: 1e-8)
        }
        XCTAssertEqual(projection.alphas.last!, 0, accuracy: 1e-12)
        XCTAssertEqual(projection.betas.last!, 0, accuracy: 1e-12)
    }

    /// Off-plane noise shows up as unexplained variance, not as a third axis in the plot.
    func testNoiseLowersTheExplainedShare() {
        var generator = SeededGenerator(seed: 12)
        let dimension = 50
        let iterates = (0..<12).map { t in (0..<dimension).map { p in (p == 0 ? Double(t) : 0) + 0.3 * generator.nextGaussian() } }
        let projection = TrajectoryProjection(iterates: iterates)
        XCTAssertLessThan(projection.explainedVarianceRatios.reduce(0, +), 0.999)
        XCTAssertGreaterThan(projection.explainedVarianceRatios[0], 0.5)
    }

    /// The Gram eigenpairs against Jacobi's eigenvalues on a random positive semi-definite matrix.
    func testTopEigenvectorsMatchJacobi() {
        var generator = SeededGenerator(seed: 13)
        let n = 7
        let factor = (0..<(n * n)).map { _ in generator.nextGaussian() }
        var matrix = [Double](repeating: 0, count: n * n)
        for r in 0..<n { for c in 0..<n { for k in 0..<n { matrix[r * n + c] += factor[r * n + k] * factor[c * n + k] } } }
        let pairs = TrajectoryProjection.topEigenvectors(of: matrix, size: n, count: 2)
        let reference = SymmetricEigenvalues.jacobi(matrix, size: n).sorted(by: >)
        XCTAssertEqual(pairs[0].value, reference[0], accuracy: 1e-8 * reference[0])
        XCTAssertEqual(pairs[1].value, reference[1], accuracy: 1e-8 * reference[0])
    }
}
