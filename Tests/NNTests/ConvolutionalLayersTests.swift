import NN
import Tensor
import TestSupport
import XCTest

final class ConvolutionalLayersTests: XCTestCase {
    func testConv2DShapesAndParameters() {
        var generator = SeededGenerator(seed: 1)
        let layer = Conv2D(inputChannels: 3, outputChannels: 8, kernelSize: 3, stride: 2, padding: 1, generator: &generator)
        XCTAssertEqual(layer(Tensor.zeros([2, 3, 9, 9])).shape, [2, 8, 5, 5])
        XCTAssertEqual(layer.parameterCount, 8 * 3 * 9 + 8)
        let unbiased = Conv2D(inputChannels: 3, outputChannels: 8, kernelSize: 1, useBias: false, generator: &generator)
        XCTAssertEqual(unbiased.parameterCount, 24)
        XCTAssertEqual(unbiased.namedParameters().map(\.name), ["weight"])
    }

    func testHeNormalConvolutionScale() {
        var generator = SeededGenerator(seed: 2)
        let layer = Conv2D(inputChannels: 64, outputChannels: 64, kernelSize: 3, generator: &generator)
        let values = layer.weight.data
        let variance = values.map { $0 * $0 }.reduce(0, +) / Float(values.count)
        assertClose(variance, 2 / Float(64 * 9), rtol: 0.05)
    }

    func testBatchNormRunningStatisticsAreBuffersNotParameters() {
        let norm = BatchNorm2D(channels: 4)
        XCTAssertEqual(norm.parameterCount, 8)
        XCTAssertEqual(norm.namedParameters().map(\.name), ["weight", "bias"])
        XCTAssertEqual(norm.namedTensors().map(\.name), ["weight", "bias", "runningMean", "runningVariance"])
    }

    func testBatchNormUpdatesRunningStatisticsInTrainingAndUsesThemInEvaluation() {
        var generator = SeededGenerator(seed: 3)
        let norm = BatchNorm2D(channels: 2, momentum: 0.5)
        let x = Tensor.randomNormal([8, 2, 3, 3], mean: 4, standardDeviation: 3, generator: &generator)
        _ = norm(x)
        // After one step with momentum 0.5: halfway from (0, 1) to the batch statistics.
        var channelZero: [Float] = []
        for image in 0..<8 { channelZero += x.data[(image * 18)..<(image * 18 + 9)] }
        let mean = channelZero.reduce(0, +) / 72
        let unbiased = channelZero.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 71
        assertClose(norm.runningMean.data[0], mean / 2, rtol: 1e-4)
        assertClose(norm.runningVariance.data[0], (1 + unbiased) / 2, rtol: 1e-4)

        norm.train(false)
        let single = Tensor([Float](repeating: 5, count: 18), shape: [1, 2, 3, 3])
        let y = norm(single)
        let expected = (5 - norm.runningMean.data[0]) / (norm.runningVariance.data[0] + 1e-5).squareRoot()
        assertClose(y.data[0], expected, rtol: 1e-5)
        let before = norm.runningMean.data
        _ = norm(x)
        XCTAssertEqual(norm.runningMean.data, before, "evaluation must not move the running statistics")
    }

    // The blocks' ReLUs sit right after batch normalisation, where many values are near zero:
    // a step of 1e-2 crosses kinks and breaks finite differences, 1e-3 does not.
    func testBasicBlockGradientsInTrainingMode() {
        var generator = SeededGenerator(seed: 4)
        let block = BasicBlock(inputChannels: 2, width: 3, stride: 2, generator: &generator)
        XCTAssertNotNil(block.projection)
        let x = Tensor.randomNormal([3, 2, 5, 5], generator: &generator)
        XCTAssertEqual(block(x).shape, [3, 3, 3, 3])
        checkGradients([x] + block.parameters(), epsilon: 1e-3, tolerance: 2e-2) { _ in block(x) }
    }

    func testBottleneckGradientsInTrainingMode() {
        var generator = SeededGenerator(seed: 5)
        let block = Bottleneck(inputChannels: 4, width: 2, stride: 1, generator: &generator)
        XCTAssertNotNil(block.projection, "4 -> 8 channels needs a projection")
        let x = Tensor.randomNormal([2, 4, 3, 3], generator: &generator)
        XCTAssertEqual(block(x).shape, [2, 8, 3, 3])
        checkGradients([x] + block.parameters(), epsilon: 1e-3, tolerance: 2e-2) { _ in block(x) }
        let identity = Bottleneck(inputChannels: 8, width: 2, generator: &generator)
        XCTAssertNil(identity.projection)
    }

    func testInferenceModeKeepsModelInEvaluation() {
        let norm = BatchNorm2D(channels: 1)
        let wrapped = InferenceMode(norm)
        wrapped.train(true)
        XCTAssertFalse(norm.isTraining)
        XCTAssertEqual(wrapped.parameterCount, 2)
    }
}
