import NN
import Tensor
import TestSupport
import XCTest

final class LossesTests: XCTestCase {
    func testCrossEntropyReductions() {
        let logits = Tensor([1, 2, 3, 1, 2, 3], shape: [2, 3])
        assertClose(crossEntropy(logits: logits, targets: [2, 0], reduction: .none).data, [0.40760596, 2.40760596])
        assertClose(crossEntropy(logits: logits, targets: [2, 0], reduction: .sum).scalar, 2.81521192)
        assertClose(crossEntropy(logits: logits, targets: [2, 0]).scalar, 1.40760596)
    }

    func testCrossEntropyStableAtLargeLogits() {
        let logits = Tensor([1e4, -1e4, 0, 2e4], shape: [2, 2], requiresGradient: true)
        let loss = crossEntropy(logits: logits, targets: [1, 0])
        assertClose(loss.scalar, 2e4, rtol: 1e-6)     // each sample is 2e4 away from its target logit
        loss.backward()
        XCTAssertTrue(logits.grad!.allSatisfy(\.isFinite))
        assertClose(logits.grad!, [0.5, -0.5, -0.5, 0.5])
    }

    func testCrossEntropyGradient() {
        checkGradients([randomTensor([3, 4], seed: 1)]) { crossEntropy(logits: $0[0], targets: [3, 0, 1]) }
    }

    func testMeanSquaredErrorValueAndGradient() {
        let predictions = Tensor([1, 2, 3, 4], shape: [2, 2]), targets = Tensor([0, 2, 5, 4], shape: [2, 2])
        assertClose(meanSquaredError(predictions: predictions, targets: targets).scalar, 1.25)
        assertClose(meanSquaredError(predictions: predictions, targets: targets, reduction: .sum).scalar, 5)
        checkGradients([randomTensor([2, 3], seed: 2), randomTensor([2, 3], seed: 3)]) {
            meanSquaredError(predictions: $0[0], targets: $0[1])
        }
    }

    func testLossValuesSwapByArgument() {
        let logits = randomTensor([4, 3], seed: 4)
        let labels: [Int32] = [0, 1, 2, 1]
        assertClose(Loss.crossEntropy(logits: logits, labels: labels).scalar,
                    crossEntropy(logits: logits, targets: labels).scalar)
        let expected = meanSquaredError(predictions: softmax(logits), targets: oneHot(labels, classCount: 3)).scalar
        assertClose(Loss.meanSquaredError(logits: logits, labels: labels).scalar, expected)
        checkGradients([randomTensor([4, 3], seed: 5)]) { Loss.meanSquaredError(logits: $0[0], labels: labels) }
    }
}
