import Tensor
import TestSupport
import XCTest

final class ElementwiseTests: XCTestCase {
    func testBinaryValuesAndSuffixBroadcast() {
        let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = Tensor([10, 20, 30], shape: [3])
        assertClose((a + b).data, [11, 22, 33, 14, 25, 36])
        assertClose((b - a).data, [9, 18, 27, 6, 15, 24])
        assertClose((a * b).data, [10, 40, 90, 40, 100, 180])
        assertClose((a / b).data, [0.1, 0.1, 0.1, 0.4, 0.25, 0.2])
        assertClose((a * 2).data, [2, 4, 6, 8, 10, 12])
        assertClose((-a).data, [-1, -2, -3, -4, -5, -6])
        XCTAssertEqual((b - a).shape, [2, 3])
    }

    func testAddGradients() {
        checkGradients([randomTensor([2, 3], seed: 1), randomTensor([2, 3], seed: 2)]) { $0[0] + $0[1] }
        checkGradients([randomTensor([2, 3], seed: 1), randomTensor([3], seed: 2)]) { $0[0] + $0[1] }
    }

    func testSubtractGradients() {
        checkGradients([randomTensor([4], seed: 3), randomTensor([4], seed: 4)]) { $0[0] - $0[1] }
        checkGradients([randomTensor([3], seed: 3), randomTensor([2, 3], seed: 4)]) { $0[0] - $0[1] }
    }

    func testMultiplyGradients() {
        checkGradients([randomTensor([2, 3], seed: 5), randomTensor([2, 3], seed: 6)]) { $0[0] * $0[1] }
        checkGradients([randomTensor([2, 3], seed: 5), randomTensor([], seed: 6)]) { $0[0] * $0[1] }
        checkGradients([randomTensor([3], seed: 5), randomTensor([2, 3], seed: 6)]) { $0[0] * $0[1] }
    }

    func testDivideGradients() {
        checkGradients([randomTensor([2, 3], seed: 7), randomTensor([2, 3], seed: 8, positive: true)]) { $0[0] / $0[1] }
        checkGradients([randomTensor([2, 3], seed: 7), randomTensor([3], seed: 8, positive: true)]) { $0[0] / $0[1] }
        checkGradients([randomTensor([3], seed: 7), randomTensor([2, 3], seed: 8, positive: true)]) { $0[0] / $0[1] }
    }

    func testNegateAndScalarGradients() {
        checkGradients([randomTensor([5], seed: 9)]) { -$0[0] * 3 + 1 }
    }

    func testReLU() {
        assertClose(relu(Tensor([-1, 0, 2], shape: [3])).data, [0, 0, 2])
        checkGradients([randomTensor([3, 4], seed: 10)]) { relu($0[0]) }
    }

    /// The fused residual end gives exactly `relu(a + b)`'s values and gradients, on a tensor
    /// long enough to be split over the cores and with a vector tail, also when an operand's
    /// gradient already holds a contribution from another use (added, not overwritten).
    func testRectifiedSumMatchesReLUOfSum() {
        var generator = SeededGenerator(seed: 21)
        let shape = [3, 5, 41, 43]
        let a = Tensor.randomNormal(shape, generator: &generator), b = Tensor.randomNormal(shape, generator: &generator)
        let seed = (0..<a.count).map { _ in Float(generator.nextUnitFloat() - 0.5) }
        func run(_ function: (Tensor, Tensor) -> Tensor) -> [[Float]] {
            let x = Tensor(a.data, shape: shape, requiresGradient: true), y = Tensor(b.data, shape: shape, requiresGradient: true)
            let output = function(x, y)
            (output + x * Tensor(2)).backward(gradient: seed)
            return [output.data, x.grad!, y.grad!]
        }
        let fused = run { rectifiedSum($0, $1) }
        XCTAssertEqual(fused, run { relu($0 + $1) })
        XCTAssertTrue(fused[0].contains(0) && fused[0].contains { $0 > 0 })
        checkGradients([Tensor([0.5, -1, 2, -0.25, 0.75], shape: [5]), Tensor([0.25, 0.5, -3, 1, -0.5], shape: [5])]) {
            rectifiedSum($0[0], $0[1])
        }
    }

    func testSigmoid() {
        assertClose(sigmoid(Tensor([0, 2], shape: [2])).data, [0.5, 0.88079708])
        checkGradients([randomTensor([3, 4], seed: 11)]) { sigmoid($0[0]) }
    }

    func testTanh() {
        assertClose(tanh(Tensor([0, 0.5], shape: [2])).data, [0, 0.46211716])
        checkGradients([randomTensor([3, 4], seed: 12)]) { tanh($0[0]) }
    }

    func testExpAndLog() {
        assertClose(exp(Tensor([0, 1], shape: [2])).data, [1, 2.7182817])
        assertClose(log(Tensor([1, 2.7182817], shape: [2])).data, [0, 1])
        checkGradients([randomTensor([6], seed: 13)]) { exp($0[0]) }
        checkGradients([randomTensor([6], seed: 14, positive: true)]) { log($0[0]) }
    }

    func testSquare() {
        assertClose(square(Tensor([-3, 2], shape: [2])).data, [9, 4])
        checkGradients([randomTensor([6], seed: 15)]) { square($0[0]) }
    }

    func testSameTensorUsedTwiceAccumulates() {
        let x = Tensor([3], shape: [1], requiresGradient: true)
        (x * x + x).backward()
        assertClose(x.grad!, [7])   // d(x² + x)/dx = 2x + 1
    }
}
