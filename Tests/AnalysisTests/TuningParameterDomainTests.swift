@testable import Analysis
import TestSupport
import XCTest

final class TuningParameterDomainTests: XCTestCase {
    func testLogUniformQuantilesAreGeometric() {
        let domain = ParameterDomain.logUniform(lower: 1e-4, upper: 1e-2)
        assertClose(domain.value(atQuantile: 0).numericValue!, 1e-4, rtol: 1e-12)
        assertClose(domain.value(atQuantile: 0.5).numericValue!, 1e-3, rtol: 1e-12)
        assertClose(domain.value(atQuantile: 0.25).numericValue!, pow(10, -3.5), rtol: 1e-12)
        assertClose(domain.encode(.real(1e-3)), [0.5], rtol: 1e-12)
    }

    func testDiscreteQuantilesSplitTheIntervalEvenly() {
        let ordinal = ParameterDomain.ordinal(levels: [.integer(64), .integer(128), .integer(256)])
        XCTAssertEqual([0.0, 0.33, 0.34, 0.66, 0.67, 0.999].map { ordinal.value(atQuantile: $0) },
                       [.integer(64), .integer(64), .integer(128), .integer(128), .integer(256), .integer(256)])
        let integers = ParameterDomain.integer(lower: 1, upper: 4)
        XCTAssertEqual([0.1, 0.3, 0.6, 0.9].map { integers.value(atQuantile: $0) }, [1, 2, 3, 4].map(ParameterValue.integer))
        XCTAssertEqual(ParameterDomain.categorical(choices: ["relu", "tanh"]).value(atQuantile: 0.7), .category("tanh"))
    }

    func testEncodingsByKind() {
        let ordinal = ParameterDomain.ordinal(levels: [.integer(64), .integer(128), .integer(256)])
        XCTAssertEqual(ordinal.encode(.integer(128)), [0.5])
        XCTAssertEqual(ordinal.encode(.integer(256)), [1])
        let categorical = ParameterDomain.categorical(choices: ["relu", "tanh", "sigmoid"])
        XCTAssertEqual(categorical.encodedWidth, 3)
        XCTAssertEqual(categorical.encode(.category("tanh")), [0, 1, 0])
        XCTAssertEqual(categorical.decode([0.2, 0.1, 0.7]), .category("sigmoid"))
        XCTAssertEqual(ParameterDomain.integer(lower: 1, upper: 5).decode([0.6]), .integer(3))
        XCTAssertEqual(ParameterDomain.uniform(lower: 0, upper: 0.5).encode(.real(0.125)), [0.25])
    }

    func testDecodeClampsAndRoundsToValidValues() {
        XCTAssertEqual(ParameterDomain.uniform(lower: 0, upper: 1).decode([1.7]), .real(1))
        XCTAssertEqual(ParameterDomain.integer(lower: 2, upper: 4).decode([-0.3]), .integer(2))
        let ordinal = ParameterDomain.ordinal(levels: [.real(0), .real(0.25), .real(0.5)])
        XCTAssertEqual(ordinal.decode([0.76]), .real(0.5))
        XCTAssertEqual(ordinal.decode([0.74]), .real(0.25))
        XCTAssertEqual(ordinal.decode([0.24]), .real(0))
    }

    func testContainsChecksKindAndRange() {
        let domain = ParameterDomain.logUniform(lower: 1e-4, upper: 1e-2)
        XCTAssertTrue(domain.contains(.real(1e-3)))
        XCTAssertFalse(domain.contains(.real(1e-1)))
        XCTAssertFalse(domain.contains(.integer(0)))
        XCTAssertEqual(domain.levelCount, nil)
        XCTAssertEqual(ParameterDomain.integer(lower: 1, upper: 20).levelCount, 20)
    }
}
