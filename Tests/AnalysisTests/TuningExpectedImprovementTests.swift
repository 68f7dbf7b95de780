@testable import Analysis
import TestSupport
import XCTest

final class TuningExpectedImprovementTests: XCTestCase {
    func testKnownValues() {
        // z = 0: EI = σ φ(0) = σ/√(2π).
        assertClose(ExpectedImprovement.value(mean: 0.8, standardDeviation: 0.3, incumbent: 0.8), 0.3 / (2 * Double.pi).squareRoot(), rtol: 1e-14)
        // z = 1: h(1) = Φ(1) + φ(1) = 0.8413447460685429 + 0.24197072451914337.
        assertClose(ExpectedImprovement.value(mean: 1.5, standardDeviation: 0.5, incumbent: 1), 0.5 * (0.8413447460685429 + 0.24197072451914337), rtol: 1e-13)
        // Certain outcomes: the improvement itself, or none.
        XCTAssertEqual(ExpectedImprovement.value(mean: 2, standardDeviation: 0, incumbent: 1.5), 0.5)
        XCTAssertEqual(ExpectedImprovement.value(mean: 1, standardDeviation: 0, incumbent: 1.5), 0)
        XCTAssertEqual(ExpectedImprovement.logarithm(mean: 1, standardDeviation: 0, incumbent: 1.5), -.infinity)
    }

    func testMatchesNumericalIntegrationOfTheDefinition() {
        // EI = ∫ max(f − f*, 0) N(f; μ, σ²) df by the midpoint rule.
        let (mean, deviation, incumbent) = (0.3, 0.4, 0.5)
        let step = 1e-4
        var integral = 0.0
        for i in 0..<Int(10 * deviation / step) {
            let f = incumbent + (Double(i) + 0.5) * step
            let z = (f - mean) / deviation
            integral += (f - incumbent) * exp(-0.5 * z * z) / (deviation * (2 * Double.pi).squareRoot()) * step
        }
        assertClose(ExpectedImprovement.value(mean: mean, standardDeviation: deviation, incumbent: incumbent), integral, rtol: 1e-6)
    }

    func testLogAgreesWithLogOfValueWhereRepresentable() {
        for z in stride(from: -30.0, through: 6, by: 0.25) {
            let direct = ExpectedImprovement.value(mean: z * 0.7 + 2, standardDeviation: 0.7, incumbent: 2)
            let logarithm = ExpectedImprovement.logarithm(mean: z * 0.7 + 2, standardDeviation: 0.7, incumbent: 2)
            // Direct evaluation cancels ~2 log₁₀|z| digits in the tail; the tolerance allows for that.
            assertClose(logarithm, log(direct), rtol: 1e-9, atol: 1e-9, "z = \(z)")
        }
    }

    func testContinuousAcrossRegimes() {
        for boundary in [-1.0, -10.0] {
            // The slope of log h is Φ(z)/h(z) < |z| + 2, so a 2·10⁻¹² step moves it < 3·10⁻¹¹.
            let below = ExpectedImprovement.logImprovementFactor(boundary - 1e-12)
            let above = ExpectedImprovement.logImprovementFactor(boundary + 1e-12)
            assertClose(below, above, rtol: 0, atol: 5e-11, "at z = \(boundary)")
        }
    }

    func testLogStaysFiniteWhereTheValueUnderflows() {
        var previous = -Double.infinity
        for z in [-1e6, -1e4, -1e3, -100, -40] {
            XCTAssertEqual(ExpectedImprovement.value(mean: z, standardDeviation: 1, incumbent: 0), 0, "underflows at z = \(z)")
            let logarithm = ExpectedImprovement.logImprovementFactor(z)
            XCTAssertTrue(logarithm.isFinite, "z = \(z)")
            XCTAssertGreaterThan(logarithm, previous, "increasing in z")
            previous = logarithm
            // Leading asymptotics: log h(z) ≈ −z²/2 − ½ log 2π − 2 log|z| − 3/z².
            assertClose(logarithm, -0.5 * z * z - 0.5 * log(2 * Double.pi) - 2 * log(-z) - 3 / (z * z), rtol: 1e-12, atol: 1e-4)
        }
    }
}
