@testable import Analysis
import TestSupport
import XCTest

final class LossLandscapeTests: XCTestCase {
    func testGridValuesAreIndexedByBetaThenAlpha() {
        let center: [Double] = [1, -1, 0.5]
        let first: [Double] = [1, 0, 0], second: [Double] = [0, 2, 0]
        let loss = { (p: [Double]) in p[0] * p[0] + 3 * p[1] + p[2] }
        let alphas = evenlySpacedValues(from: -1, through: 1, count: 5)
        let betas = evenlySpacedValues(from: 0, through: 1, count: 3)
        let serial = LossLandscape2D(center: center, firstDirection: first, secondDirection: second, alphas: alphas, betas: betas, loss: loss)
        XCTAssertEqual(serial.values.count, 3)
        XCTAssertEqual(serial.values[0].count, 5)
        for (j, beta) in betas.enumerated() {
            for (i, alpha) in alphas.enumerated() {
                assertClose(serial.values[j][i], loss([1 + alpha, -1 + 2 * beta, 0.5]), rtol: 1e-12, atol: 1e-12)
            }
        }
        let minimum = serial.minimum
        XCTAssertEqual(minimum.alpha, -1)
        XCTAssertEqual(minimum.beta, 0)

        let decoded = try! JSONDecoder().decode(LossLandscape2D.self, from: JSONEncoder().encode(serial))
        XCTAssertEqual(decoded.values, serial.values)
    }

    func testFilterNormalizedLandscapeOfADeepLinearNetworkIsCentredOnItsLoss() {
        let network = DeepLinearNetworkTests.makeNetwork(layerSizes: [3, 4, 2], loss: .softmaxCrossEntropy)
        let center = network.glorotUniformParameters(seed: 6)
        let landscape = LossLandscape2D(center: center,
                                        firstDirection: filterNormalizedDirection(layout: network.parameterLayout, parameters: center, seed: 2),
                                        secondDirection: filterNormalizedDirection(layout: network.parameterLayout, parameters: center, seed: 3),
                                        alphas: evenlySpacedValues(from: -1, through: 1, count: 5),
                                        betas: evenlySpacedValues(from: -1, through: 1, count: 5), loss: network.value)
        assertClose(landscape.values[2][2], network.value(center), rtol: 1e-12)
        XCTAssertTrue(landscape.values.joined().allSatisfy { $0.isFinite })
    }

    func testInterpolationHitsTheEndpointsAndDefaultsToMinusHalfToOneAndAHalf() {
        let start: [Double] = [0, 0], end: [Double] = [2, -2]
        let loss = { (p: [Double]) in p[0] * p[0] + p[1] }
        let line = LossInterpolation1D(from: start, to: end, loss: loss)
        XCTAssertEqual(line.alphas.count, 41)
        XCTAssertEqual(line.alphas.first, -0.5)
        XCTAssertEqual(line.alphas.last, 1.5)
        assertClose(line.values[10], loss(start), atol: 1e-12)   // α = 0
        assertClose(line.values[30], loss(end), atol: 1e-12)     // α = 1
    }

    func testSegmentProfileOfAConvexQuadraticStaysBelowItsChordAndMidpointTestFindsNothing() {
        let matrix = RandomMatrices.positiveDefinite(size: 5, seed: 4)
        let quadratic = QuadraticPlusQuarticObjective(matrix: matrix, linear: [1, 0, -1, 2, 0.5])
        let profile = segmentProfile(quadratic, from: [1, 2, 3, -1, 0], to: [-2, 0.5, 1, 4, 2], points: 11)
        XCTAssertEqual(profile.t.count, 11)
        XCTAssertEqual(profile.values.first, profile.chord.first)
        XCTAssertLessThanOrEqual(profile.largestGapAboveChord, 1e-12)
        var generator = SeededGenerator(seed: 5)
        let result = midpointConvexityTest(pairs: 500, samplePoint: { (0..<5).map { _ in 3 * generator.nextGaussian() } },
                                           function: quadratic.value)
        XCTAssertEqual(result.violations, 0)
        XCTAssertLessThan(result.largestGap, 0)
    }
}
