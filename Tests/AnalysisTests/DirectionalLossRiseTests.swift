@testable import Analysis
import XCTest

final class DirectionalLossRiseTests: XCTestCase {
    /// On L(x) = ½ xᵀ A x around its minimum, L(±r d) − L(0) = ½ r² dᵀ A d exactly.
    func testQuadraticRiseIsHalfTheCurvatureTimesTheSquaredStep() {
        let a = [[4.0, 1.0], [1.0, 2.0]]
        func loss(_ x: [Double]) -> Double {
            0.5 * (0..<2).reduce(0) { sum, i in sum + (0..<2).reduce(0) { $0 + x[i] * a[i][$1] * x[$1] } }
        }
        let directions = [[1.0, 0.0], [0.0, 1.0]]
        let profile = DirectionalLossRise.profile(center: [0, 0], directions: directions, radii: [0.5, 1], base: 0, loss: loss)
        XCTAssertEqual(profile.map(\.radius), [0.5, 1])
        XCTAssertEqual(profile[0].rises, [0.5, 0.5, 0.25, 0.25], "½ r² A_ii = ½ · 0.25 · (4, 4, 2, 2) for ± each direction")
        XCTAssertEqual(profile[1].mean, (4.0 + 4.0 + 2.0 + 2.0) / 2 / 4, accuracy: 1e-12)
    }
}
