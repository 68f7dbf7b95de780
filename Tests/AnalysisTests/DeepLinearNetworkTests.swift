@testable import Analysis
import TestSupport
import XCTest

final class DeepLinearNetworkTests: XCTestCase {
    /// n examples with Gaussian inputs and one-hot targets of a noisy linear teacher.
    static func makeNetwork(layerSizes: [Int], loss: DeepLinearNetwork.Loss, count: Int = 9, seed: UInt64 = 3) -> DeepLinearNetwork {
        var generator = SeededGenerator(seed: seed)
        let inputSize = layerSizes.first!, outputSize = layerSizes.last!
        let inputs = (0..<(count * inputSize)).map { _ in generator.nextGaussian() }
        let teacher = (0..<(outputSize * inputSize)).map { _ in generator.nextGaussian() }
        var targets = [Double](repeating: 0, count: count * outputSize)
        for i in 0..<count {
            let scores = (0..<outputSize).map { k in
                (0..<inputSize).reduce(0.0) { $0 + teacher[k * inputSize + $1] * inputs[i * inputSize + $1] } + 0.5 * generator.nextGaussian()
            }
            targets[i * outputSize + scores.indices.max { scores[$0] < scores[$1] }!] = 1
        }
        return DeepLinearNetwork(layerSizes: layerSizes, loss: loss, inputs: inputs, targets: targets)
    }

    static let architectures = [[3, 2], [3, 4, 2], [3, 4, 3, 2]]

    func testGradientMatchesFiniteDifferencesForDepthsOneTwoThreeAndBothLosses() {
        for sizes in Self.architectures {
            for loss in DeepLinearNetwork.Loss.allCases {
                let network = Self.makeNetwork(layerSizes: sizes, loss: loss)
                let point = network.glorotUniformParameters(seed: 5)
                let analytic = network.valueAndGradient(point)
                assertClose(analytic.value, network.value(point), rtol: 1e-12)
                assertClose(analytic.gradient, numericalGradient(network.value, at: point), rtol: 1e-6, atol: 1e-8, "\(sizes) \(loss)")
            }
        }
    }

    func testHessianFromVectorProductsMatchesFiniteDifferencesOfTheGradient() {
        for sizes in Self.architectures {
            for loss in DeepLinearNetwork.Loss.allCases {
                let network = Self.makeNetwork(layerSizes: sizes, loss: loss)
                let point = network.glorotUniformParameters(seed: 8)
                let n = network.parameterCount
                let hessian = denseHessian(network, at: point)
                for column in 0..<n {
                    // Reference: coordinate-wise differences of one gradient entry (the gradient itself is checked above).
                    let reference = numericalGradient({ network.valueAndGradient($0).gradient[column] }, at: point)
                    assertClose((0..<n).map { hessian[$0 * n + column] }, reference, rtol: 1e-5, atol: 1e-7, "\(sizes) \(loss) column \(column)")
                }
            }
        }
    }

    func testOriginIsAStrictSaddleAtDepthTwoAndADegenerateCriticalPointAtDepthThree() {
        let two = Self.makeNetwork(layerSizes: [3, 4, 2], loss: .meanSquared)
        let zeroTwo = [Double](repeating: 0, count: two.parameterCount)
        XCTAssertEqual(two.valueAndGradient(zeroTwo).gradient.map(abs).max()!, 0)
        let spectrumTwo = SymmetricEigenvalues.jacobi(denseHessian(two, at: zeroTwo), size: two.parameterCount)
        XCTAssertLessThan(spectrumTwo.first!, -1e-3, "depth 2: negative curvature at 0")
        XCTAssertGreaterThan(spectrumTwo.last!, 1e-3, "depth 2: positive curvature at 0")

        let three = Self.makeNetwork(layerSizes: [3, 4, 3, 2], loss: .meanSquared)
        let zeroThree = [Double](repeating: 0, count: three.parameterCount)
        // Every second derivative of a degree-6 polynomial with no terms below degree 3 (plus the constant) vanishes at 0.
        XCTAssertLessThan(denseHessian(three, at: zeroThree).map(abs).max()!, 1e-8)
    }

    func testEndToEndMatrixIsTheProductOfTheWeights() {
        let network = Self.makeNetwork(layerSizes: [3, 4, 2], loss: .meanSquared)
        let point = network.glorotUniformParameters(seed: 1)
        let w1 = network.weight(1, in: point), w2 = network.weight(2, in: point)
        var expected = [Double](repeating: 0, count: 2 * 3)
        for r in 0..<2 { for c in 0..<3 { for k in 0..<4 { expected[r * 3 + c] += w2[r * 4 + k] * w1[k * 3 + c] } } }
        assertClose(network.endToEndMatrix(point), expected, rtol: 1e-12)
        // The outputs only depend on that product: compare with a depth-1 network holding it.
        let collapsed = network.with(layerSizes: [3, 2])
        assertClose(collapsed.outputs(network.endToEndMatrix(point)), network.outputs(point), rtol: 1e-12, atol: 1e-12)
    }

