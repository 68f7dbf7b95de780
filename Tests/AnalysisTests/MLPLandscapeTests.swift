@testable import Analysis
import NN
import TestSupport
import XCTest

final class MLPLandscapeTests: XCTestCase {
    func testFastLandscapeMatchesPointByPointEvaluation() {
        var generator = SeededGenerator(seed: 3)
        let count = 40, inputSize = 12
        let features = (0..<(count * inputSize)).map { _ in Float(generator.nextUniform()) }
        let labels = (0..<count).map { Int32($0 % 3) }
        let data = LabeledData(features: features, labels: labels, sampleShape: [inputSize])
        let model = MLP(inputSize: inputSize, hiddenSizes: (8, 5), classCount: 3, seed: 9)
        let objective = ModuleObjective(model: model, data: data)
        let center = objective.currentParameters
        let first = filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: 1)
        let second = filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: 2)
        let axis = evenlySpacedValues(from: -1, through: 1, count: 5)
        let reference = LossLandscape2D(center: center, firstDirection: first, secondDirection: second, alphas: axis, betas: axis,
                                        loss: objective.value)
        model.setParameters(from: center.map(Float.init))   // the reference leaves the last grid point in the model
        let fast = MLPLandscape(model: model, data: data).landscape(center: center, firstDirection: first, secondDirection: second,
                                                                     alphas: axis, betas: axis)
        for (fastRow, referenceRow) in zip(fast.values, reference.values) {
            assertClose(fastRow, referenceRow, rtol: 1e-4, atol: 1e-5)
        }
        XCTAssertEqual(model.flattenedParameters().map(Double.init), center, "the model's weights are restored")
    }
}
