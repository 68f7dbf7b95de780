@testable import Analysis
import TestSupport
import XCTest

final class MidpointConvexityTestTests: XCTestCase {
    func testConvexQuadraticHasNoViolations() {
        var generator = SeededGenerator(seed: 1)
        let result = midpointConvexityTest(pairs: 2000, samplePoint: { [generator.nextGaussian() * 5, generator.nextGaussian() * 5] },
                                           function: { 3 * $0[0] * $0[0] + $0[0] * $0[1] + $0[1] * $0[1] })
        XCTAssertEqual(result.violations, 0)
        XCTAssertNil(result.firstViolation)
    }

    func testSaddleHasViolations() {
        var generator = SeededGenerator(seed: 2)
        let result = midpointConvexityTest(pairs: 2000, samplePoint: { [generator.nextGaussian(), generator.nextGaussian()] },
                                           function: { $0[0] * $0[0] - $0[1] * $0[1] })
        XCTAssertGreaterThan(result.violationRate, 0.3)
        XCTAssertNotNil(result.firstViolation)
    }

    func testSeededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 99), b = SeededGenerator(seed: 99), c = SeededGenerator(seed: 100)
        let first = (0..<5).map { _ in a.next() }
        XCTAssertEqual(first, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(first, (0..<5).map { _ in c.next() })
    }
}
