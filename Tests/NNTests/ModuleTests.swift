import NN
import Tensor
import TestSupport
import XCTest

final class ModuleTests: XCTestCase {
    func testMLPHas109386ParametersWithNamesAndShapes() {
        let model = MLP(seed: 0)
        XCTAssertEqual(model.parameterCount, 109_386)
        XCTAssertEqual(model.parameterShapes.map(\.name),
                       ["hidden1.weight", "hidden1.bias", "hidden2.weight", "hidden2.bias", "output.weight", "output.bias"])
        XCTAssertEqual(model.parameterShapes.map(\.shape), [[784, 128], [128], [128, 64], [64], [64, 10], [10]])
    }

    func testSequentialNamesLayersByIndex() {
        var generator = SeededGenerator(seed: 1)
        let model = Sequential(Flatten(), Dense(inputSize: 4, outputSize: 3, activation: relu, generator: &generator),
                               ReLU(), Dense(inputSize: 3, outputSize: 2, generator: &generator))
        XCTAssertEqual(model.namedParameters().map(\.name), ["layers.1.weight", "layers.1.bias", "layers.3.weight", "layers.3.bias"])
        XCTAssertEqual(model(Tensor(shape: [5, 2, 2], repeating: 1)).shape, [5, 2])
    }

    func testFlattenAndSetParametersRoundTrip() {
        let model = MLP(seed: 3)
        let vector = model.flattenedParameters()
        XCTAssertEqual(vector.count, 109_386)
        XCTAssertEqual(Array(vector.prefix(5)), Array(model.hidden1.weight.data.prefix(5)))
        model.setParameters(from: vector.map { $0 * 2 })
        XCTAssertEqual(model.output.weight.data, MLP(seed: 3).output.weight.data.map { $0 * 2 })
        model.setParameters(from: vector)
        XCTAssertEqual(model.flattenedParameters(), vector)
    }

    func testFlattenedGradientsFollowParameterOrder() {
        let model = MLP(inputSize: 4, hiddenSizes: (3, 2), classCount: 2, seed: 1)
        XCTAssertEqual(model.flattenedGradients(), [Float](repeating: 0, count: model.parameterCount))
        crossEntropy(logits: model(Tensor(shape: [2, 4], repeating: 0.5)), targets: [0, 1]).backward()
        let gradients = model.flattenedGradients()
        XCTAssertEqual(Array(gradients.suffix(2)), model.output.bias.grad!)
        model.zeroGradients()
        XCTAssertNil(model.output.bias.grad)
    }

    func testTrainModeReachesSubmodules() {
        let model = MLP(seed: 0)
        model.train(false)
        XCTAssertFalse(model.hidden2.isTraining)
        model.train()
        XCTAssertTrue(model.hidden2.isTraining)
    }

    func testSameSeedSameWeights() {
        XCTAssertEqual(MLP(seed: 11).flattenedParameters(), MLP(seed: 11).flattenedParameters())
        XCTAssertNotEqual(MLP(seed: 11).flattenedParameters(), MLP(seed: 12).flattenedParameters())
    }
}