    func testPermutingAndRescalingHiddenUnitsLeavesTheFunctionUnchangedButMovesTheParameters() {
        for loss in DeepLinearNetwork.Loss.allCases {
            let network = Self.makeNetwork(layerSizes: [3, 4, 3, 2], loss: loss)
            let point = network.glorotUniformParameters(seed: 2)
            let permuted = network.permuteHiddenUnits(point, layer: 1, permutation: [2, 0, 3, 1])
            let permutedAgain = network.permuteHiddenUnits(permuted, layer: 2, permutation: [1, 2, 0])
            let rescaled = network.rescaleHiddenUnit(permutedAgain, layer: 2, unit: 1, by: -2.5)
            for twin in [permuted, permutedAgain, rescaled] {
                XCTAssertGreaterThan(zip(twin, point).map { abs($0 - $1) }.max()!, 1e-3)
                assertClose(network.value(twin), network.value(point), rtol: 1e-12, "\(loss)")
                assertClose(network.endToEndMatrix(twin), network.endToEndMatrix(point), rtol: 1e-12, atol: 1e-14)
            }
        }
    }

    func testLeastSquaresSolutionMatchesATrainedDepthOneNetworkAndTrainedDepthTwoReachesIt() {
        let depthOne = Self.makeNetwork(layerSizes: [4, 3], loss: .meanSquared, count: 40)
        let solution = depthOne.leastSquaresSolution()!
        let run = gradientDescent(on: depthOne, from: depthOne.glorotUniformParameters(seed: 4), learningRate: 0.5, iterations: 3000)
        assertClose(run.finalParameters, solution, rtol: 1e-6, atol: 1e-8)
        XCTAssertLessThan(run.finalGradientNorm, 1e-8)

        // Depth 2, hidden width ≥ min(d₀, d_L): gradient descent still reaches the global minimum.
        let depthTwo = depthOne.with(layerSizes: [4, 5, 3])
        let runTwo = gradientDescent(on: depthTwo, from: depthTwo.glorotUniformParameters(seed: 4), learningRate: 0.3, iterations: 4000)
        assertClose(depthTwo.endToEndMatrix(runTwo.finalParameters), solution, rtol: 1e-4, atol: 1e-5)
        assertClose(runTwo.losses.last!, depthOne.value(solution), rtol: 1e-8)
    }

    func testCholeskySolvesAPositiveDefiniteSystemAndRejectsAnIndefiniteOne() {
        let n = 6
        let matrix = RandomMatrices.positiveDefinite(size: n, seed: 6)
        let solution: [Double] = [1, -2, 0.5, 3, 0, -1, 2, 2, -4, 1, 0.5, 0.25]   // n × 2
        var rightHandSide = [Double](repeating: 0, count: n * 2)
        for r in 0..<n { for c in 0..<2 { for k in 0..<n { rightHandSide[r * 2 + c] += matrix[r * n + k] * solution[k * 2 + c] } } }
        let cholesky = CholeskyFactorization(matrix, size: n)!
        assertClose(cholesky.solve(rightHandSide, columns: 2), solution, rtol: 1e-10, atol: 1e-10)
        XCTAssertNil(CholeskyFactorization([1, 2, 2, 1], size: 2))
    }

    func testDepthTwoMeanSquaredLossFailsTheMidpointTestWhileDepthOnePasses() {
        // Width-1 hidden layer: θ = (w, 1) and its sign-flipped twin (−w, −1) compute the same
        // least-squares fit, but their midpoint is the origin, whose loss is ½ mean ‖y‖².
        let depthOne = Self.makeNetwork(layerSizes: [4, 1], loss: .meanSquared, count: 30)
        let depthTwo = depthOne.with(layerSizes: [4, 1, 1])
        let fit = depthOne.leastSquaresSolution()!
        let theta = fit + [1]
        let twin = depthTwo.rescaleHiddenUnit(theta, layer: 1, unit: 0, by: -1)
        assertClose(depthTwo.value(twin), depthTwo.value(theta), rtol: 1e-12)
        let midpoint = zip(theta, twin).map { ($0 + $1) / 2 }
        XCTAssertEqual(midpoint.map(abs).max()!, 0)
        let gap = depthTwo.value(midpoint) - (depthTwo.value(theta) + depthTwo.value(twin)) / 2
        XCTAssertGreaterThan(gap, 1e-3, "Jensen's inequality fails: the loss is not convex in the weights")
        XCTAssertGreaterThan(segmentProfile(depthTwo, from: theta, to: twin).largestGapAboveChord, 1e-3)

        var generator = SeededGenerator(seed: 17)
        let sample = { (size: Int) in (0..<size).map { _ in 2 * generator.nextGaussian() } }
        let deep = midpointConvexityTest(pairs: 500, samplePoint: { sample(depthTwo.parameterCount) }, function: depthTwo.value)
        XCTAssertGreaterThan(deep.violationRate, 0.01)
        XCTAssertGreaterThan(deep.largestGap, 0)
        let shallow = midpointConvexityTest(pairs: 500, samplePoint: { sample(depthOne.parameterCount) }, function: depthOne.value)
        XCTAssertEqual(shallow.violations, 0)
    }
}
