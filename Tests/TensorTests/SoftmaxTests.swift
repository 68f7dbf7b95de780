import Foundation
import Tensor
import TestSupport
import XCTest

final class SoftmaxTests: XCTestCase {
    func testSoftmaxRowsSumToOne() {
        let y = softmax(Tensor([1, 2, 3, -1, 0, 1], shape: [2, 3]))
        assertClose(y.data, [0.09003057, 0.24472847, 0.66524096, 0.09003057, 0.24472847, 0.66524096])
    }

    func testSoftmaxGradient() { checkGradients([randomTensor([3, 4], seed: 60)]) { softmax($0[0]) } }

    func testCrossEntropyValue() {
        let losses = softmaxCrossEntropy(logits: Tensor([1, 2, 3, 1, 2, 3], shape: [2, 3]), labels: [2, 0])
        assertClose(losses.data, [0.40760596, 2.40760596])
    }

    func testCrossEntropyGradient() {
        checkGradients([randomTensor([4, 5], seed: 61)]) { softmaxCrossEntropy(logits: $0[0], labels: [0, 4, 2, 2]) }
    }

    func testCrossEntropyIsStableForHugeLogits() {
        let logits = Tensor([1e4, 0, -1e4, -1e4, 1e4, 1e4 - 1], shape: [2, 3], requiresGradient: true)
        let losses = softmaxCrossEntropy(logits: logits, labels: [0, 2])
        XCTAssertTrue(losses.data.allSatisfy(\.isFinite))
        assertClose(losses.data, [0, 1.3132616], rtol: 1e-5, atol: 1e-6)   // log(1 + e)
        mean(losses).backward()
        XCTAssertTrue(logits.grad!.allSatisfy(\.isFinite))
        assertClose(logits.grad!, [0, 0, 0, 0, 0.36552930, -0.36552930], rtol: 1e-4, atol: 1e-6)
        let probabilities = softmax(Tensor([1e4, -1e4], shape: [1, 2]))
        assertClose(probabilities.data, [1, 0])
    }
}
