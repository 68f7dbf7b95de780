import Foundation
import NN
import Tensor
import TestSupport
import XCTest

final class TrainerTests: XCTestCase {
    /// Two Gaussian blobs in 2-D, centred at (±1.5, ±1.5).
    private func blobs(count: Int, seed: UInt64) -> LabeledData {
        var generator = SeededGenerator(seed: seed)
        var features: [Float] = [], labels: [Int32] = []
        for index in 0..<count {
            let label = Int32(index % 2)
            let centre: Float = label == 0 ? -1.5 : 1.5
            features += [centre + 0.7 * Float(generator.nextStandardNormal()), centre + 0.7 * Float(generator.nextStandardNormal())]
            labels.append(label)
        }
        return LabeledData(features: features, labels: labels, sampleShape: [2])
    }

    private func smallModel(seed: UInt64) -> Sequential {
        var generator = SeededGenerator(seed: seed)
        return Sequential(Dense(inputSize: 2, outputSize: 8, activation: relu, generator: &generator),
                          Dense(inputSize: 8, outputSize: 2, generator: &generator))
    }

    func testTwoBlobsReachHighAccuracy() {
        let trainer = Trainer(model: smallModel(seed: 1), optimizer: Adam(learningRate: 0.01), batchSize: 16, seed: 1)
        let history = trainer.fit(blobs(count: 400, seed: 2), validation: blobs(count: 200, seed: 3), epochs: 10)
        XCTAssertEqual(history.epochCount, 10)
        XCTAssertLessThan(history.loss.last!, history.loss.first!)
        XCTAssertGreaterThan(history.validationAccuracy.last!, 0.95)
        XCTAssertGreaterThan(trainer.evaluate(blobs(count: 200, seed: 4)).accuracy, 0.95)
    }

    func testXORIsLearned() {
        let features: [Float] = [0, 0, 0, 1, 1, 0, 1, 1]
        let xor = LabeledData(features: Array([[Float]](repeating: features, count: 8).joined()),
                              labels: Array([[Int32]](repeating: [0, 1, 1, 0], count: 8).joined()), sampleShape: [2])
        var generator = SeededGenerator(seed: 5)
        let model = Sequential(Dense(inputSize: 2, outputSize: 8, activation: tanh, generator: &generator),
                               Dense(inputSize: 8, outputSize: 2, generator: &generator))
        let trainer = Trainer(model: model, optimizer: Adam(learningRate: 0.05), batchSize: 8, seed: 5)
        trainer.fit(xor, epochs: 60)
        XCTAssertEqual(trainer.evaluate(xor).accuracy, 1)
    }

    func testSameSeedGivesIdenticalWeightsAfterTraining() {
        func train(seed: UInt64) -> [Float] {
            let model = smallModel(seed: seed)
            Trainer(model: model, optimizer: Adam(), batchSize: 32, seed: seed)
                .fit(blobs(count: 300, seed: 9), epochs: 3)
            return model.flattenedParameters()
        }
        XCTAssertEqual(train(seed: 7), train(seed: 7))
        XCTAssertNotEqual(train(seed: 7), train(seed: 8))
    }

