import Foundation
import NN
import Tensor
import TestSupport
import XCTest

/// Known answers from PyTorch's published `OneCycleLR` and `CosineAnnealingLR` formulas,
/// computed by hand: `cos_anneal(start, end, pct) = end + (start − end)/2 · (1 + cos(π·pct))`.
final class LearningRateScheduleTests: XCTestCase {
    let oneCycle = LearningRateSchedule.oneCycle(peak: 1, totalSteps: 100)

    func testOneCycleStartsAtPeakOverDivisorPeaksAtWarmupEndAndEndsAtTheFloor() {
        // Warm-up ends at step 0.25·100 − 1 = 24; the floor is 1/25/1e4 = 4e-6 at step 99.
        XCTAssertEqual(oneCycle.rate(atStep: 0), 0.04, accuracy: 1e-12)
        XCTAssertEqual(oneCycle.rate(atStep: 24), 1, accuracy: 1e-12)
        XCTAssertEqual(oneCycle.rate(atStep: 99), 4e-6, accuracy: 1e-15)
        XCTAssertEqual(oneCycle.rate(atStep: 500), 4e-6, accuracy: 1e-15, "steps past the end keep the last rate")
    }

    func testOneCycleWarmupAndAnnealFollowTheCosineFormula() {
        // Step 6: pct = 6/24 = 0.25 → 1 + (0.04 − 1)/2 · (1 + cos(π/4)).
        XCTAssertEqual(oneCycle.rate(atStep: 6), 1 - 0.48 * (1 + cos(Double.pi / 4)), accuracy: 1e-12)
        XCTAssertEqual(oneCycle.rate(atStep: 12), 0.52, accuracy: 1e-12)
        // Step 62: pct = (62 − 24)/(99 − 24) = 38/75.
        XCTAssertEqual(oneCycle.rate(atStep: 62), 4e-6 + (1 - 4e-6) / 2 * (1 + cos(Double.pi * 38 / 75)), accuracy: 1e-12)
        let linear = LearningRateSchedule.oneCycle(peak: 1, totalSteps: 100, linearWarmup: true)
        XCTAssertEqual(linear.rate(atStep: 6), 0.04 + 0.96 * 0.25, accuracy: 1e-12)
        XCTAssertEqual(linear.rate(atStep: 62), oneCycle.rate(atStep: 62), accuracy: 1e-15, "the anneal is cosine either way")
    }

    func testCosineDecayAndConstant() {
        let cosine = LearningRateSchedule.cosine(initial: 1, totalSteps: 10, minimum: 0.1)
        XCTAssertEqual(cosine.rate(atStep: 0), 1, accuracy: 1e-12)
        XCTAssertEqual(cosine.rate(atStep: 5), 0.55, accuracy: 1e-12)
        XCTAssertEqual(cosine.rate(atStep: 10), 0.1, accuracy: 1e-12)
        XCTAssertEqual(LearningRateSchedule.constant(0.3).rate(atStep: 77), 0.3)
        XCTAssertEqual(oneCycle.peakRate, 1)
        XCTAssertTrue(oneCycle.summary.contains("one-cycle, peak 1: 25% cosine warm-up from peak/25"), oneCycle.summary)
    }

    func testSchedulesRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode(oneCycle)
        XCTAssertEqual(try JSONDecoder().decode(LearningRateSchedule.self, from: data), oneCycle)
    }

    /// The trainer sets the optimiser's rate before each step: after 3 epochs of 4 steps the
    /// last step used `rate(atStep: 11)`.
    func testTrainerStepsTheScheduleOncePerBatch() {
        var generator = SeededGenerator(seed: 3)
        let model = Sequential(Dense(inputSize: 2, outputSize: 2, generator: &generator))
        let data = LabeledData(features: (0..<32).map { Float($0 % 5) }, labels: (0..<16).map { Int32($0 % 2) }, sampleShape: [2])
        let schedule = LearningRateSchedule.oneCycle(peak: 0.01, totalSteps: 12)
        let adam = Adam(learningRate: 0.01)
        var rates: [Float] = []
        let trainer = Trainer(model: model, optimizer: adam, batchSize: 4, seed: 1, schedule: schedule)
        trainer.onStep = { _ in rates.append(adam.learningRate) }
        trainer.fit(data, epochs: 3)
        XCTAssertEqual(rates, (0..<12).map { Float(schedule.rate(atStep: $0)) })
    }
}
