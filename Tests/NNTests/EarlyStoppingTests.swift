import NN
import Tensor
import XCTest

final class EarlyStoppingTests: XCTestCase {
    func testStopsAfterPatienceEpochsWithoutImprovement() {
        let stopping = EarlyStopping(patience: 2)
        XCTAssertFalse(stopping.shouldStop(validationAccuracies: [0.9]))
        XCTAssertFalse(stopping.shouldStop(validationAccuracies: [0.9, 0.8]))
        XCTAssertTrue(stopping.shouldStop(validationAccuracies: [0.9, 0.8, 0.9]), "equal to the best is no improvement")
        XCTAssertFalse(stopping.shouldStop(validationAccuracies: [0.9, 0.8, 0.91]))
        XCTAssertFalse(EarlyStopping(patience: 1, minimumImprovement: 0.001).shouldStop(validationAccuracies: [0.9, 0.902]))
        XCTAssertTrue(EarlyStopping(patience: 1, minimumImprovement: 0.01).shouldStop(validationAccuracies: [0.9, 0.902]))
        XCTAssertEqual(EarlyStopping.bestEpoch(validationAccuracies: [0.5, 0.7, 0.7, 0.6]), 2)
    }

    /// With a learning rate of zero nothing changes, so validation accuracy never improves and
    /// the run ends after 1 + patience epochs, well before the cap.
    func testTrainerEndsARunThatStoppedImproving() {
        let features: [Float] = [0, 0, 0, 1, 1, 0, 1, 1]
        let data = LabeledData(features: features, labels: [UInt8(0), 1, 1, 0], sampleShape: [2])
        var lines: [String] = []
        let trainer = Trainer(model: MLP(inputSize: 2, hiddenSizes: (4, 4), classCount: 2, seed: 1), optimizer: Adam(learningRate: 0),
                              batchSize: 2, seed: 1) { event in if let line = event.logLine { lines.append(line) } }
        let history = trainer.fit(data, validation: data, epochs: 20, stopping: EarlyStopping(patience: 2))
        XCTAssertEqual(history.epochCount, 3)
        XCTAssertTrue(lines.contains { $0.hasPrefix("Early stopping after epoch 3") }, "\(lines)")
    }
}
