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

final class MLPLandscapeAccuracyTests: XCTestCase {
    /// Enough rows that the first layer is split over the cores; row blocks joined with
    /// `stacking` equal the whole grid, and accuracies equal the module's own.
    func testRowBlocksAndAccuraciesMatchTheModule() {
        var generator = SeededGenerator(seed: 5)
        let count = 700, inputSize = 10
        let features = (0..<(count * inputSize)).map { _ in Float(generator.nextUniform()) }
        let labels = (0..<count).map { Int32($0 % 4) }
        let data = LabeledData(features: features, labels: labels, sampleShape: [inputSize])
        let model = MLP(inputSize: inputSize, hiddenSizes: (9, 6), classCount: 4, seed: 2)
        let objective = ModuleObjective(model: model, data: data)
        let center = objective.currentParameters
        let first = filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: 3)
        let second = filterNormalizedDirection(layout: objective.parameterLayout, parameters: center, seed: 4)
        let axis = evenlySpacedValues(from: -1, through: 1, count: 5)
        let reference = LossLandscape2D(center: center, firstDirection: first, secondDirection: second, alphas: axis, betas: axis,
                                        evaluate: objective.lossAndAccuracy)
        model.setParameters(from: center.map(Float.init))
        let fast = MLPLandscape(model: model, data: data)
        let blocks = [Array(axis[0..<2]), Array(axis[2..<5])].map { betas in
            fast.landscape(center: center, firstDirection: first, secondDirection: second, alphas: axis, betas: betas)
        }
        let joined = LossLandscape2D.stacking(blocks)
        XCTAssertEqual(joined.betas, axis)
        for (row, referenceRow) in zip(joined.values, reference.values) { assertClose(row, referenceRow, rtol: 1e-4, atol: 1e-5) }
        let accuracies = try! XCTUnwrap(joined.accuracies), referenceAccuracies = try! XCTUnwrap(reference.accuracies)
        for (row, referenceRow) in zip(accuracies, referenceAccuracies) {
            // A prediction can flip on a Float32 tie; allow one sample in 700.
            assertClose(row, referenceRow, rtol: 0, atol: 1.5 / Double(count))
        }
        XCTAssertTrue(accuracies.joined().allSatisfy { (0...1).contains($0) })
        XCTAssertTrue(accuracies.joined().contains { $0 > 0.2 && $0 < 0.99 }, "accuracies vary over the grid: \(accuracies)")
    }
}
