import Foundation
@testable import NN
import TestSupport
import XCTest

final class ParameterTrajectoryTests: XCTestCase {
    func testTrainerRecordsEveryIntervalAndTheFinalStep() throws {
        let data = LabeledData(features: (0..<(40 * 4)).map { Float($0 % 7) / 7 }, labels: (0..<40).map { Int32($0 % 2) }, sampleShape: [4])
        let model = MLP(inputSize: 4, hiddenSizes: (3, 3), classCount: 2, seed: 1)
        let initial = model.flattenedParameters()
        let trainer = Trainer(model: model, optimizer: Adam(), batchSize: 8, seed: 1)
        let recorder = ParameterTrajectory.recording(model, trainer: trainer, every: 2)
        trainer.fit(data, epochs: 3)   // 5 steps per epoch, 15 in all
        recorder.finish(model: model)
        let trajectory = recorder.trajectory
        XCTAssertEqual(trajectory.steps, [0, 2, 4, 6, 8, 10, 12, 14, 15])
        XCTAssertEqual(trajectory.snapshots.first, initial)
        XCTAssertEqual(trajectory.snapshots.last, model.flattenedParameters())
        XCTAssertNotEqual(trajectory.snapshots[1], trajectory.snapshots[2])

        let folder = try TemporaryDirectory()
        let url = folder.url.appendingPathComponent("trajectory.weights")
        try trajectory.save(to: url)
        XCTAssertEqual(try ParameterTrajectory.load(from: url), trajectory)
    }

    func testDamagedFilesNameTheFileAndTheProblem() throws {
        let folder = try TemporaryDirectory()
        var trajectory = ParameterTrajectory()
        trajectory.record(step: 0, parameters: [1, 2, 3])
        trajectory.record(step: 5, parameters: [1, 2, 4])
        let url = folder.url.appendingPathComponent("t.weights")
        try trajectory.save(to: url)
        let bytes = try Data(contentsOf: url)
        try bytes.prefix(bytes.count - 3).write(to: url)
        XCTAssertThrowsError(try ParameterTrajectory.load(from: url)) { error in
            XCTAssertTrue("\(error)".contains(url.path) && "\(error)".contains("truncated"), "\(error)")
        }
        // Ordinary model weights are not a trajectory.
        try MLP(inputSize: 2, hiddenSizes: (2, 2), classCount: 2, seed: 1).saveWeights(to: url)
        XCTAssertThrowsError(try ParameterTrajectory.load(from: url)) { error in
            XCTAssertTrue("\(error)".contains("is not named step-N"), "\(error)")
        }
        var single = ParameterTrajectory()
        single.record(step: 0, parameters: [1])
        try single.save(to: url)
        XCTAssertThrowsError(try ParameterTrajectory.load(from: url)) { error in
            XCTAssertTrue("\(error)".contains("needs at least 2"), "\(error)")
        }
    }
}
