import NN
import Tensor
import TestSupport
import XCTest

final class ActivationsTests: XCTestCase {
    func testLayersMatchFunctionsAndDifferentiate() {
        let layers: [(any UnaryLayer, Activation)] = [(ReLU(), relu), (Sigmoid(), sigmoid), (Tanh(), tanh), (Softmax(), softmax)]
        for (layer, function) in layers {
            let x = randomTensor([3, 4], seed: 8)
            XCTAssertEqual(layer(x).data, function(x).data)
            checkGradients([x]) { layer($0[0]) }
        }
    }

    func testFlattenKeepsBatch() {
        let x = randomTensor([2, 1, 3, 3], seed: 9)
        XCTAssertEqual(Flatten()(x).shape, [2, 9])
        checkGradients([x]) { Flatten()($0[0]) }
    }
}