    func testLogLinesUseKerasFormat() throws {
        var lines: [String] = []
        let trainer = Trainer(model: smallModel(seed: 1), optimizer: SGD(learningRate: 0.1, momentum: 0.9), batchSize: 32,
                              seed: 1, onEvent: { event in if let line = event.logLine { lines.append(line) } })
        trainer.fit(blobs(count: 100, seed: 2), validation: blobs(count: 50, seed: 3), epochs: 2)
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines[0], "Epoch 1/2")
        XCTAssertEqual(lines[2], "Epoch 2/2")
        let pattern = try NSRegularExpression(pattern:
            #"^4/4 - \d+s - \d+(us|ms|s)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$"#)
        for line in [lines[1], lines[3]] {
            XCTAssertNotNil(pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)), line)
        }
    }

    func testEvaluateReturnsPredictionsAndProbabilities() {
        let trainer = Trainer(model: smallModel(seed: 1), optimizer: Adam())
        let data = blobs(count: 25, seed: 6)
        let result = trainer.evaluate(data, batchSize: 10)
        XCTAssertEqual(result.predictions.count, 25)
        XCTAssertEqual(result.classCount, 2)
        XCTAssertEqual(result.probabilities.count, 50)
        for row in 0..<25 {
            assertClose(result.probabilities[2 * row] + result.probabilities[2 * row + 1], 1, rtol: 1e-6)
            XCTAssertEqual(result.predictions[row], result.probabilities[2 * row + 1] > result.probabilities[2 * row] ? 1 : 0)
        }
        let correct = zip(result.predictions, data.labels).filter { $0 == $1 }.count
        XCTAssertEqual(result.accuracy, Double(correct) / 25)
    }

    func testMeanSquaredErrorLossTrainsToo() {
        let trainer = Trainer(model: smallModel(seed: 2), optimizer: Adam(learningRate: 0.01), loss: .meanSquaredError,
                              batchSize: 16, seed: 2)
        trainer.fit(blobs(count: 400, seed: 2), epochs: 10)
        XCTAssertGreaterThan(trainer.evaluate(blobs(count: 200, seed: 4)).accuracy, 0.95)
    }

    func testHistoryEncodesWithKerasKeys() throws {
        var history = TrainingHistory()
        history.loss = [0.5]; history.accuracy = [0.8]; history.validationLoss = [0.6]
        history.validationAccuracy = [0.7]; history.seconds = [1.5]
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(history)) as! [String: [Double]]
        XCTAssertEqual(Set(object.keys), ["loss", "accuracy", "val_loss", "val_accuracy", "seconds"])
        XCTAssertEqual(try JSONDecoder().decode(TrainingHistory.self, from: JSONEncoder().encode(history)), history)
    }

    func testLabeledDataFromBytesAndSubsets() {
        let data = LabeledData(features: [1, 2, 3, 4, 5, 6], labels: [UInt8(2), 0, 1], sampleShape: [2])
        XCTAssertEqual(data.labels, [2, 0, 1])
        XCTAssertEqual(data.classCount, 3)
        let tail = data.samples(1..<3)
        XCTAssertEqual(tail.features, [3, 4, 5, 6])
        XCTAssertEqual(tail.labels, [0, 1])
    }

}

final class BestValidationCheckpointTests: XCTestCase {
    /// Validation labels flipped against the training labels: the better the model learns, the
    /// worse it validates, so the best validation epoch is not the last. With
    /// `restoresBestValidation` the model ends at that epoch's weights; without, at the last.
    func testTheModelEndsWithItsBestValidationEpoch() {
        func data(seed: UInt64, flipped: Bool) -> LabeledData {
            var generator = SeededGenerator(seed: seed)
            var features: [Float] = [], labels: [Int32] = []
            for index in 0..<200 {
                let label = Int32(index % 2)
                features += [Float(label) * 2 - 1 + 1.2 * Float(generator.nextStandardNormal()), Float(generator.nextStandardNormal())]
                labels.append(flipped ? 1 - label : label)
            }
            return LabeledData(features: features, labels: labels, sampleShape: [2])
        }
        let (train, validation) = (data(seed: 1, flipped: false), data(seed: 2, flipped: true))
        for restores in [true, false] {
            var generator = SeededGenerator(seed: 4)
            let model = Sequential(Dense(inputSize: 2, outputSize: 2, generator: &generator))
            let trainer = Trainer(model: model, optimizer: Adam(learningRate: 0.05), batchSize: 20, seed: 1)
            let history = trainer.fit(train, validation: validation, epochs: 6, restoresBestValidation: restores)
            let accuracies = history.validationAccuracy
            XCTAssertNotEqual(accuracies.max(), accuracies.last, "the test needs an earlier best epoch: \(accuracies)")
            XCTAssertEqual(trainer.evaluate(validation).accuracy, restores ? accuracies.max()! : accuracies.last!, accuracy: 1e-12)
        }
    }

    func testCapturedStateRestoresParametersAndBuffers() {
        let norm = BatchNorm2D(channels: 2)
        let state = norm.capturedState()
        _ = norm(Tensor((0..<16).map(Float.init), shape: [2, 2, 2, 2]))   // moves the running statistics
        norm.weight.withUnsafeMutableData { $0[0] = 7 }
        XCTAssertNotEqual(norm.runningMean.data, [0, 0])
        norm.restore(state)
        XCTAssertEqual(norm.runningMean.data, [0, 0])
        XCTAssertEqual(norm.runningVariance.data, [1, 1])
        XCTAssertEqual(norm.weight.data, [1, 1])
    }
}
