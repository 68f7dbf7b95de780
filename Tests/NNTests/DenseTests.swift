import NN
import Tensor
import TestSupport
import XCTest

final class DenseTests: XCTestCase {
    func testForwardIsAffineThenActivation() {
        let layer = Dense(weight: Tensor([1, -1, 2, 0.5], shape: [2, 2]), bias: Tensor([0.5, -4], shape: [2]),
                          activation: relu)
        let y = layer(Tensor([1, 2, -1, 1], shape: [2, 2]))
        // [1, 2]·W + b = [5.5, 0], [-1, 1]·W + b = [1.5, 0]
        assertClose(y.data, [5.5, 0, 1.5, 0])
    }

    func testGradientsThroughDenseWithEveryActivation() {
        for activation in [identity, relu, sigmoid, tanh] as [Activation] {
            let layer = Dense(weight: randomTensor([3, 2], seed: 1), bias: randomTensor([2], seed: 2), activation: activation)
            let x = randomTensor([4, 3], seed: 3)
            checkGradients([x, layer.weight, layer.bias]) { inputs in
                Dense(weight: inputs[1], bias: inputs[2], activation: activation)(inputs[0])
            }
        }
    }

    func testDefaultInitialisationIsGlorotUniformAndZeroBias() {
        var generator = SeededGenerator(seed: 5)
        let layer = Dense(inputSize: 300, outputSize: 100, generator: &generator)
        let limit = (6.0 / Float(300 + 100)).squareRoot()
        XCTAssertTrue(layer.weight.data.allSatisfy { abs($0) <= limit })
        XCTAssertGreaterThan(layer.weight.data.map(abs).max()!, 0.95 * limit)   // fills the range
        XCTAssertEqual(layer.bias.data, [Float](repeating: 0, count: 100))
        XCTAssertTrue(layer.weight.requiresGradient && layer.bias.requiresGradient)
    }
}
