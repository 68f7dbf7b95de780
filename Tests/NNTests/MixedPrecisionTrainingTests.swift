import NN
import Tensor
import XCTest

/// bf16 mixed precision is for training steps only (issue 23): a step of a network whose
/// convolutions are products (im2col) lands in bf16 near the fp32 step's weights but not on them,
/// and evaluation is fp32 whatever the training precision, so it gives identical numbers for
/// identical weights. LeNet-5's convolutions take the direct fp32 kernels in either precision.
final class MixedPrecisionTrainingTests: XCTestCase {
    private func batch() -> (Tensor, [Int32]) {
        var generator = SeededGenerator(seed: 5)
        let images = (0..<(8 * 28 * 28)).map { _ in generator.nextUnitFloat() }
        return (Tensor(images, shape: [8, 1, 28, 28]), (0..<8).map { Int32($0 % 10) })
    }

    /// A small network whose convolution (1 to 32 filters) is too wide for the direct kernels.
    private func productNetwork() -> Sequential {
        var generator = SeededGenerator(seed: 3)
        return Sequential(Conv2D(inputChannels: 1, outputChannels: 32, kernelSize: 3, padding: 1, activation: relu, generator: &generator),
                          MaxPool2D(kernelSize: 4), Flatten(),
                          Dense(inputSize: 32 * 7 * 7, outputSize: 10, generator: &generator))
    }

    /// Three Adam steps on one batch: the weights after them and the loss of each step.
    private func train(_ precision: ComputePrecision, _ model: Module & UnaryLayer) -> (weights: [Float], losses: [Float]) {
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: 1e-3), batchSize: 8, seed: 3)
        let (input, labels) = batch()
        let losses = ComputePrecision.withTrainingPrecision(precision) {
            (0..<3).map { _ in trainer.step(input, labels: labels).loss }
        }
        return (model.flattenedParameters(), losses)
    }

    func testATrainingStepInBF16IsCloseToFP32AndEvaluationIsFP32() throws {
        try XCTSkipUnless(ComputePrecision.bf16Supported, "this CPU has no AVX512_BF16")
        let fp32 = train(.fp32, productNetwork()), bf16 = train(.bf16, productNetwork())
        XCTAssertEqual(bf16.weights, train(.bf16, productNetwork()).weights, "repeatable")
        XCTAssertNotEqual(bf16.losses[0], fp32.losses[0], "the bf16 products ran in the step")
        for (low, high) in zip(bf16.losses, fp32.losses) {
            XCTAssertEqual(low, high, accuracy: 0.01 * high, "each step's loss within bf16's rounding of fp32's")
        }
        // Adam moves a weight by at most about the learning rate per step, whichever way its
        // gradient's sign says (for weights with tiny gradients bf16 may flip that sign).
        XCTAssertLessThanOrEqual(zip(fp32.weights, bf16.weights).map { abs($0 - $1) }.max() ?? 0, 2 * 3 * 1e-3 + 1e-6)

        let model = productNetwork()
        let (input, labels) = batch()
        let data = LabeledData(features: input.data, labels: labels, sampleShape: [1, 28, 28])
        let evaluator = Trainer(model: model, optimizer: Adam(), batchSize: 8, seed: 3)
        let plain = evaluator.evaluate(data)
        let underBF16 = ComputePrecision.withTrainingPrecision(.bf16) { evaluator.evaluate(data) }
        XCTAssertEqual(plain.loss, underBF16.loss, "evaluation is fp32 whatever the training precision")
        XCTAssertEqual(plain.predictions, underBF16.predictions)
    }

    /// Where the direct kernels run (AVX-512), LeNet-5's step is the fp32 step in either precision.
    func testLeNet5StepsInFP32UnderEitherPrecision() throws {
        try XCTSkipUnless(ComputePrecision.bf16Supported && DirectConvolution.isAvailable,
                          "needs AVX512_BF16 and the direct kernels")
        XCTAssertEqual(train(.bf16, LeNet5(seed: 3)).weights, train(.fp32, LeNet5(seed: 3)).weights)
    }
}
