@testable import Analysis
import TestSupport
import XCTest

final class TuningLimitedMemoryBFGSTests: XCTestCase {
    func testMinimisesTheRosenbrockFunction() throws {
        let result = try XCTUnwrap(LimitedMemoryBFGS.minimize(from: [-1.2, 1], maximumIterations: 200) { p in
            let (x, y) = (p[0], p[1])
            return ((1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
                    [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
        })
        assertClose(result.point, [1, 1], rtol: 0, atol: 1e-4)
        XCTAssertLessThan(result.value, 1e-8)
    }

    func testBacksOffWhereTheFunctionIsUndefined() throws {
        // log barrier: undefined for x ≤ 0; minimum of x − log x at x = 1.
        let result = try XCTUnwrap(LimitedMemoryBFGS.minimize(from: [5]) { p in
            p[0] > 0 ? (p[0] - log(p[0]), [1 - 1 / p[0]]) : nil
        })
        assertClose(result.point, [1], rtol: 0, atol: 1e-5)
    }
}
