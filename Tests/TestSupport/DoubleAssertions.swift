import XCTest

/// |actual − expected| ≤ atol + rtol·|expected|, elementwise.
public func assertClose(_ actual: [Double], _ expected: [Double], rtol: Double = 1e-6, atol: Double = 1e-9,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count mismatch \(message)", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() {
        XCTAssertLessThanOrEqual(abs(a - e), atol + rtol * abs(e), "element \(index): \(a) vs \(e) \(message)", file: file, line: line)
    }
}

public func assertClose(_ actual: Double, _ expected: Double, rtol: Double = 1e-6, atol: Double = 1e-9,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    assertClose([actual], [expected], rtol: rtol, atol: atol, message, file: file, line: line)
}

/// Central-difference gradient of f at x.
public func numericalGradient(_ f: ([Double]) -> Double, at x: [Double], step: Double = 1e-5) -> [Double] {
    x.indices.map { i in
        var plus = x, minus = x
        plus[i] += step
        minus[i] -= step
        return (f(plus) - f(minus)) / (2 * step)
    }
}
